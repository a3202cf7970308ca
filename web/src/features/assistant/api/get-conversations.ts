import { api } from '../../../lib/api-client.ts';
import type { Conversation } from '../types.ts';

export function getConversations(signal?: AbortSignal): Promise<Conversation[]> {
  return api<Conversation[]>('/api/me/conversations', { signal });
}
