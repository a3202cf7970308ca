import { api } from '../../../lib/api-client.ts';
import type { QuickAddPreview, Task } from '../types.ts';

/** `listId`: where the task goes when the text names no list with `+name` (the list being shown). */
export function quickAdd(text: string, listId?: number): Promise<Task> {
  return api<Task>('/api/me/tasks/quick', { method: 'POST', body: { text, list_id: listId } });
}

/** What quick add would make of the text, shown while it is typed; creates nothing. */
export function previewQuickAdd(text: string, signal?: AbortSignal): Promise<QuickAddPreview> {
  return api<QuickAddPreview>('/api/me/tasks/quick/preview', { method: 'POST', body: { text }, signal });
}
