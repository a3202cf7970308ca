import { useCallback, useEffect, useState } from 'react';
import { type Said, SaidText } from '../../../components/ui/form-foot.tsx';
import { RevocableItem } from '../../../components/ui/revocable-item.tsx';
import { SettingsSection } from '../../../components/ui/settings-section.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { disconnectApp, getConnectedApps } from '../api/connected-apps.ts';
import { returnPlace } from '../return-place.ts';
import type { ConnectedApp } from '../types.ts';

const when = (iso: string | null, never: string) =>
  iso
    ? new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
    : never;

/**
 * The AI apps the user allowed to sign in (Claude, ChatGPT, other MCP clients), with what each may do and when it
 * last did something; disconnecting one revokes all it holds at once.
 */
export function ConnectedApps() {
  const [apps, setApps] = useState<ConnectedApp[] | null>(null);
  const [said, setSaid] = useState<Said | undefined>();

  const load = useCallback(() => {
    getConnectedApps().then(setApps, (error) =>
      setSaid({
        text: error instanceof ApiError ? error.message : 'Could not load your connected apps.',
        error: true,
      }),
    );
  }, []);
  useEffect(load, [load]);

  async function disconnect(app: ConnectedApp) {
    try {
      await disconnectApp(app.id);
      setSaid({ text: `Disconnected ${app.name}: it can no longer reach your tasks.`, error: false });
    } catch (error) {
      setSaid({
        text: error instanceof ApiError ? error.message : 'Could not disconnect; try again.',
        error: true,
      });
    }
    load();
  }

  return (
    <SettingsSection
      title="Connected apps"
      description="AI apps you allowed to sign in to Doable. Each acts as you, within what you allowed, until you disconnect it."
    >
      <SaidText said={said} />
      {apps && apps.length === 0 && <p className="muted">No apps are connected.</p>}
      {apps && apps.length > 0 && (
        <ul className="token-list" aria-label="Connected apps">
          {apps.map((app) => (
            <RevocableItem
              key={app.id}
              name={app.name}
              detail={`${app.scopes.join(', ')} · returns to ${returnPlace(app)} · connected ${when(app.connected_at, '')} · last used ${when(app.last_used_at, 'never')}`}
              verb="Disconnect"
              action={`Disconnect ${app.name}`}
              onConfirm={() => void disconnect(app)}
            />
          ))}
        </ul>
      )}
    </SettingsSection>
  );
}
