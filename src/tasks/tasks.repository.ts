import { and, asc, desc, eq, gte, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { users } from '../auth/auth.tables.ts';
import type { Db } from '../db/database.ts';
import type { SortField } from './tasks.schemas.ts';
import { idempotencyKeys, type Priority, tags, taskCompletions, tasks, taskTags } from './tasks.tables.ts';

/** A half-open range [from, to) of `due_at`; either end may be open. */
export interface DueRange {
  from?: Date;
  to?: Date;
}

/** Tasks whose due date falls in `allDay` (for calendar dates) or `timed` (for date-times); a missing side matches nothing. */
export interface DueWindow {
  allDay?: DueRange;
  timed?: DueRange;
}

export interface ListFilters {
  completed?: boolean;
  priorities?: Priority[];
  tags?: { names: string[]; mode: 'any' | 'all' };
  /** Every window must match. */
  due: DueWindow[];
  noDueDate?: boolean;
  /** Words to find; each may be the beginning of a word. */
  searchTerms?: string[];
  sort: { by: SortField | 'relevance'; direction: 'asc' | 'desc' };
  limit: number;
  offset: number;
}

const taskColumns = {
  id: tasks.id,
  user_id: tasks.user_id,
  title: tasks.title,
  description: tasks.description,
  completed: tasks.completed,
  completed_at: tasks.completed_at,
  priority: tasks.priority,
  due_date: tasks.due_date,
  due_at: tasks.due_at,
  due_all_day: tasks.due_all_day,
  recurrence: tasks.recurrence,
  version: tasks.version,
  created_at: tasks.created_at,
  updated_at: tasks.updated_at,
};

/**
 * The task's tag names in the order given; a subquery per row of the page, evaluated after LIMIT. Spelled out
 * because Drizzle leaves columns in a select list unqualified, which would bind "id" to the wrong table here.
 */
const tagNames = sql<string[]>`coalesce((
  select array_agg(g.name order by tt.position)
  from task_tags tt join tags g on g.id = tt.tag_id
  where tt.task_id = "tasks"."id"), '{}')`;

export type TaskRow = Omit<typeof tasks.$inferSelect, 'search' | 'import_source'>;
export type TaskRecord = TaskRow & { tags: string[] };
export type TaskValues = Omit<
  typeof tasks.$inferInsert,
  'id' | 'search' | 'user_id' | 'version' | 'import_source'
>;

export interface TasksRepository extends ReturnType<typeof queries> {
  /** Runs `work` in a transaction (a savepoint when already in one) with a repository bound to it. */
  transaction<T>(work: (repository: TasksRepository) => Promise<T>): Promise<T>;
}

export function createTasksRepository(db: Db): TasksRepository {
  return {
    ...queries(db),
    transaction: (work) => db.transaction((tx) => work(createTasksRepository(tx as unknown as Db))),
  };
}

function queries(db: Db) {
  // Creating a task is the hottest write: prepared once per repository, its SQL is not rebuilt per request.
  let insertTask: ReturnType<typeof prepareInsert> | undefined;
  const prepareInsert = () =>
    db
      .insert(tasks)
      .values({
        user_id: sql.placeholder('user_id'),
        title: sql.placeholder('title'),
        description: sql.placeholder('description'),
        priority: sql.placeholder('priority'),
        due_date: sql.placeholder('due_date'),
        // A null would reach the column's encoder, which expects a Date; the driver sends a Date itself.
        due_at: sql`${sql.placeholder('due_at')}::timestamptz`,
        due_all_day: sql.placeholder('due_all_day'),
        recurrence: sql.placeholder('recurrence'),
        created_at: sql.placeholder('created_at'),
        updated_at: sql.placeholder('updated_at'),
      })
      .returning(taskColumns)
      .prepare('tasks_insert');
  return {
    async userTimeZone(userId: string): Promise<string> {
      const [user] = await db.select({ timezone: users.timezone }).from(users).where(eq(users.id, userId));
      return user?.timezone ?? 'UTC';
    },

    /** One query for the page, its total and each task's tags. */
    async list(userId: string, filters: ListFilters): Promise<{ rows: TaskRecord[]; total: number }> {
      const where = listConditions(userId, filters);
      // Measured on 20k tasks of one user (bench/explain-tasks.ts): a separate count can run on an index
      // while the page stops after LIMIT rows, 2-5 times faster than a window count, which has to fetch every
      // matching row; but with a search or tag filter it pays that filter twice, and the window count wins.
      const total =
        filters.searchTerms || filters.tags
          ? sql<number>`cast(count(*) over () as integer)`
          : sql<number>`(select cast(count(*) as integer) from ${tasks} where ${where})`;
      const rows = await db
        .select({ ...taskColumns, tags: tagNames, total })
        .from(tasks)
        .where(where)
        .orderBy(...ordering(filters))
        .limit(filters.limit)
        .offset(filters.offset);
      if (rows.length > 0 || filters.offset === 0) return { rows, total: rows[0]?.total ?? 0 };
      // Past the last page the count has no row to ride on.
      const [counted] = await db
        .select({ total: sql<number>`cast(count(*) as integer)` })
        .from(tasks)
        .where(where);
      return { rows, total: counted?.total ?? 0 };
    },

    /** With `lock`, the row stays locked until the transaction ends, so that read-check-write is atomic. */
    async find(
      userId: string,
      id: number,
      options: { lock?: boolean } = {},
    ): Promise<TaskRecord | undefined> {
      const query = db
        .select({ ...taskColumns, tags: tagNames })
        .from(tasks)
        .where(and(eq(tasks.id, id), eq(tasks.user_id, userId)));
      const [row] = options.lock ? await query.for('update', { of: tasks }) : await query;
      return row;
    },

    async insert(userId: string, values: TaskValues): Promise<TaskRow> {
      insertTask ??= prepareInsert();
      const [row] = await insertTask.execute({
        description: null,
        priority: 'medium',
        due_date: null,
        due_at: null,
        due_all_day: false,
        recurrence: null,
        ...values,
        user_id: userId,
      });
      if (!row) throw new Error('insert returned no row');
      return row;
    },

    async update(userId: string, id: number, values: Partial<TaskValues>): Promise<TaskRow> {
      const [row] = await db
        .update(tasks)
        .set({ ...values, version: sql`${tasks.version} + 1` })
        .where(and(eq(tasks.id, id), eq(tasks.user_id, userId)))
        .returning(taskColumns);
      if (!row) throw new Error('update found no row');
      return row;
    },

    async delete(userId: string, id: number): Promise<void> {
      await db.delete(tasks).where(and(eq(tasks.id, id), eq(tasks.user_id, userId)));
    },

    /**
     * Gives a task exactly these tags (names already unique, case-insensitively) and returns them as stored:
     * a name that differs from an existing tag only in case takes the existing spelling.
     */
    async setTags(userId: string, taskId: number, names: string[], options: { replace: boolean }) {
      if (options.replace) await db.delete(taskTags).where(eq(taskTags.task_id, taskId));
      if (names.length === 0) return [];
      await db
        .insert(tags)
        .values(names.map((name) => ({ user_id: userId, name })))
        .onConflictDoNothing();
      // A separate statement, so that it sees tags another transaction created while the insert waited.
      const result = await db.execute(sql`
        with input as (
          select value as name, position from jsonb_array_elements_text(${JSON.stringify(names)}::jsonb)
          with ordinality as i(value, position)
        ), matched as (
          select distinct on (t.id) t.id, t.name, i.position
          from input i join ${tags} t on t.user_id = ${userId} and lower(t.name) = lower(i.name)
          order by t.id, i.position
        ), linked as (
          insert into ${taskTags} (task_id, tag_id, position)
          select ${taskId}, id, position - 1 from matched
        )
        select name from matched order by position`);
      return (result as unknown as { rows: Array<{ name: string }> }).rows.map((row) => row.name);
    },

    async tagCounts(userId: string) {
      return db
        .select({ name: tags.name, count: sql<number>`cast(count(*) as integer)` })
        .from(tags)
        .innerJoin(taskTags, eq(taskTags.tag_id, tags.id))
        .where(eq(tags.user_id, userId))
        .groupBy(tags.id)
        .orderBy(desc(sql`count(*)`), asc(sql`lower(${tags.name})`), asc(tags.id));
    },

    async recordCompletion(values: { task_id: number; due_date: string | null; completed_at: Date }) {
      await db.insert(taskCompletions).values(values);
    },

    /**
     * Takes a key for this request: true when it is new (or its previous use has expired). A concurrent
     * request with the same key waits here until the first one's transaction ends.
     */
    async claimIdempotencyKey(values: {
      user_id: string;
      key: string;
      fingerprint: string;
      now: Date;
      expiredBefore: Date;
    }) {
      const { now, expiredBefore, ...key } = values;
      const claimed = await db
        .insert(idempotencyKeys)
        .values({ ...key, created_at: now })
        .onConflictDoUpdate({
          target: [idempotencyKeys.user_id, idempotencyKeys.key],
          set: {
            fingerprint: key.fingerprint,
            created_at: now,
            response_status: null,
            response_body: null,
            response_headers: null,
          },
          setWhere: lt(idempotencyKeys.created_at, expiredBefore),
        })
        .returning({ key: idempotencyKeys.key });
      return claimed.length === 1;
    },

    async findIdempotencyKey(userId: string, key: string) {
      const [row] = await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.user_id, userId), eq(idempotencyKeys.key, key)));
      return row;
    },

    async saveIdempotentResponse(
      userId: string,
      key: string,
      response: { status: number; body: unknown; headers: Record<string, string> },
    ) {
      await db
        .update(idempotencyKeys)
        .set({
          response_status: response.status,
          response_body: response.body,
          response_headers: response.headers,
        })
        .where(and(eq(idempotencyKeys.user_id, userId), eq(idempotencyKeys.key, key)));
    },

    async deleteExpiredIdempotencyKeys(userId: string, expiredBefore: Date) {
      await db
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.user_id, userId), lt(idempotencyKeys.created_at, expiredBefore)));
    },
  };
}

