import type { Db } from '../db/database.ts';
import type { ListContents } from '../lists/index.ts';
import { createTasksRepository } from './tasks.repository.ts';
import { DELETED_TASK_RETENTION_DAYS, DELETED_TASKS_KEPT } from './tasks.service.ts';

/**
 * The tasks of a list, as the lists feature counts, moves and deletes them (app.ts hands this to it), on the
 * handle given: inside the transaction that deletes the list.
 */
export function createListContents(db: Db): ListContents {
  const repository = createTasksRepository(db);
  return {
    counts: (userId) => repository.countsByList(userId),
    count: (userId, listId) => repository.countInList(userId, listId),
    move: (userId, from, to, now) => repository.moveList(userId, from, to, now),
    async remove(userId, listId, now) {
      await repository.deleteInList(userId, listId, now);
      await repository.purgeDeleted(
        userId,
        new Date(now.getTime() - DELETED_TASK_RETENTION_DAYS * 24 * 3_600_000),
        DELETED_TASKS_KEPT,
      );
    },
  };
}
