import { api } from '../../../lib/api-client.ts';
import type { List } from '../types.ts';

export function renameList(id: number, name: string): Promise<List> {
  return api<List>(`/api/me/lists/${id}`, { method: 'PATCH', body: { name } });
}
