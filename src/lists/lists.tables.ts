import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables.ts';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A user's lists of tasks. Every account has exactly one Inbox (`is_inbox`), made with the account by a trigger on
 * `users` (migration 0010), whatever path makes the user row; it cannot be renamed, deleted or shared. A list has
 * one owner, who may share it with members (`list_members`); who may see or change a list is decided in this
 * feature only (see lists.repository.ts, `visibleTo` and `writableBy`).
 */
export const lists = pgTable(
  'lists',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    owner_id: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    is_inbox: boolean('is_inbox').notNull().default(false),
    created_at: timestamptz('created_at').notNull().defaultNow(),
    updated_at: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('lists_owner_name_key').on(t.owner_id, sql`lower(${t.name})`),
    uniqueIndex('lists_owner_inbox_key').on(t.owner_id).where(sql`${t.is_inbox}`),
    // What a task's (list_id, user_id) references: a task always belongs to the owner of its list.
    unique('lists_id_owner_key').on(t.id, t.owner_id),
    check('lists_name_length', sql`char_length(${t.name}) between 1 and 100`),
  ],
);

export const MEMBER_ROLES = ['viewer', 'editor'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * The people a list is shared with. An invitation names an address (`email`, lower-cased), not an account, so that
 * inviting says nothing of whether the address has one; it becomes a membership (`status` active, `user_id` set)
 * only when the account with that address accepts it. A user id is set exactly when the membership is active, so
 * "the lists shared with me" is `user_id = me`, on the (user_id, list_id) index.
 */
export const listMembers = pgTable(
  'list_members',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    list_id: integer('list_id')
      .notNull()
      .references(() => lists.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    user_id: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: MEMBER_ROLES }).notNull(),
    status: text('status', { enum: ['invited', 'active'] })
      .notNull()
      .default('invited'),
    invited_by: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
    created_at: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('list_members_list_email_key').on(t.list_id, t.email),
    uniqueIndex('list_members_user_list_key').on(t.user_id, t.list_id),
    // A caller's pending invitations, found by the account's address.
    index('list_members_email_idx').on(sql`lower(${t.email})`),
    check('list_members_role', sql`${t.role} in ('viewer', 'editor')`),
    check('list_members_status', sql`${t.status} in ('invited', 'active')`),
    check('list_members_active_user', sql`(${t.status} = 'active') = (${t.user_id} is not null)`),
    check('list_members_email_lower', sql`${t.email} = lower(${t.email}) and char_length(${t.email}) <= 254`),
  ],
);
