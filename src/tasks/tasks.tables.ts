import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables.ts';
import { lists } from '../lists/lists.tables.ts';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Declared from lowest to highest, so that Postgres orders the enum by rank: ORDER BY priority DESC is urgent first. */
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const taskPriority = pgEnum('task_priority', PRIORITIES);

/**
 * A due date is kept three ways: `due_date` exactly as the client wrote it (a calendar date or a date-time
 * with offset), `due_all_day` saying which, and `due_at`, the key every due filter and sort runs on. For a
 * date-time `due_at` is that instant; for a calendar date it is noon UTC of that date, which falls within the
 * same calendar day in every time zone from UTC-11 to UTC+11, so all-day tasks sort among the timed tasks of
 * their day, and "all-day and due_at < noon of today" means "dated before today" whatever the user's zone.
 */
export const tasks = pgTable(
  'tasks',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /**
     * The list the task is in (the owner's Inbox unless said). A task belongs to the owner of its list, always:
     * (list_id, user_id) references the list's (id, owner_id), so a task added to a shared list by a member, or
     * moved into another owner's list, is that owner's (their counts, quota and export). Deleting a list with
     * tasks is refused here too: the lists feature moves or deletes them first, as the client chose.
     */
    list_id: integer('list_id').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    completed: boolean('completed').notNull().default(false),
    completed_at: timestamptz('completed_at'),
    priority: taskPriority('priority').notNull().default('medium'),
    due_date: text('due_date'),
    due_at: timestamptz('due_at'),
    due_all_day: boolean('due_all_day').notNull().default(false),
    /** An RFC 5545 RRULE without the `RRULE:` prefix, e.g. FREQ=WEEKLY;BYDAY=MO. */
    recurrence: text('recurrence'),
    /**
     * The task's tag names in the order given, each spelled as the user's vocabulary (`tags`) has it. Kept on the
     * task, not in a join table, so that a page of tasks is read without a lookup per task (see DESIGN).
     */
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** Bumped by every write; the ETag is made of id and version. */
    version: integer('version').notNull().default(1),
    created_at: timestamptz('created_at').notNull().defaultNow(),
    updated_at: timestamptz('updated_at').notNull().defaultNow(),
    /** Who created the task and who changed it last: the owner, or a member of a shared list. */
    created_by: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    updated_by: text('updated_by').references(() => users.id, { onDelete: 'set null' }),
    /** The person the task is given to: the list's owner or one of its members. */
    assignee_id: text('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    /** Where an imported task came from (see src/export/), so that importing the same file again adds nothing. */
    import_source: text('import_source'),
    /**
     * Both the `simple` words (for prefix matching of what is being typed) and the `english` stems (so that
     * "running" finds "runs"); the title weighs more than the description in the ranking.
     */
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('simple'::regconfig, title) || to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('simple'::regconfig, coalesce(description, '')) || to_tsvector('english'::regconfig, coalesce(description, '')), 'B')`,
    ),
  },
  (t) => [
    foreignKey({
      name: 'tasks_list_owner_fk',
      columns: [t.list_id, t.user_id],
      foreignColumns: [lists.id, lists.owner_id],
    }),
    // Every list query is per user and ordered by one of these, with id as the tie-break.
    index('tasks_user_created_idx').on(t.user_id, t.created_at, t.id),
    index('tasks_user_updated_idx').on(t.user_id, t.updated_at, t.id),
    index('tasks_user_due_idx').on(t.user_id, t.due_at, t.id),
    index('tasks_user_priority_idx').on(t.user_id, t.priority, t.id),
    index('tasks_user_title_idx').on(t.user_id, sql`lower(${t.title})`, t.id),
    // A list's page (?list_id=) in creation order, its counts, and moving or deleting its tasks.
    index('tasks_list_created_idx').on(t.list_id, t.created_at, t.id),
    // ?assigned=me, and unassigning a deleted account's tasks; most tasks are nobody's, so only the assigned.
    index('tasks_assignee_idx').on(t.assignee_id).where(sql`${t.assignee_id} is not null`),
    index('tasks_search_idx').using('gin', t.search),
    index('tasks_tags_idx').using('gin', t.tags),
    uniqueIndex('tasks_user_import_source_key')
      .on(t.user_id, t.import_source)
      .where(sql`${t.import_source} is not null`),
    check('tasks_title_length', sql`char_length(${t.title}) between 1 and 200`),
    check('tasks_description_length', sql`char_length(${t.description}) <= 10000`),
    check('tasks_due_complete', sql`(${t.due_date} is null) = (${t.due_at} is null)`),
  ],
);

/**
 * A user's tag vocabulary: the first spelling written is kept, and later names that differ only in case take it,
 * so that the names kept on tasks compare exactly.
 */
export const tags = pgTable(
  'tags',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
  },
  (t) => [uniqueIndex('tags_user_name_key').on(t.user_id, sql`lower(${t.name})`)],
);

/**
 * How many tasks each user has, so that the unfiltered list's total is a sum of a few rows rather than a count
 * of every task. Kept by a statement trigger on `tasks` (migration 0004), whatever writes the rows; each
 * database connection adds to a slot of its own, so that concurrent writers do not queue on one row.
 */
export const taskCounts = pgTable(
  'task_counts',
  {
    user_id: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    slot: smallint('slot').notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.user_id, t.slot] })],
);

/** Each time a recurring task was completed: the occurrence (its due date then) and when. */
export const taskCompletions = pgTable(
  'task_completions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    task_id: integer('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    due_date: text('due_date'),
    completed_at: timestamptz('completed_at').notNull(),
  },
  (t) => [index('task_completions_task_idx').on(t.task_id, t.completed_at)],
);

/**
 * The first response to each Idempotency-Key, replayed for 24 hours to a retry with the same request. The row
 * is written in the same transaction as what it answers, so a concurrent retry waits for it and replays it.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    user_id: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** SHA-256 of the operation and its canonical JSON body. */
    fingerprint: text('fingerprint').notNull(),
    response_status: integer('response_status'),
    response_body: jsonb('response_body'),
    response_headers: jsonb('response_headers').$type<Record<string, string>>(),
    created_at: timestamptz('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.user_id, t.key] })],
);

/**
 * Deleted tasks, kept so that an undo brings back the very task: the row as it was (`to_jsonb` of it, without the
 * generated search column) and its completions, restored with the same ids. `user_id` is who deleted it (the owner,
 * or an editor of a shared list): they alone may restore it. Bounded: older than the retention or beyond the newest
 * few per user, an entry is purged (see tasks.repository.ts); deleting the user deletes them.
 */
export const deletedTasks = pgTable(
  'deleted_tasks',
  {
    user_id: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    task_id: integer('task_id').notNull(),
    deleted_at: timestamptz('deleted_at').notNull(),
    task: jsonb('task').notNull(),
    completions: jsonb('completions').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.user_id, t.task_id] }),
    // The per-user bound walks a user's entries newest first; the purge of old entries reads them by age.
    index('deleted_tasks_user_deleted_idx').on(t.user_id, t.deleted_at, t.task_id),
    index('deleted_tasks_deleted_idx').on(t.deleted_at),
  ],
);
