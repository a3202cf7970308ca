import { api } from '../../../lib/api-client.ts';
import type { Task } from '../types.ts';

export type TaskChanges = Partial<
  Pick<
    Task,
    'title' | 'list_id' | 'priority' | 'tags' | 'due_date' | 'description' | 'recurrence' | 'assignee_id'
  >
>;

export function updateTask(id: number, changes: TaskChanges): Promise<Task> {
  return api<Task>(`/api/me/tasks/${id}`, { method: 'PATCH', body: changes });
}

export function setCompleted(id: number, completed: boolean): Promise<Task> {
  return api<Task>(`/api/me/tasks/${id}/complete`, { method: 'PATCH', body: { completed } });
}
