import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/database.ts';
import { createListsRepository, type ListRecord, listAudienceSql } from './lists.repository.ts';

/**
 * What the tasks feature reads of a user's lists, on the caller's handle (so inside its transaction): the lists
 * the user sees, for quick add's `+list`, and one of them, for a list filter that found no task.
 */
export function listsOf(db: Db, userId: string): Promise<ListRecord[]> {
  return createListsRepository(db).all(userId);
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
  if (!Number.isSafeInteger(listId) || listId < 1 || listId > 2_147_483_647) return false;
  return (await createListsRepository(db).find(userId, listId)) !== undefined;
}

/**
 * A list's name as people write it: without case, and without the spaces, hyphens and underscores a name may be
 * written with ("weekly-shopping" and "Weekly shopping" are one name). Quick add's `+name` and the assistant's
 * tools both match names this way.
 */
export const listNameKey = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

/** The list of `lists` that `name` names (see listNameKey), if any. */
export function listNamed<L extends { name: string }>(lists: readonly L[], name: string): L | undefined {
  const wanted = listNameKey(name);
  return lists.find((list) => listNameKey(list.name) === wanted);
}

/**
 * A user's lists by name, for callers that speak names rather than ids (the assistant's tools). Each call is one
 * query, of the lists the user sees: the Inbox first, then by name.
 */
export interface ListNames {
  /** The list `name` names (see listNameKey), if any, and all the user's lists, for a refusal to name them. */
  named(userId: string, name: string): Promise<{ list: ListRecord | undefined; lists: ListRecord[] }>;
  /** The names of the user's lists, by id. */
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
