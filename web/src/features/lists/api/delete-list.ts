import { api } from '../../../lib/api-client.ts';

/**
 * What becomes of the list's tasks: moved to another list, or deleted with it (each still restorable). An empty
 * list needs neither; one with tasks and neither is refused (409 `lists.not_empty`).
 */
export type TasksFate = { moveTo: number } | { deleteTasks: true } | null;

export function deleteList(id: number, fate: TasksFate): Promise<void> {
  const query = new URLSearchParams();
  if (fate && 'moveTo' in fate) query.set('move_to', String(fate.moveTo));
  if (fate && 'deleteTasks' in fate) query.set('delete_tasks', 'true');
  const search = query.toString();
  return api<void>(`/api/me/lists/${id}${search ? `?${search}` : ''}`, { method: 'DELETE' });
}