function listConditions(userId: string, filters: ListFilters): SQL | undefined {
  const conditions: Array<SQL | undefined> = [eq(tasks.user_id, userId)];
  if (filters.completed !== undefined) conditions.push(eq(tasks.completed, filters.completed));
  if (filters.priorities) conditions.push(inArray(tasks.priority, filters.priorities));
  if (filters.noDueDate) conditions.push(isNull(tasks.due_at));
  for (const window of filters.due) conditions.push(dueWindow(window));
  if (filters.tags) conditions.push(tagCondition(userId, filters.tags.names, filters.tags.mode));
  if (filters.searchTerms) conditions.push(sql`${tasks.search} @@ ${searchQuery(filters.searchTerms)}`);
  return and(...conditions);
}

function dueWindow(window: DueWindow): SQL {
  const side = (allDay: boolean, range: DueRange | undefined) =>
    range
      ? and(
          eq(tasks.due_all_day, allDay),
          range.from ? gte(tasks.due_at, range.from) : sql`${tasks.due_at} is not null`,
          range.to ? lt(tasks.due_at, range.to) : undefined,
        )
      : undefined;
  return or(side(true, window.allDay), side(false, window.timed)) ?? sql`false`;
}

function tagCondition(userId: string, names: string[], mode: 'any' | 'all'): SQL {
  const lowered = [...new Set(names.map((name) => name.toLowerCase()))];
  const matching = sql`select ${taskTags.task_id} from ${taskTags} join ${tags} on ${tags.id} = ${taskTags.tag_id}
    where ${tags.user_id} = ${userId} and ${inArray(sql`lower(${tags.name})`, lowered)}`;
  return mode === 'any'
    ? sql`${tasks.id} in (${matching})`
    : sql`${tasks.id} in (${matching} group by ${taskTags.task_id} having count(*) = ${lowered.length})`;
}

/**
 * Every term must match, as the beginning of a word (`simple`) or of an English stem (`english`), so that
 * "plan" finds "planning" and "running" finds "runs". Terms are letters and digits only, safe in to_tsquery.
 */
function searchQuery(terms: string[]): SQL {
  const query = terms.map((term) => `${term}:*`).join(' & ');
  return sql`(to_tsquery('simple', ${query}) || to_tsquery('english', ${query}))`;
}

function ordering(filters: ListFilters): SQL[] {
  const direction = filters.sort.direction === 'asc' ? asc : desc;
  const key = {
    created_at: tasks.created_at,
    updated_at: tasks.updated_at,
    due_date: tasks.due_at,
    priority: tasks.priority,
    title: sql`lower(${tasks.title})`,
    relevance: sql`ts_rank(${tasks.search}, ${searchQuery(filters.searchTerms ?? [])})`,
  }[filters.sort.by];
  return [direction(key), direction(tasks.id)];
}
