import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/database.ts';
import { createListsRepository, type ListRole, listAudienceSql, type SeenList } from './lists.repository.ts';

/**
 * What the tasks feature reads of a user's lists, on the caller's handle (so inside its transaction): the lists
 * the user sees with their role, for quick add's `+list`; their own first, so that a name that is both one of
 * theirs and one shared with them names theirs.
 */
export async function listsOf(db: Db, userId: string): Promise<SeenList[]> {
  return ownFirst(await createListsRepository(db).all(userId));
}

/**
 * The ids of the users who are told of a change to the list (see listAudienceSql, which statements that record an
 * event embed instead, to save the round trip): its owner, and with sharing its members.
 */
export async function listAudience(db: Db, listId: number): Promise<string[]> {
  const result = await db.execute(sql`select ${listAudienceSql(listId)} as audience`);
  return rowsOf<{ audience: string[] }>(result)[0]?.audience ?? [];
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
