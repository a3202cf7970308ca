import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { Field } from '../../../components/ui/field.tsx';
import { ApiError, getSession } from '../../../lib/api-client.ts';
import { changeRole, getMembers, inviteMember, leaveList, removeMember } from '../api/members.ts';
import type { List, Member, Role } from '../types.ts';

type MemberRole = Exclude<Role, 'owner'>;

const reason = (error: unknown) =>
  error instanceof ApiError ? error.message : 'Something went wrong; please try again.';

export const ROLE_WORDS: Record<Role, string> = {
  owner: 'Owner',
  editor: 'Can edit',
  viewer: 'Can view',
};

/**
 * Who a list is shared with, as Todoist's and Microsoft To Do's share sheets show it: the owner invites by email
 * (an invitation the other person accepts, so nobody finds a list pushed into their views, and the answer says
 * nothing about whether the address has an account), changes what each may do, and removes people; a member sees
 * who else is there and may leave. `reloadKey` changes when the members may have changed elsewhere.
 */
export function SharePanel(props: {
  list: List;
  reloadKey?: number;
  onClose: () => void;
  /** The user left the list (or declined it): it is no longer theirs to show. */
  onLeft: () => void;
}) {
  const { list } = props;
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [reloads, setReloads] = useState(0);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  const owner = list.role === 'owner';

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloads and reloadKey ask again.
  useEffect(() => {
    const controller = new AbortController();
    getMembers(list.id, controller.signal).then(
      (all) => {
        setMembers(all);
        setError(undefined);
      },
      (caught) => {
        if (!controller.signal.aborted) setError(`The members could not be loaded: ${reason(caught)}`);
      },
    );
    return () => controller.abort();
  }, [list.id, reloads, props.reloadKey]);

  return (
    <section
      className="list-form share-panel"
      aria-label={`Sharing “${list.name}”`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onClose();
      }}
    >
      <h2 className="share-title">{owner ? `Share “${list.name}”` : `People on “${list.name}”`}</h2>
      {owner && <InviteForm list={list} onInvited={reload} />}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {members === null && !error && <p className="muted">Loading who is on this list…</p>}
      {members && (
        <ul className="members" aria-label="Members">
          {members.map((member) => (
            <MemberRow
              key={member.id ?? 'owner'}
              list={list}
              member={member}
              onChanged={reload}
              onError={setError}
            />
          ))}
        </ul>
      )}
      <div className="editor-actions">
        {!owner && <LeaveButton list={list} onLeft={props.onLeft} onError={setError} />}
        <button type="button" className="button" onClick={props.onClose}>
          Done
        </button>
      </div>
    </section>
  );
}

function InviteForm({ list, onInvited }: { list: List; onInvited: () => void }) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MemberRole>('editor');
  const [error, setError] = useState<{ email?: string; message?: string }>({});
  const [sent, setSent] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const address = email.trim();
    if (!address.includes('@')) {
      setError({ email: 'Type the email address of the person to invite.' });
      return;
    }
    setBusy(true);
    setError({});
    try {
      await inviteMember(list.id, address, role);
      setSent(address);
      setEmail('');
      onInvited();
    } catch (caught) {
      if (!(caught instanceof ApiError)) setError({ message: reason(caught) });
      else {
        const said = caught.forForm(['email']);
        setError({ email: said.fields.email, message: said.fields.email ? undefined : said.message });
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="invite-form" onSubmit={submit} noValidate aria-label="Invite someone">
      <Field
        label="Invite by email"
        type="email"
        value={email}
        autoComplete="off"
        placeholder="name@example.com"
        error={error.email}
        hint="They see the invitation when they sign in to Doable with this address, and join if they want to."
        onChange={(event) => {
          setEmail(event.target.value);
          setError({});
          setSent(undefined);
        }}
      />
      <div className="field">
        <label htmlFor={`${id}-role`}>What they may do</label>
        <select
          id={`${id}-role`}
          value={role}
          onChange={(event) => setRole(event.target.value as MemberRole)}
        >
          <option value="editor">{ROLE_WORDS.editor}</option>
          <option value="viewer">{ROLE_WORDS.viewer}</option>
        </select>
      </div>
      {error.message && (
        <p className="field-error" role="alert">
          {error.message}
        </p>
      )}
      {sent && (
        <p className="muted" role="status">
          Invited {sent}.
        </p>
      )}
      <div className="editor-actions">
        <button type="submit" className="button primary" disabled={busy}>
          Invite
        </button>
      </div>
    </form>
  );
}

function MemberRow(props: {
  list: List;
  member: Member;
  onChanged: () => void;
  onError: (message: string) => void;
}) {
  const { list, member } = props;
  const [busy, setBusy] = useState(false);
  const me = member.user_id !== null && member.user_id === getSession()?.user.id;
  const who = member.name ? `${member.name}${me ? ' (you)' : ''}` : (member.email ?? 'Someone');
  const manageable = list.role === 'owner' && member.role !== 'owner' && member.id !== null;

  async function run(work: () => Promise<unknown>, what: string) {
    setBusy(true);
    try {
      await work();
      props.onChanged();
    } catch (caught) {
      props.onError(`Could not ${what}: ${reason(caught)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="member">
      <span className="member-who">
        <span className="member-name">{who}</span>
        {member.name && <span className="muted member-email">{member.email}</span>}
        {member.status === 'invited' && <span className="muted member-status">Invited</span>}
      </span>
      {manageable && member.id !== null ? (
        <span className="member-actions">
          <select
            aria-label={`What ${who} may do`}
            value={member.role}
            disabled={busy}
            onChange={(event) => {
              const role = event.target.value as MemberRole;
              const memberId = member.id as number;
              void run(() => changeRole(list.id, memberId, role), `change what ${who} may do`);
            }}
          >
            <option value="editor">{ROLE_WORDS.editor}</option>
            <option value="viewer">{ROLE_WORDS.viewer}</option>
          </select>
          <button
            type="button"
            className="button subtle danger-text"
            disabled={busy}
            aria-label={`Remove ${who}`}
            onClick={() => {
              const memberId = member.id as number;
              void run(() => removeMember(list.id, memberId), `remove ${who}`);
            }}
          >
            Remove
          </button>
        </span>
      ) : (
        <span className="muted member-role">{ROLE_WORDS[member.role]}</span>
      )}
    </li>
  );
}

/** Leaving asks once: the list and its tasks leave the member's views. */
function LeaveButton(props: { list: List; onLeft: () => void; onError: (message: string) => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking)
    return (
      <button type="button" className="button subtle danger-text" onClick={() => setAsking(true)}>
        Leave list…
      </button>
    );
  return (
    <span className="leave-confirm">
      <span>Leave “{props.list.name}”? Its tasks leave your views; its owner can invite you again.</span>
      <button
        type="button"
        className="button danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await leaveList(props.list.id);
            props.onLeft();
          } catch (caught) {
            props.onError(`Could not leave the list: ${reason(caught)}`);
            setBusy(false);
          }
        }}
      >
        Leave
      </button>
      <button type="button" className="button" onClick={() => setAsking(false)}>
        Stay
      </button>
    </span>
  );
}
