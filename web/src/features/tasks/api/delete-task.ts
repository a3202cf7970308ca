import { api } from '../../../lib/api-client.ts';

/** `keepalive` lets a delete still waiting out its undo window go out while the page is being closed. */
export function deleteTask(id: number, { keepalive = false } = {}): Promise<void> {
  return api<void>(`/api/me/tasks/${id}`, { method: 'DELETE', keepalive });
}
