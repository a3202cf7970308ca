import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { CopyButton } from '../../../components/ui/copy-button.tsx';
import { Field } from '../../../components/ui/field.tsx';
import { FormFoot, type Said } from '../../../components/ui/form-foot.tsx';
import { RevocableItem } from '../../../components/ui/revocable-item.tsx';
import { SettingsSection } from '../../../components/ui/settings-section.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { createApiToken } from '../api/create-api-token.ts';
import { getApiTokens } from '../api/get-api-tokens.ts';
import { revokeApiToken } from '../api/revoke-api-token.ts';
import { signOut } from '../api/sign-out.ts';
import { type ApiToken, type CreatedApiToken, SCOPES, type Scope } from '../types.ts';

const SCOPE_WORDS: Record<Scope, string> = {
  'tasks:read': 'Read tasks',
  'tasks:write': 'Change tasks',
  assistant: 'Chat with the assistant and ask the docs',
  account: 'Everything a token may do, export and import included',
};
const LIFETIMES = [7, 30, 90, 366] as const;

const day = (iso: string | null, never: string) =>
  iso ? new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(iso)) : never;

/**
 * Personal API tokens for scripts and MCP clients: made with scopes and a lifetime, shown once, revoked here.
 * Making one needs a recent sign-in (the server's sudo mode); when it is not recent the form asks for the password,
 * or offers to sign in again for an account that has none.
 */
export function ApiTokenSettings({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [loadError, setLoadError] = useState<string | undefined>();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['tasks:read', 'tasks:write']);
  const [days, setDays] = useState<number>(90);
  const [password, setPassword] = useState('');
  const [askPassword, setAskPassword] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [said, setSaid] = useState<Said | undefined>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedApiToken | undefined>();

  const load = useCallback(() => {
    getApiTokens().then(
      (list) => {
        setTokens(list);
        setLoadError(undefined);
      },
      (error) => setLoadError(error instanceof ApiError ? error.message : 'Could not load your tokens.'),
    );
  }, []);
  useEffect(load, [load]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFields({});
    setSaid(undefined);
    try {
      const token = await createApiToken({
        name,
        scopes,
        expires_in_days: days,
        ...(askPassword ? { password } : {}),
      });
      setCreated(token);
      onCreated(token);
      setName('');
      setPassword('');
      setAskPassword(false);
      load();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'auth.reauthentication_required') {
        setAskPassword(true);
        setSaid({
          text: 'Making a token needs a recent sign-in. Type your password below, or sign in again, then make it.',
          error: true,
        });
      } else if (error instanceof ApiError) {
        const refusal = error.forForm(['name', 'scopes', 'password']);
        setFields(refusal.fields);
        setSaid({ text: refusal.message, error: true });
      } else setSaid({ text: 'Could not make the token; try again.', error: true });
    } finally {
      setBusy(false);
    }
  }

  async function revoke(token: ApiToken) {
    try {
      await revokeApiToken(token.id);
      setSaid({ text: `Revoked “${token.name}”: it no longer works.`, error: false });
    } catch (error) {
      setSaid({
        text: error instanceof ApiError ? error.message : 'Could not revoke; try again.',
        error: true,
      });
    }
    load();
  }

  return (
    <SettingsSection
      title="API tokens"
      description="For scripts and MCP clients. A token acts as you, within its scopes, until it expires or you revoke it."
    >
      {created && (
        <div className="new-token" role="status">
          <p>
            <strong>Copy your new token “{created.name}” now:</strong> it will not be shown again.
          </p>
          <div className="token-row">
            <input
              aria-label="New API token"
              readOnly
              value={created.token}
              onFocus={(e) => e.target.select()}
            />
            <CopyButton text={created.token} label="Copy token" />
          </div>
        </div>
      )}
      <form className="settings-form" onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="Token name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={fields.name}
          placeholder="laptop MCP"
        />
        <fieldset className="scopes">
          <legend>What it may do</legend>
          {SCOPES.map((scope) => (
            <label key={scope} className="check">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(event) =>
                  setScopes((all) =>
                    event.target.checked ? [...all, scope] : all.filter((s) => s !== scope),
                  )
                }
              />
              <span>
                {SCOPE_WORDS[scope]} <code>{scope}</code>
              </span>
            </label>
          ))}
          {fields.scopes && <p className="field-error">{fields.scopes}</p>}
        </fieldset>
        <div className="field">
          <label htmlFor="token-lifetime">Expires after</label>
          <select id="token-lifetime" value={days} onChange={(event) => setDays(Number(event.target.value))}>
            {LIFETIMES.map((n) => (
              <option key={n} value={n}>
                {n} days
              </option>
            ))}
          </select>
        </div>
        {askPassword && (
          <div className="sudo">
            <Field
              label="Your password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              error={fields.password}
            />
            <button type="button" className="button subtle" onClick={() => void signOut()}>
              Sign in again instead
            </button>
          </div>
        )}
        <FormFoot busy={busy} label="Make token" said={said} />
      </form>
      {loadError && <p className="form-error">{loadError}</p>}
      {tokens && tokens.length === 0 && <p className="muted">You have no API tokens.</p>}
      {tokens && tokens.length > 0 && (
        <ul className="token-list" aria-label="Your API tokens">
          {tokens.map((token) => (
            <RevocableItem
              key={token.id}
              name={token.name}
              detail={`${token.scopes.join(', ')} · made ${day(token.created_at, '')} · expires ${day(token.expires_at, 'never')} · last used ${day(token.last_used_at, 'never')}`}
              verb="Revoke"
              action={`Revoke “${token.name}”`}
              onConfirm={() => void revoke(token)}
            />
          ))}
        </ul>
      )}
    </SettingsSection>
  );
}
