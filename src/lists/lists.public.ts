import type { Db } from '../db/database.ts';
import { createListsRepository, type ListRole, type SeenList } from './lists.repository.ts';

/**
 * What the tasks feature reads of a user's lists, on the caller's handle (so inside its transaction): the lists
 * the user sees with their role, for quick add's `+list`; their own first, so that a name that is both one of
 * theirs and one shared with them names theirs.
 */
export async function listsOf(db: Db, userId: string): Promise<SeenList[]> {
  return ownFirst(await createListsRepository(db).all(userId));
}

export async function canSeeList(db: Db, userId: string, listId: number): Promise<boolean> {
  return (await listAccess(db, userId, listId)) !== undefined;
}

/**
 * What the user is to a list (owner, editor or viewer) and who owns it, or undefined when they do not see it: for
 * the tasks feature to tell a list they only view (403) from one they do not see (404), and to move a task.
 */
export async function listAccess(
  db: Db,
  userId: string,
  listId: number,
): Promise<{ role: ListRole; ownerId: string } | undefined> {
  if (!Number.isSafeInteger(listId) || listId < 1 || listId > 2_147_483_647) return undefined;
  const list = await createListsRepository(db).find(userId, listId);
  return list && { role: list.role, ownerId: list.owner_id };
}

/**
 * Who hears of a change to a list and its tasks: its owner and its active members' user ids (for the live events
 * stream). Empty for a list that does not exist.
 */
export function listAudience(db: Db, listId: number): Promise<string[]> {
  return createListsRepository(db).audience(listId);
}

/**
 * A list's name as people write it: without case, and without the spaces, hyphens and underscores a name may be
 * written with ("weekly-shopping" and "Weekly shopping" are one name). Quick add's `+name` and the assistant's
 * tools both match names this way.
 */
export const listNameKey = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

/** The lists the user owns first, then those shared with them, each group in the order given. */
function ownFirst<L extends { role: ListRole }>(lists: readonly L[]): L[] {
  return [...lists.filter((list) => list.role === 'owner'), ...lists.filter((list) => list.role !== 'owner')];
}

/** The list of `lists` that `name` names (see listNameKey), if any; the user's own on a tie with a shared one. */
export function listNamed<L extends { name: string; role: ListRole }>(
  lists: readonly L[],
  name: string,
): L | undefined {
  const wanted = listNameKey(name);
  return ownFirst(lists).find((list) => listNameKey(list.name) === wanted);
}

/**
 * A user's lists by name, for callers that speak names rather than ids (the assistant's tools). Each call is one
 * query, of the lists the user sees (their own and those shared with them): the Inbox first, then by name.
 */
export interface ListNames {
  /** The list `name` names (see listNamed), if any, and all the user's lists, for a refusal to name them. */
  named(userId: string, name: string): Promise<{ list: SeenList | undefined; lists: SeenList[] }>;
  /** The names of the lists the user sees, by id. */
  names(userId: string): Promise<Map<number, string>>;
}

export function createListNames(db: Db): ListNames {
  const repository = createListsRepository(db);
  return {
    async named(userId, name) {
      const lists = await repository.all(userId);
      return { list: listNamed(lists, name), lists };
    },
    async names(userId) {
      return new Map((await repository.all(userId)).map((list) => [list.id, list.name]));
    },
  };
}
