import { api } from '../../../lib/api-client.ts';
import type { Answer } from '../types.ts';

export function ask(query: string, signal?: AbortSignal): Promise<Answer> {
  return api<Answer>('/api/knowledge/ask', { method: 'POST', body: { query, max_results: 5 }, signal });
}
