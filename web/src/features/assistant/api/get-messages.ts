import { api } from '../../../lib/api-client.ts';
import type { Message } from '../types.ts';

export function getMessages(conversationId: number, signal?: AbortSignal): Promise<Message[]> {
  return api<Message[]>(`/api/me/conversations/${conversationId}/messages`, { signal });
}
