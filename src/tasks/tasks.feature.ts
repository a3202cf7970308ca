import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { createTasksRepository } from './tasks.repository.ts';
import { tasksRoutes } from './tasks.routes.ts';
import { createTasksService } from './tasks.service.ts';

export interface TasksFeatureOptions {
  db: Db;
  clock: () => Date;
  /** False to build only the service, for the assistant when the tasks routes are switched off. */
  routes?: boolean;
}

/** Tasks and tags under /api/{user_id}/. Returns the service for the features that act on tasks too. */
export async function registerTasks(app: FastifyInstance, opts: TasksFeatureOptions) {
  const repository = createTasksRepository(opts.db);
  const service = createTasksService({ repository, clock: opts.clock });
  if (opts.routes !== false) await app.register(tasksRoutes, { service });
  return { service };
}
