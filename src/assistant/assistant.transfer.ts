import { and, eq, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/database.ts';
import { elements, json } from '../db/json-rows.ts';
import { createAssistantRepository } from './assistant.repository.ts';
import { conversations, messages } from './assistant.tables.ts';

/** The most rows a listing returns: all of them (PostgreSQL's largest integer). */
const ALL = 2_147_483_647;

export interface ConversationToImport {
  import_source: string;
  title: string;
  created_at: string;
  updated_at: string;
}

export interface MessageToImport {
  conversation_id: number;
  role: string;
  content: string;
  tool_calls: unknown[] | null;
  created_at: string;
}

/**
 * What an export and an import of an account read and write of the assistant's tables: every conversation with
 * its messages, imported origins, and rows written many at a statement. On the database handle given, so that the
 * export feature runs it in its own transaction.
 */
export function createConversationsTransfer(db: Db) {
  const repository = createAssistantRepository(db);
  return {
    /** Every conversation of the user, least recently updated first. */
    async conversations(userId: string) {
      return (await repository.listConversations(userId, ALL)).reverse();
    },

    /** Every message of the conversation, oldest first. */
    messages: (conversationId: number) => repository.messages(conversationId, ALL),

    /** Of these conversation ids, those that belong to the user. */
    async ownIds(userId: string, ids: number[]): Promise<number[]> {
      const rows = await db
        .select({ id: conversations.id })
        .from(conversations)
        .where(
          and(
            eq(conversations.user_id, userId),
            sql`${conversations.id} in (select value::int from ${elements(ids)})`,
          ),
        );
      return rows.map((row) => row.id);
    },

    /** The user's conversations already imported from these sources, by source. */
    async importedIds(userId: string, sources: string[]): Promise<Map<string, number>> {
      const rows = await db
        .select({ id: conversations.id, source: conversations.import_source })
        .from(conversations)
        .where(
          and(
            eq(conversations.user_id, userId),
            sql`${conversations.import_source} in (select value from ${elements(sources)})`,
          ),
        );
      return new Map(rows.map((row) => [row.source as string, row.id]));
    },

    /** Inserts the conversations; one already imported from the same source (a concurrent import) is left alone. */
    async insertConversations(userId: string, rows: ConversationToImport[]): Promise<Map<string, number>> {
      if (rows.length === 0) return new Map();
      const result = await db.execute(sql`
        insert into ${conversations} (user_id, import_source, title, created_at, updated_at)
        select ${userId}, r.import_source, r.title, r.created_at, r.updated_at
        from jsonb_to_recordset(${json(rows)}::jsonb)
          as r(import_source text, title text, created_at timestamptz, updated_at timestamptz)
        on conflict (user_id, import_source) where import_source is not null do nothing
        returning id, import_source`);
      return new Map(
        rowsOf<{ id: number; import_source: string }>(result).map((r) => [r.import_source, r.id]),
      );
    },

    async insertMessages(rows: MessageToImport[]) {
      if (rows.length === 0) return;
      // In the order given, so that ids (which order a conversation's messages) follow it.
      await db.execute(sql`
        insert into ${messages} (conversation_id, role, content, tool_calls, created_at)
        select r.conversation_id, r.role, r.content, r.tool_calls, r.created_at
        from rows from (jsonb_to_recordset(${json(rows)}::jsonb)
          as (conversation_id integer, role text, content text, tool_calls jsonb, created_at timestamptz))
          with ordinality as r(conversation_id, role, content, tool_calls, created_at, n)
        order by r.n`);
    },
  };
}

export type ConversationsTransfer = ReturnType<typeof createConversationsTransfer>;
