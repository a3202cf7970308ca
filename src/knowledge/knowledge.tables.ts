import { customType, index, integer, pgTable, real, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** One ingested file or JSON document; its path is its identity, so ingesting the same path replaces it. */
export const knowledgeDocuments = pgTable(
  'knowledge_documents',
  {
    id: text('id').primaryKey(),
    path: text('path').notNull(),
    title: text('title').notNull(),
    /** SHA-256 of what was ingested (the title given, content, embedding model): the same again is skipped. */
    content_hash: text('content_hash').notNull(),
    /** The model the chunks were embedded with; null when no embedding provider was configured. */
    embedding_model: text('embedding_model'),
    created_at: timestamptz('created_at').notNull().defaultNow(),
    updated_at: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('knowledge_documents_path_key').on(t.path)],
);

/**
 * A passage of a document. `search` is written at insert from the document's title (weight A), the heading
 * path (B) and the text (D), with English stems; `length` counts its tokens (positions), which BM25 needs.
 * `embedding` is the passage's vector when an embedding provider is configured.
 */
export const knowledgeChunks = pgTable(
  'knowledge_chunks',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    document_id: text('document_id')
      .notNull()
      .references(() => knowledgeDocuments.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    heading_path: text('heading_path').array().notNull(),
    text: text('text').notNull(),
    start_line: integer('start_line').notNull(),
    search: tsvector('search').notNull(),
    length: integer('length').notNull(),
    embedding: real('embedding').array(),
  },
  (t) => [
    uniqueIndex('knowledge_chunks_document_position_key').on(t.document_id, t.position),
    index('knowledge_chunks_search_idx').using('gin', t.search),
  ],
);
