import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.tables.ts';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/** A chat with the assistant. Everything about it is in these rows, so any instance can continue it. */
export const conversations = pgTable(
  'conversations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The start of the first message, to tell conversations apart in a list. */
    title: text('title').notNull(),
    created_at: timestamptz('created_at').notNull().defaultNow(),
    updated_at: timestamptz('updated_at').notNull().defaultNow(),
    /** Where an imported conversation came from (see src/export/); null for those held here first. */
    import_source: text('import_source'),
  },
  (t) => [
    index('conversations_user_updated_idx').on(t.user_id, t.updated_at, t.id),
    uniqueIndex('conversations_user_import_source_key')
      .on(t.user_id, t.import_source)
      .where(sql`${t.import_source} is not null`),
  ],
);

/**
 * One message. An assistant message that called tools keeps each call with its arguments and result in
 * `tool_calls`: the offline assistant reads its state (the task discussed, a pending confirmation, what undo
 * reverts) from them, and a model is shown them as its earlier calls.
 */
export const messages = pgTable(
  'messages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    conversation_id: integer('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    content: text('content').notNull(),
    tool_calls: jsonb('tool_calls'),
    created_at: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('messages_conversation_idx').on(t.conversation_id, t.id),
    check('messages_role', sql`${t.role} in ('user', 'assistant')`),
  ],
);
