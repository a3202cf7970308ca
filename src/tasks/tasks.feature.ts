import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { createTasksRepository } from './tasks.repository.ts';
import { tasksRoutes } from './tasks.routes.ts';
import { createTasksService, type TasksService } from './tasks.service.ts';

export interface TasksFeatureOptions {
  db: Db;
  clock: () => Date;
  /** False to build only the service, for the assistant when the tasks routes are switched off. */
  routes?: boolean;
}

/**
 * The tasks service on a database, or on a transaction of another feature's: what the assistant, MCP, the export,
 * the CLI and the benchmarks act on tasks with.
 */
export function buildTasksService(opts: Pick<TasksFeatureOptions, 'db' | 'clock'>): TasksService {
  return createTasksService({ repository: createTasksRepository(opts.db), clock: opts.clock });
}

/** Tasks and tags under /api/{user_id}/. Returns the service for the features that act on tasks too. */
export async function registerTasks(app: FastifyInstance, opts: TasksFeatureOptions) {
  const service = buildTasksService(opts);
  if (opts.routes !== false) await app.register(tasksRoutes, { service });
  return { service };
}
