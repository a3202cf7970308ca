import { HttpProblem } from '../http/problem.ts';

/** The lists feature's errors, each with its stable code (see src/http/problem.ts for how they are answered). */

/** A missing list, and another user's list alike: whether a list exists is not told to who cannot see it. */
export const listNotFound = () =>
  new HttpProblem(
    404,
    'lists.not_found',
    'No list with this id is yours; see your lists with GET /api/me/lists.',
  );

export const listNameTaken = (name: string) =>
  new HttpProblem(
    409,
    'lists.name_taken',
    `You already have a list named "${name}" (names are compared without case); choose another name.`,
  );

export const inboxFixed = () =>
  new HttpProblem(
    409,
    'lists.inbox_fixed',
    'The Inbox is where tasks go when no list is said: it cannot be renamed or deleted.',
  );

export const listNotEmpty = (count: number) =>
  new HttpProblem(
    409,
    'lists.not_empty',
    `This list has ${count} task${count === 1 ? '' : 's'}: pass ?move_to={list_id} to move them to another ` +
      'of your lists first, or ?delete_tasks=true to delete them with the list.',
  );

export const moveToItself = () =>
  new HttpProblem(400, 'lists.move_to_itself', 'move_to must name another list than the one being deleted.');

export const moveOrDelete = () =>
  new HttpProblem(
    400,
    'lists.move_or_delete',
    'Pass either ?move_to={list_id} or ?delete_tasks=true, not both: the tasks either move or go.',
  );
