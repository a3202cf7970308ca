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
    count: (listId) => repository.countInList(listId),
    move: (actor, from, to, now) => repository.moveList(actor, from, to, now),
    unassign: (listId, userId) => repository.unassignInList(listId, userId),
    async remove(actor, listId, now) {
      await repository.deleteInList(actor, listId, now);
      await repository.purgeDeleted(
        actor,
        new Date(now.getTime() - DELETED_TASK_RETENTION_DAYS * 24 * 3_600_000),
        DELETED_TASKS_KEPT,
      );
    },
  };
}
