import {
  type AnyColumn,
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  getTableName,
  gte,
  inArray,
  isNull,
  lt,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { knownUserId, userGone, userTimeZone } from '../auth/index.ts';
import { type Db, rowsOf, transactionOn, violated } from '../db/database.ts';
import { instance } from '../db/instance.ts';
import { eventInsert, publishEvent } from '../events/index.ts';
import {
  assignableIn,
  canSeeList,
  editableListIds,
  listAccess,
  listAudienceSql,
  listNotFound,
  listsOf,
  ownListIdFor,
  sharedListIds,
  sharedListOwners,
  sharedLists,
  writableListId,
} from '../lists/index.ts';
import { tooManyTasks } from './tasks.errors.ts';
import { type SortField, TASKS_PER_ACCOUNT } from './tasks.schemas.ts';
import {
  deletedTasks,
  idempotencyKeys,
  type Priority,
  tags,
  taskCompletions,
  taskCounts,
  tasks,
} from './tasks.tables.ts';

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
  /** Only the tasks of this list; a list the user cannot see is a 404. */
  listId?: number;
  /** Only the tasks given to this user. */
  assigneeId?: string;
  /** Only the user's own tasks, not those of lists shared with them (the export). */
  ownOnly?: boolean;
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
  list_id: tasks.list_id,
  title: tasks.title,
  description: tasks.description,
  completed: tasks.completed,
  completed_at: tasks.completed_at,
  priority: tasks.priority,
  due_date: tasks.due_date,
  due_at: tasks.due_at,
  due_all_day: tasks.due_all_day,
  recurrence: tasks.recurrence,
  tags: tasks.tags,
  version: tasks.version,
  created_at: tasks.created_at,
  updated_at: tasks.updated_at,
  created_by: tasks.created_by,
  updated_by: tasks.updated_by,
  assignee_id: tasks.assignee_id,
};

/**
 * The tasks a user sees: their own (the tasks of their lists) and those of the lists shared with them. Every read
 * of tasks goes through this condition; a task's owner is its list's owner, so the two never overlap.
 */
const visibleTo = (userId: unknown): SQL =>
  sql`(${tasks.user_id} = ${userId} or ${tasks.list_id} = any(${sharedListIds(userId)}))`;

/** Whether the user may change the task of the row: theirs, or of a list they edit. */
const writableBy = (userId: unknown): SQL<boolean> =>
  sql<boolean>`(${tasks.user_id} = ${userId} or ${tasks.list_id} = any(${editableListIds(userId)}))`;

export type TaskRecord = Omit<typeof tasks.$inferSelect, 'search' | 'import_source'>;

/**
 * A task as a list page reads it: what its response shows, without the columns only a write needs (the version,
 * for an ETag; the due date's instant and kind, for filters and sorting). On the embedded database each column of
 * each row is a cost of its own (about a microsecond), so a page of 50 reads only these.
 */
export type ListedTask = Omit<TaskRecord, 'version' | 'due_at' | 'due_all_day'>;
const { version: _version, due_at: _dueAt, due_all_day: _dueAllDay, ...listedColumns } = taskColumns;

/** A deleted task as kept for its restore: the row and its completions, as PostgreSQL wrote them in JSON. */
export interface DeletedTask {
  /** `list_id` is missing in a task deleted before lists; `user_id` is its owner's when it was deleted. */
  task: { tags: string[]; import_source: string | null; list_id?: number | null; user_id?: string };
  completions: unknown;
}

/** Every column a restore writes back: all but the generated search column. */
const storedTaskColumns = Object.values(getTableColumns(tasks))
  .filter((column) => !column.generated)
  .map((column) => column.name);
export type TaskValues = Omit<
  typeof tasks.$inferInsert,
  | 'id'
  | 'search'
  | 'user_id'
  | 'list_id'
  | 'version'
  | 'tags'
  | 'import_source'
  | 'created_by'
  | 'updated_by'
  | 'assignee_id'
>;

/** Where a task goes: its list (null: the actor's Inbox) and that list's owner, who owns the task. */
export interface TaskPlace {
  listId: number | null;
  ownerId: string;
}

export interface TasksRepository extends ReturnType<typeof queries> {
  /** Runs `work` in a transaction (a savepoint when already in one) with a repository bound to it. */
  transaction<T>(work: (repository: TasksRepository) => Promise<T>): Promise<T>;
}

