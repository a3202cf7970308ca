import { api } from '../../../lib/api-client.ts';
import type { ConnectedApp } from '../types.ts';

export function getConnectedApps(): Promise<ConnectedApp[]> {
  return api<ConnectedApp[]>('/api/auth/connected-apps');
}

/** Revokes everything the app holds for this account at once: its next call is refused. */
export function disconnectApp(id: string): Promise<void> {
  return api<void>(`/api/auth/connected-apps/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
