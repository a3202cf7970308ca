import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { createListsRepository } from './lists.repository.ts';
import { listsRoutes } from './lists.routes.ts';
import { createListsService, type ListContents, type ListsService } from './lists.service.ts';

export interface ListsFeatureOptions {
  db: Db;
  clock: () => Date;
  /** The tasks in a list, from the tasks feature (see ListContents). */
  contents: (db: Db) => ListContents;
}

export function buildListsService(opts: ListsFeatureOptions): ListsService {
  return createListsService({
    repository: createListsRepository(opts.db),
    clock: opts.clock,
    contents: opts.contents,
  });
}

/** Lists under /api/{user_id}/lists, registered with the tasks feature's routes. */
export async function registerLists(app: FastifyInstance, opts: ListsFeatureOptions) {
  const service = buildListsService(opts);
  await app.register(listsRoutes, { service });
  return { service };
}
