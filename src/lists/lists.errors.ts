import { HttpProblem } from '../http/problem.ts';

/** The lists feature's errors, each with its stable code (see src/http/problem.ts for how they are answered). */

/**
 * A missing list, and a list the user does not see (another user's, one they left or were removed from, one they
 * are only invited to) alike: whether a list exists is not told to who cannot see it.
 */
export const listNotFound = () =>
  new HttpProblem(
    404,
    'lists.not_found',
    'No list with this id is yours or shared with you; see your lists with GET /api/me/lists.',
  );

/** A viewer of a shared list asked to change it or its tasks. */
export const listReadOnly = () =>
  new HttpProblem(
    403,
    'lists.read_only',
    'You can view this list but not change it; ask its owner to make you an editor.',
  );

/** A member asked for what only the owner does: rename, delete, or choose who shares the list. */
export const ownerOnly = () =>
  new HttpProblem(
    403,
    'lists.owner_only',
    'Only the owner of this list can rename or delete it, or choose who shares it.',
  );

export const inboxPrivate = () =>
  new HttpProblem(
    409,
    'lists.inbox_private',
    'The Inbox is yours alone and cannot be shared; make a list for what you share, and invite people to it.',
  );

export const inviteSelf = () =>
  new HttpProblem(400, 'lists.invite_self', 'That is your own address, and this list is already yours.');

export const membersFull = (max: number) =>
  new HttpProblem(
    409,
    'lists.members_full',
    `A list is shared with at most ${max} people, invitations included; remove someone before inviting more.`,
  );

export const memberNotFound = () =>
  new HttpProblem(
    404,
    'lists.member_not_found',
    'No member or invitation of this list has this id; see them with GET /api/me/lists/{list_id}/members.',
  );

/** No invitation to this list waits for the caller's address: a missing list answers the same. */
export const invitationNotFound = () =>
  new HttpProblem(
    404,
    'lists.invitation_not_found',
    'No invitation to this list waits for you; see yours with GET /api/me/invitations.',
  );

export const ownerCannotLeave = () =>
  new HttpProblem(
    409,
    'lists.owner_cannot_leave',
    'You own this list, so you cannot leave it: remove its members, or delete it.',
  );

export const moveToShared = () =>
  new HttpProblem(
    400,
    'lists.move_to_shared',
    'move_to must be a list of your own: the tasks of a deleted list stay yours. Move tasks into a list shared ' +
      'with you one by one.',
  );

export const tooManyLists = (max: number) =>
  new HttpProblem(
    409,
    'lists.too_many',
    `An account has at most ${max} lists; delete one you no longer need (its tasks can move to another) first.`,
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
