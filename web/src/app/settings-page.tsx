import { useEffect, useRef, useState } from 'react';
import { paths } from '../config/paths.ts';
import { signOut } from '../features/auth/api/sign-out.ts';
import { ApiTokenSettings } from '../features/auth/components/api-token-settings.tsx';
import { PasswordSettings } from '../features/auth/components/password-settings.tsx';
import { ProfileSettings } from '../features/auth/components/profile-settings.tsx';
import { ExportSettings } from '../features/export/components/export-settings.tsx';
import { ConnectedApps } from '../features/mcp/components/connected-apps.tsx';
import { McpSetup } from '../features/mcp/components/mcp-setup.tsx';
import type { User } from '../lib/api-client.ts';
import { linkTo } from '../lib/router.ts';

/**
 * Everything that needed curl before: profile, password, API tokens, MCP set-up and the apps connected by sign-in,
 * export and import.
 */
export function SettingsPage({ user }: { user: User }) {
  const [newToken, setNewToken] = useState<string | undefined>();
  // A password change revokes tokens: the list is read again.
  const [tokensKey, setTokensKey] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);

  return (
    <main id="main" className="settings-page">
      <a className="back-link" href={paths.tasks} onClick={linkTo(paths.tasks)}>
        ← Your tasks
      </a>
      <h1 ref={heading} tabIndex={-1}>
        Settings
      </h1>
      <ProfileSettings user={user} />
      <PasswordSettings user={user} onChanged={() => setTokensKey((n) => n + 1)} />
      <ApiTokenSettings key={tokensKey} onCreated={(token) => setNewToken(token.token)} />
      <McpSetup token={newToken} />
      <ConnectedApps />
      <ExportSettings />
      <section className="settings-section" aria-label="Session">
        <p className="muted">
          Signed in as {user.email ?? user.name}.{' '}
          <button type="button" className="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </p>
      </section>
    </main>
  );
}
