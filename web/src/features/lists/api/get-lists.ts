import { api } from '../../../lib/api-client.ts';
import type { List } from '../types.ts';

/** The Inbox first, then the others by name, each with its counts. */
export function getLists(signal?: AbortSignal): Promise<List[]> {
  return api<List[]>('/api/me/lists', { signal });
}
