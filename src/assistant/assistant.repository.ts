import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { conversations, messages } from './assistant.tables.ts';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = Pick<MessageRow, 'role' | 'content' | 'tool_calls' | 'created_at'>;

export function createAssistantRepository(db: Db) {
  return {
    async createConversation(userId: string, title: string, now: Date): Promise<ConversationRow> {
      const [row] = await db
        .insert(conversations)
        .values({ user_id: userId, title, created_at: now, updated_at: now })
        .returning();
      return row as ConversationRow;
    },

    async findConversation(userId: string, id: number): Promise<ConversationRow | undefined> {
      const [row] = await db
        .select()
        .from(conversations)
        .where(and(eq(conversations.id, id), eq(conversations.user_id, userId)));
      return row;
    },

    listConversations(userId: string, limit: number): Promise<ConversationRow[]> {
      return db
        .select()
        .from(conversations)
        .where(eq(conversations.user_id, userId))
        .orderBy(desc(conversations.updated_at), desc(conversations.id))
        .limit(limit);
    },

    /** Oldest first; the last `limit` messages when there are more. */
    async messages(conversationId: number, limit: number): Promise<MessageRow[]> {
      const rows = await db
        .select()
        .from(messages)
        .where(eq(messages.conversation_id, conversationId))
        .orderBy(desc(messages.id))
        .limit(limit);
      return rows.reverse();
    },

    async addMessage(conversationId: number, message: NewMessage): Promise<MessageRow> {
      const [row] = await db
        .insert(messages)
        .values({ conversation_id: conversationId, ...message })
        .returning();
      await db
        .update(conversations)
        .set({ updated_at: message.created_at })
        .where(eq(conversations.id, conversationId));
      return row as MessageRow;
    },

    async deleteConversation(userId: string, id: number): Promise<boolean> {
      const deleted = await db
        .delete(conversations)
        .where(and(eq(conversations.id, id), eq(conversations.user_id, userId)))
        .returning({ id: conversations.id });
      return deleted.length > 0;
    },
  };
}

export type AssistantRepository = ReturnType<typeof createAssistantRepository>;
