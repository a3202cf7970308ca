import { api } from '../../../lib/api-client.ts';
import type { QuickAddPreview, Task } from '../types.ts';

export function quickAdd(text: string): Promise<Task> {
  return api<Task>('/api/me/tasks/quick', { method: 'POST', body: { text } });
}

/** What quick add would make of the text, shown while it is typed; creates nothing. */
export function previewQuickAdd(text: string, signal?: AbortSignal): Promise<QuickAddPreview> {
  return api<QuickAddPreview>('/api/me/tasks/quick/preview', { method: 'POST', body: { text }, signal });
}
