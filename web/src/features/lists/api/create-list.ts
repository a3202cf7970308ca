import { api } from '../../../lib/api-client.ts';
import type { List } from '../types.ts';

export function createList(name: string): Promise<List> {
  return api<List>('/api/me/lists', { method: 'POST', body: { name } });
}
