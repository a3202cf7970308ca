import { asc, eq, sql } from 'drizzle-orm';
import { identities, users } from '../auth/auth.tables.ts';
import { type Db, rowsOf } from '../db/database.ts';
import type { Chunk } from './chunking.ts';
import { knowledgeChunks, knowledgeDocuments } from './knowledge.tables.ts';

export type DocumentRow = typeof knowledgeDocuments.$inferSelect;

export interface DocumentSummary {
  id: string;
  path: string;
  title: string;
  chunks: number;
  updated_at: Date;
}

export interface DocumentHeader {
  id: string;
  path: string;
  title: string;
  content_hash: string;
  embedding_model: string | null;
}

export type StoredChunk = Chunk & { embedding?: number[] | undefined };

/** A chunk found by one retriever: its id and that retriever's score (higher is better), best first. */
export interface Ranked {
  chunkId: number;
  score: number;
}

export interface Passage {
  chunkId: number;
  documentId: string;
  title: string;
  path: string;
  headingPath: string[];
  text: string;
  startLine: number;
}

export type LexicalMethod = 'bm25' | 'fulltext';

/**
 * BM25 parameters, MiniSearch's defaults (BM25+: `d` is added for each query term a passage contains), and how
 * much a term counts in the title (weight A) and in the heading path (weight B) against the body (D).
 */
export const BM25 = { k1: 1.2, b: 0.7, d: 0.5, title: 2, heading: 3 } as const;

/**
 * The query's English stems as an OR tsquery. Each lexeme is quoted and cast (not parsed by to_tsquery, which
 * would normalise it again), so any character in the question is safe.
 */
const queryTerms = (query: string) => sql`terms as (
    select lexeme from unnest(to_tsvector('english', ${query}))
  ), query as (
    select string_agg('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''', ' | ')::tsquery as q
    from terms
  )`;

export type KnowledgeRepository = ReturnType<typeof queries> & {
  /** Runs `work` in one transaction with a repository bound to it. */
  transaction<T>(work: (repository: KnowledgeRepository) => Promise<T>): Promise<T>;
};

export function createKnowledgeRepository(db: Db): KnowledgeRepository {
  return {
    ...queries(db),
    transaction: (work) => db.transaction((tx) => work(createKnowledgeRepository(tx as unknown as Db))),
  };
}

