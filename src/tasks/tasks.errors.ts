import { HttpProblem } from '../http/problem.ts';

/** The tasks feature's errors, each with its stable code (see src/http/problem.ts for how they are answered). */

export const taskNotFound = () =>
  new HttpProblem(
    404,
    'tasks.not_found',
    'No task with this id is yours or in a list shared with you; list your tasks with GET /api/me/tasks.',
  );

export const deletedTaskNotFound = (retentionDays: number) =>
  new HttpProblem(
    404,
    'tasks.not_found',
    `You deleted no task with this id: a deleted task can be restored once, by who deleted it, within ${retentionDays} days.`,
  );

export const restoreConflict = (imported: number) =>
  new HttpProblem(
    409,
    'tasks.restore_conflict',
    `An import brought this task back since it was deleted, as task ${imported}; it stays deleted.`,
  );

export const restoreNotYours = () =>
  new HttpProblem(
    409,
    'tasks.restore_not_yours',
    'This task was in a list shared with you that you can no longer change, so it cannot come back to you: it is ' +
      "its list's owner's. Ask them to add it again.",
  );

/** An editor moving someone else's task into a list of another owner would take the task from its owner. */
export const moveNotYours = () =>
  new HttpProblem(
    403,
    'tasks.move_not_yours',
    "This task is its list's owner's: you can move it between their lists you may change, not into a list of " +
      'someone else (such as your own). Ask its owner, or add a task of your own.',
  );

export const idempotencyKeyReused = () =>
  new HttpProblem(
    422,
    'tasks.idempotency_key_reused',
    'This Idempotency-Key was already used for a different request; send a new key for a new request.',
  );

/** If-Match named another version: `current` is the task's ETag now. */
export const preconditionFailed = (current: string) =>
  new HttpProblem(
    412,
    'tasks.precondition_failed',
    'The task changed since the ETag you sent; fetch it again, reapply your change and retry.',
    { headers: { etag: current } },
  );

/** An assignee must be the owner or a member of the task's list. */
export const assigneeNotMember = () =>
  new HttpProblem(
    422,
    'tasks.assignee_not_member',
    'A task can be given only to the owner of its list or to one of its members (see who shares a list with ' +
      'GET /api/me/lists/{list_id}/members).',
  );

export const tooManyTasks = (max: number, own: boolean) =>
  new HttpProblem(
    409,
    'tasks.too_many',
    `${own ? 'Your account holds' : 'The owner of this list holds'} ${max.toLocaleString('en')} tasks, the most an ` +
      'account may (completed ones count too): delete some that are no longer needed first.',
  );
