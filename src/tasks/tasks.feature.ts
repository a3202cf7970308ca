import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { createTasksRepository } from './tasks.repository.ts';
import { tasksRoutes } from './tasks.routes.ts';
import { createTasksService } from './tasks.service.ts';

export interface TasksFeatureOptions {
  db: Db;
  clock: () => Date;
}

/** Tasks and tags under /api/{user_id}/. Returns the service for the features that act on tasks too. */
export async function registerTasks(app: FastifyInstance, opts: TasksFeatureOptions) {
  const repository = createTasksRepository(opts.db);
  const service = createTasksService({ repository, clock: opts.clock });
  await app.register(tasksRoutes, { service });
  return { service };
}
