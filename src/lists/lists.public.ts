import type { Db } from '../db/database.ts';
import { createListsRepository, type ListRecord } from './lists.repository.ts';

/**
 * What the tasks feature reads of a user's lists, on the caller's handle (so inside its transaction): the lists
 * the user sees, for quick add's `+list`, and one of them, for a list filter that found no task.
 */
export function listsOf(db: Db, userId: string): Promise<ListRecord[]> {
  return createListsRepository(db).all(userId);
}

export async function canSeeList(db: Db, userId: string, listId: number): Promise<boolean> {
  if (!Number.isSafeInteger(listId) || listId < 1 || listId > 2_147_483_647) return false;
  return (await createListsRepository(db).find(userId, listId)) !== undefined;
}
