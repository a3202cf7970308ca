import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables.ts';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A user's lists of tasks. Every account has exactly one Inbox (`is_inbox`), made with the account by a trigger on
 * `users` (migration 0010), whatever path makes the user row; it cannot be renamed or deleted. A list has one
 * owner; members are for a later table (`list_members`), which is why who may see a list is decided in this
 * feature only (see lists.repository.ts, `visibleList`).
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
    check('lists_name_length', sql`char_length(${t.name}) between 1 and 100`),
  ],
);
