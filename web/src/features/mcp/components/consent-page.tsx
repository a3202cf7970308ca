import { type RefObject, useEffect, useRef, useState } from 'react';
import { BrandLine } from '../../../components/ui/brand-line.tsx';
import { paths } from '../../../config/paths.ts';
import { ApiError, type User } from '../../../lib/api-client.ts';
import { linkTo } from '../../../lib/router.ts';
import { decideConnectRequest, getConnectRequest } from '../api/connect-request.ts';
import { returnPlace } from '../return-place.ts';
import type { ConnectRequest } from '../types.ts';

const hostOf = (url: string | null) => {
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
};

type State =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'asking'; request: ConnectRequest; busy: boolean; error?: string }
  | { kind: 'leaving'; place: string; allowed: boolean };

/**
 * An AI app (Claude, ChatGPT, an MCP client) asks to use the account: the page says who it is, how far that can be
 * trusted, where the browser goes back to, and what it will be able to do, and the user allows or denies. The
 * answer goes to the server, which sends the browser back to the app with a code or a refusal.
 */
export function ConsentPage(props: { uid: string; user: User; onSignOut: () => void }) {
  const { uid, user } = props;
  const [state, setState] = useState<State>({ kind: 'loading' });
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let live = true;
    getConnectRequest(uid).then(
      (request) => live && setState({ kind: 'asking', request, busy: false }),
      (error) =>
        live &&
        setState({
          kind: 'failed',
          message: error instanceof ApiError ? error.message : 'This request could not be read; try again.',
        }),
    );
    return () => {
      live = false;
    };
  }, [uid]);

  useEffect(() => {
    if (state.kind !== 'loading') heading.current?.focus({ preventScroll: true });
  }, [state.kind]);

  async function decide(request: ConnectRequest, allow: boolean) {
    setState({ kind: 'asking', request, busy: true });
    try {
      const to = await decideConnectRequest(uid, allow);
      setState({ kind: 'leaving', place: returnPlace(request.client), allowed: allow });
      location.assign(to);
    } catch (error) {
      setState({
        kind: 'asking',
        request,
        busy: false,
        error: error instanceof ApiError ? error.message : 'Your answer did not reach Doable; try again.',
      });
    }
  }

  return (
    <main id="main" className="auth">
      <div className="auth-card consent">
        <BrandLine />
        {state.kind === 'loading' && <p aria-busy="true">Reading the request…</p>}
        {state.kind === 'failed' && (
          <>
            <h1 ref={heading} tabIndex={-1}>
              This connection cannot go on
            </h1>
            <p role="alert">{state.message}</p>
            <a className="button primary" href={paths.tasks} onClick={linkTo(paths.tasks)}>
              Go to your tasks
            </a>
          </>
        )}
        {state.kind === 'leaving' && (
          <>
            <h1 ref={heading} tabIndex={-1}>
              {state.allowed ? 'Connected' : 'Not connected'}
            </h1>
            <p role="status">Taking you back to {state.place}…</p>
          </>
        )}
        {state.kind === 'asking' && (
          <Question
            request={state.request}
            user={user}
            busy={state.busy}
            error={state.error}
            heading={heading}
            onDecide={(allow) => void decide(state.request, allow)}
            onSignOut={props.onSignOut}
          />
        )}
      </div>
    </main>
  );
}

function Question(props: {
  request: ConnectRequest;
  user: User;
  busy: boolean;
  error: string | undefined;
  heading: RefObject<HTMLHeadingElement | null>;
  onDecide: (allow: boolean) => void;
  onSignOut: () => void;
}) {
  const { client, scopes } = props.request;
  const published = client.registration === 'metadata_document';
  const site = hostOf(client.client_uri);
  const place = returnPlace(client);
  return (
    <>
      {/* The app chose its name: shown once, clamped, and isolated so that its direction marks cannot turn
          the words around it. */}
      <h1 ref={props.heading} tabIndex={-1} className="clamped">
        Connect <bdi title={client.name}>{client.name}</bdi> to Doable?
      </h1>
      <p className="muted">It asks to use your account, {props.user.email ?? props.user.name}.</p>
      <dl className="consent-facts">
        <dt>Who it is</dt>
        <dd>
          {published
            ? `Described by ${hostOf(client.client_id) ?? client.client_id}, which vouches for its name.`
            : 'It registered itself just now: Doable cannot check who made it or that its name is true.'}
          {site && ` Its site: ${site}.`}
        </dd>
        <dt>Where you go back to</dt>
        {/* A host as it is written; "an app on this device" as the start of a line. */}
        <dd>{client.redirect_kind === 'web' ? place : place.charAt(0).toUpperCase() + place.slice(1)}</dd>
      </dl>
      <h2 className="consent-scopes-heading">It will be able to</h2>
      <ul className="consent-scopes">
        {scopes.map(({ scope, description }) => (
          <li key={scope}>
            {description} <code>{scope}</code>
          </li>
        ))}
      </ul>
      <p className="hint">Only allow apps you trust. You can disconnect it at any time in Settings.</p>
      {props.error && (
        <p className="form-error" role="alert">
          {props.error}
        </p>
      )}
      <div className="consent-actions">
        <button
          type="button"
          className="button primary"
          disabled={props.busy}
          onClick={() => props.onDecide(true)}
        >
          Allow
        </button>
        <button type="button" className="button" disabled={props.busy} onClick={() => props.onDecide(false)}>
          Deny
        </button>
      </div>
      <p className="switch">
        Not you?{' '}
        <button type="button" className="link-button" onClick={props.onSignOut}>
          Sign out and use another account
        </button>
      </p>
    </>
  );
}
