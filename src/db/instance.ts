import { sql } from 'drizzle-orm';
import { check, pgTable, smallint, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Db } from './database.ts';

/**
 * One row: this installation's random id, made at the first export. Exported tasks and conversations are named
 * `<instance>/tasks/<id>`, so that an import knows whether it has seen them (see export.service.ts), and a
 * restored task finds the copy an import made of it (see tasks.repository.ts). The installation's, not a
 * feature's: both features read it.
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

/** This installation's id, made by the first call. */
export async function instanceId(db: Db): Promise<string> {
  await db.insert(instance).values({}).onConflictDoNothing();
  const [row] = await db.select({ id: instance.id }).from(instance);
  if (!row) throw new Error('the instance row is missing');
  return row.id;
}