export function createTasksRepository(db: Db): TasksRepository {
  return {
    ...queries(db),
    transaction: (work) => transactionOn(db, createTasksRepository, work),
  };
}

/**
 * Which users had lists shared with them at their last unfiltered list, in this process, for a minute: a hint of
 * which statement to run first, never of what a user may see. Per database handle (tests open many).
 */
const sharerHints = new WeakMap<object, Map<string, number>>();
const SHARER_HINT_MS = 60_000;

function sharerHintsOf(db: Db) {
  let hints = sharerHints.get(db);
  if (!hints) {
    hints = new Map();
    sharerHints.set(db, hints);
  }
  const known = hints;
  return {
    has(userId: string): boolean {
      const until = known.get(userId);
      if (until === undefined) return false;
      if (until > Date.now()) return true;
      known.delete(userId);
      return false;
    },
    /** After a merged list: `shared` when lists are (probably) shared with the user. */
    note(userId: string, shared: boolean) {
      if (!shared) {
        known.delete(userId);
        return;
      }
      if (known.size >= 10_000) known.clear();
      known.set(userId, Date.now() + SHARER_HINT_MS);
    },
  };
}

/** How many tasks the user owns: a sum of the few task_counts rows a trigger keeps, not a count of the tasks. */
const ownTotal = (user: unknown) =>
  sql<number>`(select cast(coalesce(sum(${taskCounts.count}), 0) as integer) from ${taskCounts}
    where ${taskCounts.user_id} = ${user})`;

