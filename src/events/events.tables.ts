import { bigserial, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * What changed, for whom: the live updates of GET /api/{user_id}/events. A row is written in the same statement or
 * transaction as the change it tells of, and a trigger (migration 0012) announces it with pg_notify when that
 * commits, so an event exists exactly when its change does, and every instance hears of it. Rows are kept a short
 * while (see events.repository.ts, pruneEvents) so that a client that reconnects gets what it missed.
 *
 * `audience` holds the ids of the users who may see the thing that changed, worked out when it changed (a list's
 * people, see the lists feature's listAudience). No foreign keys: the task, list or actor may be gone by the time
 * the event is read, and the event still says what happened.
 */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    audience: text('audience').array().notNull(),
    type: text('type').notNull(),
    list_id: integer('list_id'),
    task_id: integer('task_id'),
    actor_id: text('actor_id'),
    /** The actor's name when it happened, so that neither the announcement nor a replay reads the users table. */
    actor_name: text('actor_name'),
    created_at: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A reconnecting client's replay reads its own events after an id; the pruning reads them by age.
    index('events_audience_idx').using('gin', t.audience),
    index('events_created_at_idx').on(t.created_at),
  ],
);
