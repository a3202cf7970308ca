import { api } from '../../../lib/api-client.ts';

export function revokeApiToken(id: string): Promise<void> {
  return api<void>(`/api/auth/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
