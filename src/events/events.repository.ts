import { type SQL, sql } from 'drizzle-orm';
import { userNameOf } from '../auth/index.ts';
import { type Db, rowsOf } from '../db/database.ts';
import { events } from './events.tables.ts';

/** What a client is told: a task or list changed, or (`tasks.reset`) many at once, so re-read everything. */
export const EVENT_TYPES = [
  'task.created',
  'task.updated',
  'task.deleted',
  'task.restored',
  'list.created',
  'list.updated',
  'list.deleted',
  'tasks.reset',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The channel the trigger of migration 0012 announces events on. */
export const EVENTS_CHANNEL = 'doable_events';

/**
 * An event to record. Each value may be SQL, so that a statement can record the event of the row it writes (a
 * task's new id and list) in the same round trip.
 */
export interface NewEvent {
  type: EventType;
  /** The ids of the users to tell, as SQL for a text[]: the lists feature's listAudienceSql, or usersAudience. */
  audience: SQL<string[]>;
  listId?: number | SQL | null;
  taskId?: number | SQL | null;
  /** Who made the change: the user whose request it was. */
  actorId: string | SQL | null;
}

/** An event as it is read back, for a replay or after a lost connection. */
export interface EventRecord {
  id: number;
  type: EventType;
  audience: string[];
  list_id: number | null;
  task_id: number | null;
  actor_id: string | null;
  actor_name: string | null;
  at: Date;
}

/** SQL for these users as an audience (an account-wide change, such as an import, is its user's alone). */
export const usersAudience = (userIds: readonly string[]): SQL<string[]> =>
  sql<string[]>`array[${sql.join(
    userIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::text[]`;

/** Everyone in any of the audiences, each once (a list's people and those who just left it or were invited). */
export function eitherAudience(...audiences: SQL<string[]>[]): SQL<string[]> {
  if (audiences.length === 1 && audiences[0]) return audiences[0];
  return sql<string[]>`array(select distinct who from unnest(${sql.join(audiences, sql` || `)}) as who)`;
}

/**
 * The statement that records an event; the table's trigger announces it when the transaction commits. With `from`
 * it records one event per row of that source (a CTE of the statement it is part of), whose columns the values may
 * name. The actor's name is read in the same statement.
 */
export function eventInsert(event: NewEvent, from?: SQL): SQL {
  const actor = sql`${event.actorId}::text`;
  return sql`insert into ${events} (audience, type, list_id, task_id, actor_id, actor_name)
    select ${event.audience}, ${event.type}, ${event.listId ?? null}::integer, ${event.taskId ?? null}::integer,
      ${actor}, ${userNameOf(actor)}${from ? sql` from ${from}` : sql``}`;
}

/**
 * Records an event on `db`: inside the transaction of the change it tells of, so that it is announced when that
 * commits and never when it is rolled back. One statement.
 */
export async function publishEvent(db: Db, event: NewEvent): Promise<void> {
  await db.execute(eventInsert(event));
}

/** How long events are kept for a client that reconnects, and how many at most whatever their age. */
export const EVENT_RETENTION = { minutes: 15, newest: 100_000 };
/** The pruning's batches (as the OAuth sweep's): few locks and little time per statement, a bounded run. */
const PRUNE_BATCH = 1_000;
const PRUNE_MAX_BATCHES = 20;

const columns = sql`id, type, audience, list_id, task_id, actor_id, actor_name, created_at as at`;

interface Row extends Omit<EventRecord, 'at' | 'id'> {
  id: number | string;
  at: Date | string;
}
const toRecord = (row: Row): EventRecord => ({ ...row, id: Number(row.id), at: new Date(row.at) });

export function createEventsRepository(db: Db) {
  return {
    /** The user's events after `after`, oldest first, at most `limit`. */
    async replay(userId: string, after: number, limit: number): Promise<EventRecord[]> {
      const result = await db.execute(sql`select ${columns} from ${events}
        where audience @> array[${userId}::text] and id > ${after} order by id limit ${limit}`);
      return rowsOf<Row>(result).map(toRecord);
    },

    /** Everyone's events after `after`, oldest first, at most `limit`: what a listener missed while away. */
    async after(after: number, limit: number): Promise<EventRecord[]> {
      const result = await db.execute(
        sql`select ${columns} from ${events} where id > ${after} order by id limit ${limit}`,
      );
      return rowsOf<Row>(result).map(toRecord);
    },

    async byId(id: number): Promise<EventRecord | undefined> {
      const result = await db.execute(sql`select ${columns} from ${events} where id = ${id}`);
      const [row] = rowsOf<Row>(result);
      return row && toRecord(row);
    },

    /** The oldest and newest ids kept (both null while there are none). */
    async bounds(): Promise<{ oldest: number | null; newest: number | null }> {
      const result = await db.execute(sql`select min(id) as oldest, max(id) as newest from ${events}`);
      const [row] = rowsOf<{ oldest: number | string | null; newest: number | string | null }>(result);
      return {
        oldest: row?.oldest == null ? null : Number(row.oldest),
        newest: row?.newest == null ? null : Number(row.newest),
      };
    },

    /**
     * Forgets events older than the retention, or beyond the newest EVENT_RETENTION.newest, in batches; the newest
     * event is always kept, so that an id a client holds can be told from one this database never gave. Rows
     * another instance is pruning are skipped rather than waited for. Answers how many went.
     */
    async prune(): Promise<number> {
      let total = 0;
      for (let batch = 0; batch < PRUNE_MAX_BATCHES; batch++) {
        const result = await db.execute(sql`
          with newest as (select max(id) as id from ${events}),
          gone as (
            delete from ${events} where id in (
              select e.id from ${events} e, newest
              where e.id < newest.id
                and (e.created_at < now() - make_interval(mins => ${EVENT_RETENTION.minutes})
                  or e.id <= newest.id - ${EVENT_RETENTION.newest})
              order by e.id limit ${PRUNE_BATCH}
              for update of e skip locked)
            returning 1)
          select count(*)::int as deleted from gone`);
        const deleted = rowsOf<{ deleted: number }>(result)[0]?.deleted ?? 0;
        total += deleted;
        if (deleted < PRUNE_BATCH) break;
      }
      return total;
    },
  };
}

export type EventsRepository = ReturnType<typeof createEventsRepository>;
