import type { Db } from '../db/database.ts';
import {
  inboxFixed,
  listNameTaken,
  listNotEmpty,
  listNotFound,
  moveOrDelete,
  moveToItself,
} from './lists.errors.ts';
import type { ListRecord, ListsRepository } from './lists.repository.ts';
import type { ListResponse } from './lists.schemas.ts';

/**
 * What the lists feature needs of the tasks in a list, given by the tasks feature (app.ts wires it), on the
 * handle given so that a list's deletion and what it does to its tasks are one transaction. Lists do not import
 * tasks: tasks depend on lists (a task's list), so this one need goes the other way by injection.
 */
export interface ListContents {
  /** Open and total tasks of the user's, by list id. */
  counts(userId: string): Promise<Map<number, { open: number; total: number }>>;
  count(userId: string, listId: number): Promise<number>;
  /** Moves every task of the list to another list (a change of each task: new version, updated now). */
  move(userId: string, from: number, to: number, now: Date): Promise<void>;
  /** Deletes every task of the list the way a task is deleted, so that each can be restored. */
  remove(userId: string, listId: number, now: Date): Promise<void>;
}

export interface ListsServiceDeps {
  repository: ListsRepository;
  clock: () => Date;
  contents: (db: Db) => ListContents;
}

const isListId = (id: number) => Number.isSafeInteger(id) && id >= 1 && id <= 2_147_483_647;

export function toListResponse(list: ListRecord, counts?: { open: number; total: number }): ListResponse {
  return {
    id: list.id,
    name: list.name,
    is_inbox: list.is_inbox,
    role: 'owner',
    open_tasks: counts?.open ?? 0,
    total_tasks: counts?.total ?? 0,
    created_at: list.created_at.toISOString(),
    updated_at: list.updated_at.toISOString(),
  };
}

export function createListsService({ repository, clock, contents }: ListsServiceDeps) {
  async function withCounts(userId: string, list: ListRecord): Promise<ListResponse> {
    const counts = await contents(repository.db).counts(userId);
    return toListResponse(list, counts.get(list.id));
  }

  return {
    async list(userId: string): Promise<ListResponse[]> {
      const [rows, counts] = await Promise.all([
        repository.all(userId),
        contents(repository.db).counts(userId),
      ]);
      return rows.map((row) => toListResponse(row, counts.get(row.id)));
    },

    async get(userId: string, id: number): Promise<ListResponse> {
      const list = isListId(id) ? await repository.find(userId, id) : undefined;
      if (!list) throw listNotFound();
      return withCounts(userId, list);
    },

    async create(userId: string, name: string): Promise<ListResponse> {
      const list = await repository.insert(userId, name, clock());
      if (!list) throw listNameTaken(name);
      return toListResponse(list);
    },

    async rename(userId: string, id: number, name: string): Promise<ListResponse> {
      const list = isListId(id) ? await repository.find(userId, id) : undefined;
      if (!list) throw listNotFound();
      if (list.is_inbox) throw inboxFixed();
      if (list.name === name) return withCounts(userId, list);
      const renamed = await repository.rename(userId, id, name, clock());
      if (!renamed) throw listNameTaken(name);
      return withCounts(userId, renamed);
    },

    /**
     * Deletes a list. One with tasks is deleted only when the client says what becomes of them: moved to another
     * of their lists (`moveTo`), or deleted (`deleteTasks`), each restorable like any deleted task.
     */
    async remove(userId: string, id: number, options: { moveTo?: number; deleteTasks?: boolean }) {
      if (options.moveTo !== undefined && options.deleteTasks) throw moveOrDelete();
      if (!isListId(id)) throw listNotFound();
      await repository.transaction(async (repo) => {
        const list = await repo.find(userId, id, { lock: true });
        if (!list) throw listNotFound();
        if (list.is_inbox) throw inboxFixed();
        if (options.moveTo !== undefined) {
          if (options.moveTo === id) throw moveToItself();
          const target = isListId(options.moveTo) ? await repo.find(userId, options.moveTo) : undefined;
          if (!target) throw listNotFound();
        }
        const tasks = contents(repo.db);
        const count = await tasks.count(userId, id);
        if (count > 0) {
          if (options.moveTo !== undefined) await tasks.move(userId, id, options.moveTo, clock());
          else if (options.deleteTasks) await tasks.remove(userId, id, clock());
          else throw listNotEmpty(count);
        }
        // Told while the list is still there to say whose it was; the list its tasks moved to changed too.
        await repo.recordChange('list.deleted', userId, id);
        if (count > 0 && options.moveTo !== undefined)
          await repo.recordChange('list.updated', userId, options.moveTo);
        await repo.delete(userId, id);
      });
    },
  };
}

export type ListsService = ReturnType<typeof createListsService>;