/** How many tasks the user owns (see TASKS_PER_ACCOUNT). */
export async function ownedTaskCount(db: Db, userId: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select ${ownTotal(userId)} as n`));
  return row?.n ?? 0;
}

function queries(db: Db) {
  const sharers = sharerHintsOf(db);
  // Creating a task is the hottest write: prepared once per repository, its SQL is not rebuilt per request.
  let insertTask: ReturnType<typeof prepareInsert> | undefined;
  /**
   * The task, its tags and its event in one statement of CTEs: the tags spelled through the vocabulary (new ones
   * added), the task written with them, and the `task.created` event recorded for the people of its list, which
   * the events table's trigger announces when the statement commits. One round trip, atomic without a transaction.
   */
  const prepareInsert = () => {
    // The task is the list owner's, and its tags are spelled as the owner's vocabulary has them.
    const spelling = spelledTags(db, sql.placeholder('owner_id'), sql.placeholder('tag_names'));
    const created = db.$with('created').as(
      db
        .insert(tasks)
        .values({
          user_id: sql.placeholder('owner_id'),
          // The list, checked in the same statement: null (refused by the column) when the actor may not write
          // it; (list_id, user_id) must be the list's (id, owner_id).
          list_id: writableListId(sql.placeholder('actor'), sql.placeholder('list_id')),
          created_by: sql.placeholder('actor'),
          updated_by: sql.placeholder('actor'),
          assignee_id: sql.placeholder('assignee_id'),
          // Null, refused by the column, when the owner already holds TASKS_PER_ACCOUNT tasks (see insert).
          title: sql`case when ${ownTotal(sql.placeholder('owner_id'))} < ${TASKS_PER_ACCOUNT}
            then ${sql.placeholder('title')} end`,
          description: sql.placeholder('description'),
          priority: sql.placeholder('priority'),
          due_date: sql.placeholder('due_date'),
          // A null would reach the column's encoder, which expects a Date; the driver sends a Date itself.
          due_at: sql`${sql.placeholder('due_at')}::timestamptz`,
          due_all_day: sql.placeholder('due_all_day'),
          recurrence: sql.placeholder('recurrence'),
          tags: sql`(select ${spelling.spelled.names} from ${spelling.spelled})`,
          created_at: sql.placeholder('created_at'),
          updated_at: sql.placeholder('updated_at'),
        })
        .returning(taskColumns),
    );
    const event = db.$with('created_event', {}).as(
      eventInsert(
        {
          type: 'task.created',
          audience: listAudienceSql(sql`${created}.list_id`),
          listId: sql`${created}.list_id`,
          taskId: sql`${created}.id`,
          actorId: sql`${sql.placeholder('actor')}`,
        },
        sql`${created}`,
      ),
    );
    return db
      .with(...spelling.ctes, created, event)
      .select()
      .from(created)
      .prepare('tasks_insert');
  };
  /**
   * The unfiltered list is most reads: prepared statements per sort order, built on first use (building the SQL
   * cost more than mapping its 50 rows). Most users have no list shared with them: for them it is the statement it
   * always was, the user's tasks on their index up to the page's end, with the total from task_counts (kept by a
   * trigger: a sum of a few rows rather than a count that grows with the user's tasks), and a flag saying whether
   * any list is shared with them. For a user with shared lists (the flag, or a hint of this process that they had
   * some a minute ago), the merged statement reads their tasks and each shared list's on its index, each no
   * further than the page's end, and merges them: an OR of the two would read and sort every task of the user.
   * Both statements check the memberships themselves; the hint only chooses which runs first.
   */
  const ownLists = new Map<string, ReturnType<typeof prepareOwnList>>();
  const mergedLists = new Map<string, ReturnType<typeof prepareMergedList>>();
  const prepareOwnList = (sort: ListFilters['sort'], name: string) => {
    const user = sql.placeholder('user_id');
    // Whether lists are shared with the user rides on the total, as its lowest bit (every column of every row
    // costs, see ListedTask): twice the count, plus one when they have some.
    const total = sql<number>`(${ownTotal(user)} * 2 + cast(exists (${sharedLists(user)}) as integer))`;
    return db
      .select({ ...listedColumns, total })
      .from(tasks)
      .where(eq(tasks.user_id, user))
      .orderBy(...ordering(sort))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(name);
  };
  const prepareMergedList = (sort: ListFilters['sort'], name: string) => {
    const user = sql.placeholder('user_id');
    const end = sql.placeholder('end');
    // A merged list is ordered by its columns' names only: the sort key is a column of its own.
    const fields = { ...listedColumns, sort_key: sql`${sortKey(sort.by)}`.as('sort_key') };
    const own = db
      .select(fields)
      .from(tasks)
      .where(eq(tasks.user_id, user))
      .orderBy(...ordering(sort))
      .limit(end);
    // Each shared list's tasks are read (and counted) on the list's index, a lateral join per membership: a
    // planner guessing how many rows `list_id in (…)` gives may read the whole table instead.
    const perList = db
      .select(fields)
      .from(tasks)
      .where(sql`${tasks.list_id} = m.list_id`)
      .orderBy(...ordering(sort))
      .limit(end)
      .as('shared');
    const shared = db
      .select(
        Object.fromEntries(Object.keys(fields).map((key) => [key, perList[key as keyof typeof fields]])) as {
          [K in keyof typeof fields]: (typeof perList)[K];
        },
      )
      .from(sql`(${sharedLists(user)}) as m`)
      .crossJoinLateral(perList);
    // The merged rows are named `tasks`, so that the page selects the tasks table's own columns from them: Drizzle
    // maps a row of table columns at once, where the fields of a subquery (proxies) or SQL expressions are inspected
    // for every value of every row, a third of the statement's CPU time. Inside the union and the total, `tasks` is
    // still the table: each subquery names it in a FROM of its own.
    const merged = unionAll(own, shared as unknown as typeof own).as(getTableName(tasks));
    // The total once, beside the page: the user's count, and each shared list's.
    const total = sql<number>`(${ownTotal(user)} + (select cast(coalesce(sum(c.n), 0) as integer)
      from (${sharedLists(user)}) as m
      cross join lateral (select count(*) as n from ${tasks} where ${tasks.list_id} = m.list_id) as c))`;
    const direction = sort.direction === 'asc' ? asc : desc;
    return db
      .select({ ...listedColumns, total })
      .from(merged)
      .orderBy(direction(merged.sort_key), direction(merged.id))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(name);
  };

  /**
   * Deletes the tasks that `which` picks (the caller checked that `actor` may) and keeps each, with its
   * completions, in deleted_tasks for the actor, who may restore it, in one statement: the statement's snapshot
   * still sees the completions that the cascade removes.
   */
  const deleteKeeping = (actor: string, which: SQL, deletedAt: Date) =>
    db.execute(sql`
      with gone as (
        delete from ${tasks} where ${which} returning *)
      insert into ${deletedTasks} (user_id, task_id, deleted_at, task, completions)
      select ${actor}, gone.id, ${deletedAt.toISOString()}::timestamptz, to_jsonb(gone) - 'search',
        coalesce((select jsonb_agg(to_jsonb(c) order by c.id) from ${taskCompletions} c
          where c.task_id = gone.id), '[]'::jsonb)
      from gone`);

  return {
    userTimeZone: (userId: string): Promise<string> => userTimeZone(db, userId),

    /**
     * Records the event of a change the user made to a task (live updates), on this repository's handle: inside
     * the change's transaction, so that it is announced when that commits. A task that moved between lists is
     * news to the people of both, each told of their own list: the old list's with its id (the task left it), the
     * new list's with the new id, so that a shared list's members never learn the id of a private list it went
     * to. Someone in both gets both, the old first (a page reads again either way).
     */
    async recordChange(
      type: 'task.updated' | 'task.deleted' | 'task.restored',
      userId: string,
      task: { id: number; list_id: number },
      previousListId: number = task.list_id,
    ): Promise<void> {
      const event = (listId: number) => ({
        type,
        audience: listAudienceSql(listId),
        listId,
        taskId: task.id,
        actorId: userId,
      });
      if (previousListId !== task.list_id) await publishEvent(db, event(previousListId));
      await publishEvent(db, event(task.list_id));
    },
    userLists: (userId: string) => listsOf(db, userId),
    /** What the user is to a list, and its owner; undefined when they do not see it. */
    listAccess: (userId: string, listId: number) => listAccess(db, userId, listId),

    /** Whether `userId` may be given a task of the list: its owner or an active member. */
    async assignable(listId: number, userId: string): Promise<boolean> {
      const [row] = rowsOf<{ ok: boolean }>(
        await db.execute(sql`select ${assignableIn(listId, userId)} as ok`),
      );
      return row?.ok === true;
    },

    ownedCount: (userId: string) => ownedTaskCount(db, userId),

    /** The id of the user's Inbox, or undefined when the account is gone. */
    async inboxOf(userId: string): Promise<number | undefined> {
      const [row] = rowsOf<{ id: number | null }>(
        await db.execute(sql`select ${ownListIdFor(userId, null)} as id`),
      );
      return row?.id ?? undefined;
    },

    /** One query for the page with its tags and its total. */
    async list(userId: string, filters: ListFilters): Promise<{ rows: ListedTask[]; total: number }> {
      let rows: Array<ListedTask & { total: number }> = [];
      if (isUnfiltered(filters)) {
        const order = `${filters.sort.by}_${filters.sort.direction}`;
        const page = { user_id: userId, limit: filters.limit, offset: filters.offset };
        let merged = sharers.has(userId);
        if (!merged) {
          let prepared = ownLists.get(order);
          if (!prepared) {
            prepared = prepareOwnList(filters.sort, `tasks_list_${order}`);
            ownLists.set(order, prepared);
          }
          rows = await prepared.execute(page);
          // No row says whether lists are shared with the user: the merged statement answers for both.
          merged = rows.length === 0 || ((rows[0]?.total ?? 0) & 1) === 1;
          for (const row of rows) row.total >>= 1;
        }
        if (merged) {
          let prepared = mergedLists.get(order);
          if (!prepared) {
            prepared = prepareMergedList(filters.sort, `tasks_list_shared_${order}`);
            mergedLists.set(order, prepared);
          }
          rows = await prepared.execute({ ...page, end: filters.limit + filters.offset });
          sharers.note(userId, rows.length > 0 || filters.offset > 0);
        }
      } else {
        const where = listConditions(userId, filters);
        // Measured on 20k tasks of one user (bench/explain-tasks.ts): a separate count can run on an index while
        // the page stops after LIMIT rows, 2-5 times faster than a window count, which has to fetch every
        // matching row; but with a search or tag filter it pays that filter twice, and the window count wins.
        const total =
          filters.searchTerms || filters.tags
            ? sql<number>`cast(count(*) over () as integer)`
            : sql<number>`(select cast(count(*) as integer) from ${tasks} where ${where})`;
        rows = await db
          .select({ ...listedColumns, total })
          .from(tasks)
          .where(where)
          .orderBy(...ordering(filters.sort, filters.searchTerms))
          .limit(filters.limit)
          .offset(filters.offset);
      }
      // A page with tasks of the list shows the user sees it; an empty one asks, so that a list not theirs is a 404.
      if (
        rows.length === 0 &&
        filters.listId !== undefined &&
        !(await canSeeList(db, userId, filters.listId))
      )
        throw listNotFound();
      if (rows.length > 0 || filters.offset === 0) return { rows, total: rows[0]?.total ?? 0 };
      // Past the last page the count has no row to ride on.
      const [counted] = await db
        .select({ total: sql<number>`cast(count(*) as integer)` })
        .from(tasks)
        .where(listConditions(userId, filters));
      return { rows, total: counted?.total ?? 0 };
    },

    /**
     * A task the user sees, and whether they may change it. With `lock`, the row stays locked until the
     * transaction ends, so that read-check-write is atomic.
     */
    async find(
      userId: string,
      id: number,
      options: { lock?: boolean } = {},
    ): Promise<(TaskRecord & { writable: boolean }) | undefined> {
      const query = db
        .select({ ...taskColumns, writable: writableBy(userId) })
        .from(tasks)
        .where(and(eq(tasks.id, id), visibleTo(userId)));
      const [row] = options.lock ? await query.for('update', { of: tasks }) : await query;
      return row;
    },

    /**
     * Creates a task with its tags in one statement (one round trip, atomic without a transaction): the names are
     * spelled through the vocabulary of the list's owner, new ones added to it, and the task written with them as
     * the owner's, made by `actor`. Prepared once.
     */
    async insert(
      actor: string,
      place: TaskPlace,
      values: TaskValues,
      tagNames: string[],
      assigneeId: string | null = null,
    ): Promise<TaskRecord> {
      insertTask ??= prepareInsert();
      const [row] = await listChecked(place.listId, () =>
        roomChecked(
          actor,
          place,
          () =>
            insertTask?.execute({
              description: null,
              priority: 'medium',
              due_date: null,
              due_at: null,
              due_all_day: false,
              recurrence: null,
              ...values,
              actor,
              owner_id: place.ownerId,
              list_id: place.listId,
              assignee_id: assigneeId,
              tag_names: JSON.stringify(tagNames),
            }) ?? Promise.resolve([]),
        ),
      );
      if (!row) throw new Error('insert returned no row');
      return row;
    },

    /**
     * Changes a task the caller found writable by `actor` (and locked), as a change by the actor. A new `place`
     * moves it: the list is checked again in the statement (the actor may still write it), and the task becomes
     * the list owner's.
     */
    async update(
      actor: string,
      id: number,
      values: Partial<TaskValues> & { tags?: string[]; assignee_id?: string | null; place?: TaskPlace },
    ): Promise<TaskRecord> {
      const { place, ...rest } = values;
      const [row] = await listChecked(place?.listId ?? null, () =>
        db
          .update(tasks)
          .set({
            ...rest,
            ...(place === undefined
              ? {}
              : {
                  list_id: writableListId(actor, place.listId),
                  user_id: place.ownerId,
                }),
            updated_by: actor,
            version: sql`${tasks.version} + 1`,
          })
          .where(eq(tasks.id, id))
          .returning(taskColumns),
      );
      if (!row) throw new Error('update found no row');
      return row;
    },

    /** Deletes the task (the caller found it writable by `actor`) and keeps it for the actor to restore. */
    async delete(actor: string, id: number, deletedAt: Date): Promise<void> {
      await deleteKeeping(actor, sql`${tasks.id} = ${id}`, deletedAt);
    },

    /** Deletes every task of the list, keeping each for `actor` to restore as `delete` does. */
    async deleteInList(actor: string, listId: number, deletedAt: Date): Promise<void> {
      await deleteKeeping(actor, sql`${tasks.list_id} = ${listId}`, deletedAt);
    },

    /**
     * Moves the tasks of one list to another of the same owner: a change of each by `actor` (next version,
     * updated now). An assignee who is not of the other list is unassigned.
     */
    async moveList(actor: string, from: number, to: number, now: Date): Promise<void> {
      await db
        .update(tasks)
        .set({
          list_id: to,
          assignee_id: sql`case when ${assignableIn(to, tasks.assignee_id)} then ${tasks.assignee_id} end`,
          updated_by: actor,
          version: sql`${tasks.version} + 1`,
          updated_at: now,
        })
        .where(eq(tasks.list_id, from));
    },

    /** Unassigns the user from the tasks of the list (they left it, or were removed from it). */
    async unassignInList(listId: number, userId: string): Promise<void> {
      await db
        .update(tasks)
        .set({ assignee_id: null })
        .where(and(eq(tasks.list_id, listId), eq(tasks.assignee_id, userId)));
    },

    /** Open and total tasks the user sees, by list. */
    async countsByList(userId: string): Promise<Map<number, { open: number; total: number }>> {
      const rows = await db
        .select({
          list_id: tasks.list_id,
          open: sql<number>`cast(count(*) filter (where not ${tasks.completed}) as integer)`,
          total: sql<number>`cast(count(*) as integer)`,
        })
        .from(tasks)
        .where(visibleTo(userId))
        .groupBy(tasks.list_id);
      return new Map(rows.map((row) => [row.list_id, { open: row.open, total: row.total }]));
    },

    async countInList(listId: number): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`cast(count(*) as integer)` })
        .from(tasks)
        .where(eq(tasks.list_id, listId));
      return row?.n ?? 0;
    },

    /**
     * Forgets deleted tasks: the user's beyond the newest `keep`, and up to 100 of anyone's deleted before
     * `before`, so that old entries go even for users who delete nothing more. Rows another transaction holds
     * (a restore, a concurrent purge) are skipped rather than waited for.
     */
    async purgeDeleted(userId: string, before: Date, keep: number): Promise<void> {
      await db.execute(sql`
        delete from ${deletedTasks} where (user_id, task_id) in (
            select user_id, task_id from ${deletedTasks} where deleted_at < ${before.toISOString()}::timestamptz
            limit 100 for update skip locked)
          or (user_id, task_id) in (
            select user_id, task_id from ${deletedTasks} where user_id = ${userId}
            order by deleted_at desc, task_id desc offset ${keep})`);
    },

    /** Removes and returns the user's deleted task if it was deleted at or after `since`. */
    async takeDeleted(userId: string, id: number, since: Date): Promise<DeletedTask | undefined> {
      const [row] = await db
        .delete(deletedTasks)
        .where(
          and(
            eq(deletedTasks.user_id, userId),
            eq(deletedTasks.task_id, id),
            gte(deletedTasks.deleted_at, since),
          ),
        )
        .returning({ task: deletedTasks.task, completions: deletedTasks.completions });
      return row as DeletedTask | undefined;
    },

    /**
     * The id of the user's task that an import made from this deleted task, if any: from the origin the deleted
     * task was itself imported from, or from this instance's task of that id (an export of the account).
     */
    async findImportedCopy(
      userId: string,
      id: number,
      importSource: string | null,
    ): Promise<number | undefined> {
      const here = sql`(select ${instance.id}::text || '/tasks/' || ${id} from ${instance})`;
      const [row] = await db
        .select({ id: tasks.id })
        .from(tasks)
        .where(
          and(
            eq(tasks.user_id, userId),
            importSource === null
              ? eq(tasks.import_source, here)
              : or(eq(tasks.import_source, importSource), eq(tasks.import_source, here)),
          ),
        );
      return row?.id;
    },

    /**
     * Writes a deleted task back with its id, creation time and completions (their ids too), into the list of
     * `place` (which `actor` must still be able to write) as its owner's, with the version after the one it was
     * deleted at, so that no ETag of the deleted task matches it. Its assignee stays if they are of that list, its
     * creator if their account still is.
     */
    async reinsert(
      actor: string,
      place: { listId: number; ownerId: string },
      id: number,
      deleted: DeletedTask,
      values: { tags: string[]; updated_at: Date },
    ): Promise<TaskRecord> {
      const written: Record<string, SQL> = {
        user_id: sql`${place.ownerId}`,
        list_id: writableListId(actor, place.listId),
        created_by: knownUserId(sql`r.created_by`),
        updated_by: sql`${actor}`,
        assignee_id: sql`case when ${assignableIn(place.listId, sql`r.assignee_id`)} then r.assignee_id end`,
        version: sql`r.version + 1`,
        updated_at: sql`${values.updated_at.toISOString()}::timestamptz`,
        tags: sql`array(select jsonb_array_elements_text(${JSON.stringify(values.tags)}::jsonb))`,
      };
      await listChecked(place.listId, () =>
        db.execute(sql`
          insert into ${tasks} (${sql.join(
            storedTaskColumns.map((name) => sql.identifier(name)),
            sql`, `,
          )}) overriding system value
          select ${sql.join(
            storedTaskColumns.map((name) => written[name] ?? sql`r.${sql.identifier(name)}`),
            sql`, `,
          )}
          from jsonb_populate_record(null::${tasks}, ${JSON.stringify(deleted.task)}::jsonb) r`),
      );
      await db.execute(sql`
        insert into ${taskCompletions} (id, task_id, due_date, completed_at) overriding system value
        select id, task_id, due_date, completed_at
        from jsonb_populate_recordset(null::${taskCompletions}, ${JSON.stringify(deleted.completions)}::jsonb)`);
      const [row] = await db.select(taskColumns).from(tasks).where(eq(tasks.id, id));
      if (!row) throw new Error('reinsert wrote no row');
      return row;
    },

    /**
     * Names (already unique, case-insensitively) as the user's vocabulary spells them, in the order given; names
     * new to the vocabulary are added to it.
     */
    async spellTags(userId: string, names: string[]): Promise<string[]> {
      if (names.length === 0) return [];
      const { ctes, spelled } = spelledTags(db, userId, JSON.stringify(names));
      const [row] = await db
        .with(...ctes)
        .select({ names: spelled.names })
        .from(spelled);
      return row?.names ?? [];
    },

    /**
     * `count` is the tasks still to do, what a person means by "#errands 2"; `total` adds the completed ones. A tag
     * only completed tasks carry is listed with count 0: it is still the user's tag.
     */
    async tagCounts(userId: string): Promise<Array<{ name: string; count: number; total: number }>> {
      // Over the tasks the user sees. The tasks of a shared list are spelled as its owner's vocabulary has them:
      // a tag is counted once whatever its case, and named as the user spells it, else as first in the alphabet.
      const result = await db.execute(sql`
        select coalesce(min(g.name), min(t.name)) as name,
          cast(count(*) filter (where not t.completed) as integer) as count,
          cast(count(*) as integer) as total
        from (
          select name, lower(name) as key, ${tasks.completed} as completed
          from ${tasks}, unnest(${tasks.tags}) as name
          where ${visibleTo(userId)}
        ) as t
        left join ${tags} g on g.user_id = ${userId} and lower(g.name) = t.key
        group by t.key
        order by count(*) filter (where not t.completed) desc, count(*) desc, t.key`);
      return rowsOf<{ name: string; count: number; total: number }>(result);
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

/**
 * Runs a write whose list id is `writableListId`'s: null there means the actor may not write the list (the service
 * checked it before, so it was deleted or unshared meanwhile: a 404 like a missing one), or, for the Inbox, that
 * the user is gone (their lists went with them); a list deleted meanwhile fails the foreign key.
 */
/** A task refused for want of room (its title nulled by the insert): 409, naming whose account is full. */
async function roomChecked<T>(actor: string, place: TaskPlace, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (violated(error, '23502', 'title')) throw tooManyTasks(TASKS_PER_ACCOUNT, place.ownerId === actor);
    throw error;
  }
}

async function listChecked<T>(listId: number | null, write: () => Promise<T>): Promise<T> {
  if (listId !== null && (!Number.isSafeInteger(listId) || listId < 1 || listId > 2_147_483_647))
    throw listNotFound();
  try {
    return await write();
  } catch (error) {
    if (violated(error, '23502', 'list_id') || violated(error, '23503', 'tasks_list_owner_fk'))
      throw listId === null ? userGone() : listNotFound();
    throw error;
  }
}

function isUnfiltered(filters: ListFilters): boolean {
  return (
    filters.listId === undefined &&
    filters.assigneeId === undefined &&
    !filters.ownOnly &&
    filters.completed === undefined &&
    !filters.priorities &&
    !filters.tags &&
    filters.due.length === 0 &&
    !filters.noDueDate &&
    !filters.searchTerms
  );
}

function listConditions(userId: string, filters: ListFilters): SQL | undefined {
  const conditions: Array<SQL | undefined> = [
    filters.ownOnly ? eq(tasks.user_id, userId) : visibleTo(userId),
  ];
  if (filters.listId !== undefined) conditions.push(eq(tasks.list_id, filters.listId));
  if (filters.assigneeId !== undefined) conditions.push(eq(tasks.assignee_id, filters.assigneeId));
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

/**
 * Tags are kept as the vocabulary of the task's owner spells them: the names asked for are looked up,
 * case-insensitively, in the user's vocabulary and in those of the owners of the lists shared with them, so that
 * the spellings found match on the tags' index. With `all`, each name must be carried in one of its spellings.
 */
function tagCondition(userId: string, names: string[], mode: 'any' | 'all'): SQL {
  const lowered = [...new Set(names.map((name) => name.toLowerCase()))];
  const owners = sql`select ${userId}::text union all ${sharedListOwners(userId)}`;
  const spelled = sql`array(select ${tags.name} from ${tags}
    where ${tags.user_id} in (${owners}) and ${inArray(sql`lower(${tags.name})`, lowered)})`;
  if (mode === 'any') return sql`${tasks.tags} && ${spelled}`;
  return sql`${tasks.tags} && ${spelled} and (select count(distinct lower(name)) from unnest(${tasks.tags}) as name
    where ${inArray(sql`lower(name)`, lowered)}) = ${lowered.length}`;
}

/**
 * CTEs ending in `spelled(names)`: the names (a JSON array) in the order given, each as the user's vocabulary
 * spells it. Names it lacks are added; when another request adds the same name meanwhile, DO UPDATE (a no-op)
 * still returns that row, where DO NOTHING would return nothing and this statement's snapshot would not see it.
 */
function spelledTags(db: Db, userId: unknown, namesJson: unknown) {
  const input = db
    .$with('input', { name: sql<string>`name`.as('name'), position: sql<number>`position`.as('position') })
    .as(sql`
    select value as name, position
    from jsonb_array_elements_text(${namesJson}::jsonb) with ordinality as i(value, position)`);
  const known = db
    .$with('known', { name: sql<string>`name`.as('name'), position: sql<number>`position`.as('position') })
    .as(sql`
    select i.position, t.name from ${input} i
    join ${tags} t on t.user_id = ${userId} and lower(t.name) = lower(i.name)`);
  const added = db.$with('added', { name: sql<string>`name`.as('name') }).as(sql`
    insert into ${tags} (user_id, name)
    select ${userId}, i.name from ${input} i where not exists (select from ${known} k where k.position = i.position)
    on conflict (user_id, lower(name)) do update set name = ${tags}.name
    returning name`);
  const spelled = db.$with('spelled', { names: sql<string[]>`names`.as('names') }).as(sql`
    select coalesce(array_agg(name order by position), '{}') as names from (
      select position, name from ${known}
      union all
      select i.position, a.name from ${added} a join ${input} i on lower(i.name) = lower(a.name)
    ) as both_kinds`);
  return { ctes: [input, known, added, spelled], spelled };
}

/**
 * Every term must match, as the beginning of a word (`simple`) or of an English stem (`english`), so that
 * "plan" finds "planning" and "running" finds "runs". Terms are letters and digits only, safe in to_tsquery.
 */
function searchQuery(terms: string[]): SQL {
  const query = terms.map((term) => `${term}:*`).join(' & ');
  return sql`(to_tsquery('simple', ${query}) || to_tsquery('english', ${query}))`;
}

/** What a list is sorted by, before the id that breaks ties. */
function sortKey(by: ListFilters['sort']['by'], searchTerms: string[] = []): SQL | AnyColumn {
  return {
    created_at: tasks.created_at,
    updated_at: tasks.updated_at,
    due_date: tasks.due_at,
    priority: tasks.priority,
    title: sql`lower(${tasks.title})`,
    relevance: sql`ts_rank(${tasks.search}, ${searchQuery(searchTerms)})`,
  }[by];
}

function ordering(sort: ListFilters['sort'], searchTerms: string[] = []): SQL[] {
  const direction = sort.direction === 'asc' ? asc : desc;
  return [direction(sortKey(sort.by, searchTerms)), direction(tasks.id)];
}
