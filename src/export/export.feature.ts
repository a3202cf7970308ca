import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { exportRoutes } from './export.routes.ts';
import { createExportService } from './export.service.ts';

export interface ExportFeatureOptions {
  db: Db;
  clock: () => Date;
  importBodyLimit: number;
}

/** Export and import of a user's data under /api/{user_id}/export and /import; on whenever tasks are. */
export async function registerExport(app: FastifyInstance, opts: ExportFeatureOptions) {
  const service = createExportService({ db: opts.db, clock: opts.clock });
  await app.register(exportRoutes, { service, importBodyLimit: opts.importBodyLimit });
}
