import { sql } from 'drizzle-orm';
import { check, pgTable, smallint, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * One row: this installation's random id, made at the first export. Exported tasks and conversations are named
 * `<instance>/tasks/<id>`, so that an import knows whether it has seen them (see export.service.ts).
 */
export const instance = pgTable(
  'instance',
  {
    singleton: smallint('singleton').primaryKey().default(1),
    id: uuid('id').notNull().defaultRandom(),
    created_at: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('instance_singleton', sql`${t.singleton} = 1`)],
);
