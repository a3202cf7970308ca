// Mirrors the Task and QuickAddPreview schemas of src/tasks/tasks.schemas.ts (see /docs); the page never
// bundles server code.
export const PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface Task {
  id: number;
  user_id: string;
  /** The list the task is in (web/src/features/lists). */
  list_id: number;
  title: string;
  description: string | null;
  completed: boolean;
  completed_at: string | null;
  priority: Priority;
  tags: string[];
  due_date: string | null;
  recurrence: string | null;
  /** In a shared list, the member (or owner) who is to do it; null: nobody in particular. */
  assignee_id: string | null;
  /** Who added the task and who changed it last (user ids; null for a user since gone). */
  created_by: string | null;
  updated_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface QuickAddPreview {
  title: string;
  description: string | null;
  priority: Priority | null;
  tags: string[];
  due_date: string | null;
  recurrence: string | null;
  /** The list `+name` named; null: none (the list being shown, or the Inbox). */
  list_id: number | null;
}

export interface TagCount {
  name: string;
  /** Tasks to do carrying the tag. */
  count: number;
  /** Every task carrying it, completed ones included. */
  total: number;
}