function queries(db: Db) {
  return {
    async findByPath(path: string): Promise<DocumentRow | undefined> {
      const [row] = await db.select().from(knowledgeDocuments).where(eq(knowledgeDocuments.path, path));
      return row;
    },

    async findById(id: string): Promise<DocumentRow | undefined> {
      const [row] = await db.select().from(knowledgeDocuments).where(eq(knowledgeDocuments.id, id));
      return row;
    },

    /**
     * What may make an account an administrator: the flag an operator sets (`npm run admin`), and the email
     * addresses a sign-in provider verified for it (identities keep an email only when it was verified).
     */
    async adminStanding(userId: string): Promise<{ isAdmin: boolean; verifiedEmails: string[] }> {
      const rows = await db
        .select({ isAdmin: users.is_admin, email: identities.email })
        .from(users)
        .leftJoin(identities, eq(identities.user_id, users.id))
        .where(eq(users.id, userId));
      return {
        isAdmin: rows.some((row) => row.isAdmin),
        verifiedEmails: rows.flatMap((row) => (row.email ? [row.email] : [])),
      };
    },

    async countDocuments(): Promise<number> {
      const [row] = await db
        .select({ count: sql<number>`cast(count(*) as integer)` })
        .from(knowledgeDocuments);
      return row?.count ?? 0;
    },

    /**
     * Writes a document's row and removes the chunks it had; `insertChunks` then adds the new ones in batches.
     * Call both inside `transaction`, so that a reader sees either the old chunks or the new ones, never a mix or
     * none.
     */
    async replace(document: DocumentHeader, now: Date): Promise<void> {
      await db
        .insert(knowledgeDocuments)
        .values({
          id: document.id,
          path: document.path,
          title: document.title,
          content_hash: document.content_hash,
          embedding_model: document.embedding_model,
          created_at: now,
          updated_at: now,
        })
        .onConflictDoUpdate({
          target: knowledgeDocuments.id,
          set: {
            path: document.path,
            title: document.title,
            content_hash: document.content_hash,
            embedding_model: document.embedding_model,
            updated_at: now,
          },
        });
      await db.delete(knowledgeChunks).where(eq(knowledgeChunks.document_id, document.id));
    },

    /**
     * Adds chunks to a document, numbered from `firstPosition`, in one statement: the tsvector and its token
     * count are computed by the database, with the same English configuration that reads the questions.
     */
    async insertChunks(
      document: { id: string; title: string },
      chunks: StoredChunk[],
      firstPosition: number,
    ): Promise<void> {
      if (chunks.length === 0) return;
      const rows = chunks.map((chunk) => ({
        heading_path: chunk.heading_path,
        text: chunk.text,
        start_line: chunk.start_line,
        ...(chunk.embedding ? { embedding: chunk.embedding } : {}),
      }));
      await db.execute(sql`
        insert into ${knowledgeChunks}
          (document_id, position, heading_path, text, start_line, search, length, embedding)
        select ${document.id}, ${firstPosition}::int + i.position - 1, h.heading_path, i.c->>'text',
          (i.c->>'start_line')::int,
          v.search, (select coalesce(sum(cardinality(positions)), 0) from unnest(v.search)),
          case when i.c ? 'embedding'
            then array(select jsonb_array_elements_text(i.c->'embedding')::real) end
        from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) with ordinality as i(c, position)
        cross join lateral (
          select array(select jsonb_array_elements_text(i.c->'heading_path')) as heading_path
        ) h
        cross join lateral (
          select setweight(to_tsvector('english', ${document.title}), 'A')
            || setweight(to_tsvector('english', array_to_string(h.heading_path, ' ')), 'B')
            || setweight(to_tsvector('english', i.c->>'text'), 'D') as search
        ) v`);
    },

    async list(): Promise<DocumentSummary[]> {
      return db
        .select({
          id: knowledgeDocuments.id,
          path: knowledgeDocuments.path,
          title: knowledgeDocuments.title,
          chunks: sql<number>`cast(count(${knowledgeChunks.id}) as integer)`,
          updated_at: knowledgeDocuments.updated_at,
        })
        .from(knowledgeDocuments)
        .leftJoin(knowledgeChunks, eq(knowledgeChunks.document_id, knowledgeDocuments.id))
        .groupBy(knowledgeDocuments.id)
        .orderBy(asc(knowledgeDocuments.path));
    },

    async delete(id: string): Promise<boolean> {
      const deleted = await db
        .delete(knowledgeDocuments)
        .where(eq(knowledgeDocuments.id, id))
        .returning({ id: knowledgeDocuments.id });
      return deleted.length > 0;
    },

    /**
     * Lexical retrieval, best first, scores in [0, 1].
     *
     * `bm25`: MiniSearch's BM25+ over the chunks' tsvectors. Candidates are the chunks matching any query stem
     * (GIN index); term frequency is read from the tsvector positions, weighted by where they occur (title,
     * heading, body); document frequency is the number of candidates holding the stem, which is exact since
     * every chunk holding a query stem is a candidate. The score is divided by the most a passage could score
     * on this query, so 1 means every query stem, often, and 0.2 means a passing mention of a rare one.
     *
     * `fulltext`: PostgreSQL's ts_rank_cd (cover density, no IDF) with its rank/(rank+1) normalisation; the
     * weights {D, C, B, A} give heading and title the same lead over the body as in BM25.
     */
    async lexicalSearch(query: string, method: LexicalMethod, limit: number): Promise<Ranked[]> {
      if (method === 'fulltext') {
        const result = await db.execute(sql`
          with ${queryTerms(query)}
          select c.id as "chunkId", ts_rank_cd('{0.33, 0.33, 1.0, 0.67}'::float4[], c.search, query.q, 32) as score
          from ${knowledgeChunks} c, query
          where query.q is not null and c.search @@ query.q
          order by score desc, c.id
          limit ${limit}`);
        return rowsOf<Ranked>(result).map((row) => ({ chunkId: row.chunkId, score: Number(row.score) }));
      }
      // Our own constants, written into the statement so that the planner knows their type.
      const [k1, b, d, title, heading] = [BM25.k1, BM25.b, BM25.d, BM25.title, BM25.heading].map((n) =>
        sql.raw(String(n)),
      );
      const result = await db.execute(sql`
        with ${queryTerms(query)},
        stats as (
          select count(*)::float8 as n, greatest(avg(length), 1)::float8 as avgdl from ${knowledgeChunks}
        ),
        hits as (
          select c.id, c.length, u.lexeme,
            (select sum(case w when 'A' then ${title} when 'B' then ${heading} else 1 end)
             from unnest(u.weights) w) as tf
          from ${knowledgeChunks} c
          cross join query
          cross join lateral unnest(c.search) u
          where query.q is not null and c.search @@ query.q and u.lexeme in (select lexeme from terms)
        ),
        df as (
          select t.lexeme, (select count(*) from hits h where h.lexeme = t.lexeme)::float8 as df from terms t
        ),
        idf as (
          select df.lexeme, ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5)) as idf from df, stats
        ),
        best as (select sum(idf * (${d} + ${k1} + 1)) as m from idf)
        select h.id as "chunkId",
          sum(idf.idf * (${d} + h.tf * (${k1} + 1)
            / (h.tf + ${k1} * (1 - ${b} + ${b} * h.length / stats.avgdl)))) / best.m as score
        from hits h join idf using (lexeme) cross join stats cross join best
        group by h.id, best.m
        order by score desc, h.id
        limit ${limit}`);
      return rowsOf<Ranked>(result).map((row) => ({ chunkId: row.chunkId, score: Number(row.score) }));
    },

    async passages(chunkIds: number[]): Promise<Passage[]> {
      if (chunkIds.length === 0) return [];
      const result = await db.execute(sql`
        select c.id as "chunkId", d.id as "documentId", d.title, d.path, c.heading_path as "headingPath",
          c.text, c.start_line as "startLine"
        from ${knowledgeChunks} c join ${knowledgeDocuments} d on d.id = c.document_id
        where c.id in (select jsonb_array_elements_text(${JSON.stringify(chunkIds)}::jsonb)::int)`);
      return rowsOf<Passage>(result);
    },

    /** Every stored embedding, for the in-process vector store; `version` changes whenever they may have. */
    async embeddings(): Promise<Array<{ id: number; embedding: number[] }>> {
      const result = await db.execute(
        sql`select id, embedding from ${knowledgeChunks} where embedding is not null order by id`,
      );
      return rowsOf<{ id: number; embedding: number[] }>(result);
    },

    async version(): Promise<string> {
      const result = await db.execute(sql`
        select count(*)::text || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(sum(hashtext(id)), 0)::text as v
        from ${knowledgeDocuments}`);
      return rowsOf<{ v: string }>(result)[0]?.v ?? '';
    },

    /** How well each sentence answers the query (English stems, cover density), in the order given. */
    async scoreSentences(query: string, sentences: string[]): Promise<number[]> {
      if (sentences.length === 0) return [];
      const result = await db.execute(sql`
        with ${queryTerms(query)}
        select s.position, coalesce(ts_rank_cd(to_tsvector('english', s.sentence), query.q), 0) as score
        from jsonb_array_elements_text(${JSON.stringify(sentences)}::jsonb) with ordinality as s(sentence, position)
        cross join query
        order by s.position`);
      return rowsOf<{ score: number }>(result).map((row) => Number(row.score));
    },
  };
}
