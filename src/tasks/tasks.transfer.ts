import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/database.ts';
import { elements, json } from '../db/json-rows.ts';
import { ownListIdFor } from '../lists/index.ts';
import { ownedTaskCount } from './tasks.repository.ts';
import { tags, taskCompletions, tasks } from './tasks.tables.ts';

/** A task as the import writes it: the columns of the tasks table, computed by the export service. */
export interface TaskToImport {
  import_source: string;
  /** The list here (mapped by the export service); one not the user's own, or none, is the Inbox. */
  list_id: number | null;
  title: string;
  description: string | null;
  completed: boolean;
  completed_at: string | null;
  priority: string;
  due_date: string | null;
  due_at: string | null;
  due_all_day: boolean;
  recurrence: string | null;
  /** Spelled as the user's tag vocabulary has them. */
  tags: string[];
  created_at: string;
  updated_at: string;
}

/**
 * What an export and an import of an account read and write of the tasks feature's tables, beyond the tasks the
 * service lists: imported origins, completions and tags, and rows written many at a statement. On the database
 * handle given, so that the export feature runs it in its own transaction.
 */
export function createTasksTransfer(db: Db) {
  return {
    tagNames(userId: string) {
      return db
        .select({ name: tags.name })
        .from(tags)
        .where(eq(tags.user_id, userId))
        .orderBy(asc(sql`lower(${tags.name})`));
    },

    /** How many tasks the user owns (see TASKS_PER_ACCOUNT). */
    ownedCount: (userId: string) => ownedTaskCount(db, userId),

    /** The import source of every task of the user that was imported. */
    importedTasks(userId: string) {
      return db
        .select({ id: tasks.id, import_source: tasks.import_source })
        .from(tasks)
        .where(and(eq(tasks.user_id, userId), isNotNull(tasks.import_source)));
    },

    completions(userId: string) {
      return db
        .select({
          task_id: taskCompletions.task_id,
          due_date: taskCompletions.due_date,
          completed_at: taskCompletions.completed_at,
        })
        .from(taskCompletions)
        .innerJoin(tasks, eq(tasks.id, taskCompletions.task_id))
        .where(eq(tasks.user_id, userId))
        .orderBy(asc(taskCompletions.completed_at), asc(taskCompletions.id));
    },

    /** Of these task ids, those that belong to the user. */
    async ownIds(userId: string, ids: number[]): Promise<number[]> {
      const rows = await db
        .select({ id: tasks.id })
        .from(tasks)
        .where(and(eq(tasks.user_id, userId), sql`${tasks.id} in (select value::int from ${elements(ids)})`));
      return rows.map((row) => row.id);
    },

    /** The user's tasks already imported from these sources, by source. */
    async importedIds(userId: string, sources: string[]): Promise<Map<string, number>> {
      const rows = await db
        .select({ id: tasks.id, source: tasks.import_source })
        .from(tasks)
        .where(
          and(
            eq(tasks.user_id, userId),
            sql`${tasks.import_source} in (select value from ${elements(sources)})`,
          ),
        );
      return new Map(rows.map((row) => [row.source as string, row.id]));
    },

    /** Tag names the user does not have yet (case-insensitively); returns how many were new. */
    async addTags(userId: string, names: string[]): Promise<number> {
      if (names.length === 0) return 0;
      const added = await db
        .insert(tags)
        .values(names.map((name) => ({ user_id: userId, name })))
        .onConflictDoNothing()
        .returning({ id: tags.id });
      return added.length;
    },

    /** Inserts the tasks; one already imported from the same source (a concurrent import) is left alone. */
    async insertTasks(userId: string, rows: TaskToImport[]): Promise<Map<string, number>> {
      if (rows.length === 0) return new Map();
      const result = await db.execute(sql`
        insert into ${tasks} (user_id, list_id, created_by, updated_by, import_source, title, description, completed,
          completed_at, priority, due_date, due_at, due_all_day, recurrence, tags, created_at, updated_at)
        select ${userId}, coalesce(${ownListIdFor(userId, sql`r.list_id`)}, ${ownListIdFor(userId, null)}),
          ${userId}, ${userId},
          r.import_source, r.title, r.description, r.completed, r.completed_at,
          r.priority::task_priority, r.due_date, r.due_at, r.due_all_day, r.recurrence,
          -- Spelled as the user's vocabulary has them (addTags ran first), once each, in the file's order.
          array(
            select s.name from (
              select distinct on (lower(coalesce(g.name, e.value))) coalesce(g.name, e.value) as name, e.n
              from jsonb_array_elements_text(r.tags) with ordinality as e(value, n)
              left join ${tags} g on g.user_id = ${userId} and lower(g.name) = lower(e.value)
              order by lower(coalesce(g.name, e.value)), e.n
            ) as s order by s.n),
          r.created_at, r.updated_at
        from jsonb_to_recordset(${json(rows)}::jsonb) as r(list_id integer, import_source text, title text, description text,
          completed boolean, completed_at timestamptz, priority text, due_date text, due_at timestamptz,
          due_all_day boolean, recurrence text, tags jsonb, created_at timestamptz, updated_at timestamptz)
        on conflict (user_id, import_source) where import_source is not null do nothing
        returning id, import_source`);
      return new Map(
        rowsOf<{ id: number; import_source: string }>(result).map((r) => [r.import_source, r.id]),
      );
    },

    async insertCompletions(rows: Array<{ task_id: number; due_date: string | null; completed_at: string }>) {
      if (rows.length === 0) return;
      await db.execute(sql`
        insert into ${taskCompletions} (task_id, due_date, completed_at)
        select r.task_id, r.due_date, r.completed_at
        from jsonb_to_recordset(${json(rows)}::jsonb) as r(task_id integer, due_date text, completed_at timestamptz)`);
    },
  };
}

export type TasksTransfer = ReturnType<typeof createTasksTransfer>;
