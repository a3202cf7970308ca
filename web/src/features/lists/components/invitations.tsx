import { useState } from 'react';
import { ApiError } from '../../../lib/api-client.ts';
import { joinList, leaveList } from '../api/members.ts';
import type { Invitation } from '../types.ts';
import { ROLE_WORDS } from './share-panel.tsx';

const reason = (error: unknown) =>
  error instanceof ApiError ? error.message : 'Something went wrong; please try again.';

/**
 * Lists shared with the user that wait for an answer, above the tasks: joining shows the list and its tasks,
 * declining forgets the invitation. `onAnswered` is told the list joined (or undefined, declined).
 */
export function Invitations(props: {
  invitations: Invitation[];
  onAnswered: (joined: number | undefined) => void;
}) {
  if (props.invitations.length === 0) return null;
  return (
    <section className="invitations" aria-label="Invitations">
      {props.invitations.map((invitation) => (
        <InvitationCard key={invitation.list_id} invitation={invitation} onAnswered={props.onAnswered} />
      ))}
    </section>
  );
}

function InvitationCard(props: { invitation: Invitation; onAnswered: (joined: number | undefined) => void }) {
  const { invitation } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function answer(join: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      await (join ? joinList : leaveList)(invitation.list_id);
      props.onAnswered(join ? invitation.list_id : undefined);
    } catch (caught) {
      setError(reason(caught));
      setBusy(false);
    }
  }

  return (
    <div className="invitation">
      <p>
        <strong>{invitation.invited_by?.name || invitation.invited_by?.email || 'Someone'}</strong> invited
        you to the list “{invitation.list_name}” ({ROLE_WORDS[invitation.role].toLowerCase()}).
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="editor-actions">
        <button type="button" className="button primary" disabled={busy} onClick={() => answer(true)}>
          Join list
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => answer(false)}>
          Decline
        </button>
      </div>
    </div>
  );
}
