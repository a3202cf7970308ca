import { type FormEvent, useState } from 'react';
import { Field } from '../../../components/ui/field.tsx';
import { FormFoot, type Said } from '../../../components/ui/form-foot.tsx';
import { SettingsSection } from '../../../components/ui/settings-section.tsx';
import { ApiError, type User } from '../../../lib/api-client.ts';
import { signIn } from '../api/sign-in.ts';
import { signOut } from '../api/sign-out.ts';
import { updateMe } from '../api/update-me.ts';

/**
 * A new password signs out every session, this one included (the server ends them all): the page signs in again
 * with the new password at once, so the person stays here while their other devices are signed out.
 */
export function PasswordSettings({ user, onChanged }: { user: User; onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [revokeTokens, setRevokeTokens] = useState(true);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [said, setSaid] = useState<Said | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFields({});
    setSaid(undefined);
    try {
      await updateMe({
        ...(current ? { current_password: current } : {}),
        new_password: next,
        revoke_api_tokens: revokeTokens,
      });
    } catch (error) {
      setBusy(false);
      if (!(error instanceof ApiError)) {
        setSaid({ text: 'Could not change the password; try again.', error: true });
        return;
      }
      const refusal = error.forForm(['current_password', 'new_password']);
      setFields(refusal.fields);
      setSaid({ text: refusal.message, error: true });
      return;
    }
    if (!user.email) {
      // An account without an email signs in through its provider only.
      await signOut();
      return;
    }
    try {
      await signIn({ email: user.email, password: next });
    } catch {
      await signOut();
      return;
    }
    setCurrent('');
    setNext('');
    setBusy(false);
    setSaid({
      text: revokeTokens
        ? 'Password changed. Your other sessions are signed out and your API tokens revoked.'
        : 'Password changed. Your other sessions are signed out.',
      error: false,
    });
    onChanged();
  }

  return (
    <SettingsSection title="Password">
      <form className="settings-form" onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(event) => setCurrent(event.target.value)}
          error={fields.current_password}
          hint="Leave it empty if your account has none yet (you sign in with Google, GitHub or your company)."
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(event) => setNext(event.target.value)}
          error={fields.new_password}
          hint="8 to 128 characters."
        />
        <label className="check">
          <input
            type="checkbox"
            checked={revokeTokens}
            onChange={(event) => setRevokeTokens(event.target.checked)}
          />
          Also revoke my personal API tokens
        </label>
        <FormFoot busy={busy} label="Change password" said={said} />
      </form>
    </SettingsSection>
  );
}
