import { setImmediate as nextTurn } from 'node:timers/promises';
import { asc, eq, sql } from 'drizzle-orm';
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
  /** BM25 only: the evidence a decision to decline reads (see `isCovered` in knowledge.service.ts). */
  terms?: TermEvidence;
}

/** How much of a question a BM25 hit holds. */
export interface TermEvidence {
  /** The question's stems this chunk holds. */
  matched: number;
  /** The question's stems searched (at most MAX_QUERY_STEMS). */
  searched: number;
  /** The question's stems that no chunk holds: words the documents never use. */
  unknown: number;
  /** The question's distinctive stems (see DISTINCTIVE_IDF) that some chunk holds, and how many of them this one holds. */
  distinctive: number;
  distinctiveMatched: number;
}

/**
 * Above this IDF a stem is distinctive: ln(1 + (N - df + 0.5) / (df + 0.5)) > 1 when it is in fewer than about 37%
 * of the passages. A stem in more than a third of them ("doable", "task" in the user guide) says little about which
 * passage answers a question, so finding it is no evidence that one does (see `isCovered`).
 */
const DISTINCTIVE_IDF = 1;

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
 * A question's stems beyond this many are not searched (the first ones in the question are kept). A question
 * may be 2,000 characters, some 300 stems; each costs the BM25 statement an index scan and a count, on the
 * embedded database on the event loop's thread. The evaluation's questions have at most 9.
 */
export const MAX_QUERY_STEMS = 32;

/**
 * Candidates scored per BM25 statement: 100-400 µs each on the embedded database (the whole tsvector is unnested
 * to find the query stems' weights), so a statement holds the loop 10-40 ms; a question matching most passages
 * is scored in slices of the candidates' ids, with a turn of the event loop between them.
 */
export const CANDIDATES_PER_STATEMENT = 100;

/** Passages per statement counted for BM25's statistics (number, mean length): about 8 µs each from disk. */
const STATS_ROWS = 2000;

/** A lexeme as a tsquery operand: quoted, so that to_tsquery's syntax never applies to it. */
const quoted = (lexeme: unknown) =>
  sql`'''' || replace(replace(${lexeme}, '\\', '\\\\'), '''', '''''') || ''''`;

/**
 * The query's first MAX_QUERY_STEMS English stems (by where they first occur) as an OR tsquery. Each lexeme is
 * quoted and cast (not parsed by to_tsquery, which would normalise it again), so any character in the question
 * is safe.
 */
const queryTerms = (query: string) => sql`terms as (
    select lexeme from unnest(to_tsvector('english', ${query}))
    order by positions[1], lexeme
    limit ${sql.raw(String(MAX_QUERY_STEMS))}
  ), query as (
    select string_agg(${quoted(sql.raw('lexeme'))}, ' | ')::tsquery as q
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

    /** The content hash of each document whose id starts with `prefix` (the user guide's are `guide:<file>`). */
    async contentHashes(prefix: string): Promise<Map<string, string>> {
      const rows = await db
        .select({ id: knowledgeDocuments.id, hash: knowledgeDocuments.content_hash })
        .from(knowledgeDocuments)
        .where(sql`starts_with(${knowledgeDocuments.id}, ${prefix})`);
      return new Map(rows.map((row) => [row.id, row.hash]));
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
    async lexicalSearch(
      query: string,
      method: LexicalMethod,
      limit: number,
      candidatesPerStatement = CANDIDATES_PER_STATEMENT,
    ): Promise<Ranked[]> {
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
      return db.transaction(async (tx) => bm25(tx, query, limit, candidatesPerStatement), {
        // The slices must read one state of the index, whatever is ingested meanwhile.
        isolationLevel: 'repeatable read',
        accessMode: 'read only',
      });
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

/**
 * BM25 (see lexicalSearch) in statements of bounded work, each followed by a turn of the event loop: the
 * question's stems with the number of passages and their mean length; each stem's document frequency, counted
 * through the GIN index, with its IDF; then the candidates, scored in one statement when few, else listed and
 * scored by `perStatement` ids at a time, each slice's best `limit` merged here. The numbers are those of one
 * statement, computed by PostgreSQL in the same way, so the ranking does not change.
 */
async function bm25(db: Db, query: string, limit: number, perStatement: number): Promise<Ranked[]> {
  // The passages' number and total length, read by ranges of ids: a sequential scan of 32,000 passages held the
  // loop 250 ms when their pages were not in PostgreSQL's buffers.
  const [range] = rowsOf<{ lo: number | null; hi: number | null }>(
    await db.execute(sql`select min(id) as lo, max(id) as hi from ${knowledgeChunks}`),
  );
  let count = 0;
  let total = 0;
  for (let from = Number(range?.lo ?? 1); range?.hi != null && from <= Number(range.hi); from += STATS_ROWS) {
    await nextTurn();
    const [slice] = rowsOf<{ n: string | number; total: string | number }>(
      await db.execute(sql`
        select count(*) as n, coalesce(sum(length), 0) as total from ${knowledgeChunks}
        where id >= ${from} and id < ${from + STATS_ROWS}`),
    );
    count += Number(slice?.n ?? 0);
    total += Number(slice?.total ?? 0);
  }
  if (count === 0) return [];
  await nextTurn();
  // avgdl as avg(length) computes it: the numeric quotient of the sums, then float8.
  const planned = rowsOf<{ lexeme: string; n: number; avgdl: number }>(
    await db.execute(sql`
      with ${queryTerms(query)}
      select t.lexeme, ${count}::float8 as n, greatest(${total}::numeric / ${count}::numeric, 1)::float8 as avgdl
      from terms t`),
  );
  const first = planned[0];
  if (!first) return [];
  const terms: Array<{ lexeme: string; idf: number }> = [];
  let hits = 0;
  let unknown = 0;
  const known: Array<{ idf: number }> = [];
  for (const { lexeme } of planned) {
    await nextTurn();
    const [row] = rowsOf<{ df: number; idf: number }>(
      await db.execute(sql`
        select d.df, ln(1 + (${first.n}::float8 - d.df + 0.5) / (d.df + 0.5)) as idf
        from (
          select count(*)::float8 as df from ${knowledgeChunks} c
          where c.search @@ (${quoted(sql`${lexeme}::text`)})::tsquery
        ) d`),
    );
    hits += Number(row?.df ?? 0);
    if (Number(row?.df ?? 0) === 0) unknown++;
    else known.push({ idf: Number(row?.idf) });
    terms.push({ lexeme, idf: Number(row?.idf) });
  }
  if (hits === 0) return [];
  const plan: Bm25Plan = {
    terms: JSON.stringify(terms),
    best: terms.reduce((sum, term) => sum + term.idf * BEST_PER_IDF, 0),
    avgdl: Number(first.avgdl),
    searched: terms.length,
    unknown,
    distinctive: known.filter((term) => term.idf > DISTINCTIVE_IDF).length,
  };
  await nextTurn();
  if (hits <= perStatement) return scoreCandidates(db, plan, undefined, limit);
  const [listed] = rowsOf<{ ids: number[] | null }>(
    await db.execute(sql`
      select array_agg(c.id order by c.id) as ids from ${knowledgeChunks} c where c.search @@ ${planQuery(plan)}`),
  );
  const ids = (listed?.ids ?? []).map(Number);
  const ranked: Ranked[] = [];
  for (let start = 0; start < ids.length; start += perStatement) {
    await nextTurn();
    ranked.push(...(await scoreCandidates(db, plan, ids.slice(start, start + perStatement), limit)));
  }
  return ranked.sort((x, y) => y.score - x.score || x.chunkId - y.chunkId).slice(0, limit);
}

/** What a stem adds at most to a passage's score, per unit of IDF: d + k1 + 1 (a saturated term frequency). */
const BEST_PER_IDF = BM25.d + BM25.k1 + 1;

/** BM25's statistics for one question, read once: they are the same for every slice of candidates. */
interface Bm25Plan {
  /** The question's stems with their IDF, as JSON `[{lexeme, idf}]`. */
  terms: string;
  /** The most a passage could score on this question (every stem, saturated): scores are divided by it. */
  best: number;
  /** The question's stems, how many of them no passage holds, and how many distinctive ones some passage holds. */
  searched: number;
  unknown: number;
  distinctive: number;
  avgdl: number;
}

/** The query's tsquery, built from the plan's stems. */
const planQuery = (plan: Bm25Plan) => sql`(
  select string_agg(${quoted(sql.raw('t.lexeme'))}, ' | ')::tsquery
  from jsonb_to_recordset(${plan.terms}::jsonb) as t(lexeme text, idf float8)
)`;

/** The best `limit` of the given candidates (or of all passages matching a stem), scored as BM25+. */
async function scoreCandidates(
  db: Db,
  plan: Bm25Plan,
  ids: number[] | undefined,
  limit: number,
): Promise<Ranked[]> {
  // Our own constants, written into the statement so that the planner knows their type.
  const [k1, b, d, title, heading] = [BM25.k1, BM25.b, BM25.d, BM25.title, BM25.heading].map((n) =>
    sql.raw(String(n)),
  );
  // Each position counts 1, in the title (weight A) or the heading path (B) more: counted with array_positions,
  // which costs half of unnesting the weights.
  const result = await db.execute(sql`
    with idf as (
      select t.lexeme, t.idf from jsonb_to_recordset(${plan.terms}::jsonb) as t(lexeme text, idf float8)
    ),
    hits as materialized (
      select c.id, c.length, u.lexeme,
        cardinality(u.weights)
          + (${title} - 1) * cardinality(array_positions(u.weights, 'A'))
          + (${heading} - 1) * cardinality(array_positions(u.weights, 'B')) as tf
      from ${knowledgeChunks} c
      cross join lateral unnest(c.search) u
      where ${ids === undefined ? sql`c.search @@ ${planQuery(plan)}` : sql`c.id = any(${`{${ids.join(',')}}`}::int[])`}
        and u.lexeme in (select lexeme from idf)
    )
    select h.id as "chunkId",
      sum(idf.idf * (${d} + h.tf * (${k1} + 1)
        / (h.tf + ${k1} * (1 - ${b} + ${b} * h.length / ${plan.avgdl}::float8)))) / ${plan.best}::float8 as score,
      count(*)::int as matched,
      count(*) filter (where idf.idf > ${sql.raw(String(DISTINCTIVE_IDF))})::int as "distinctiveMatched"
    from hits h join idf using (lexeme)
    group by h.id
    order by score desc, h.id
    limit ${limit}`);
  return rowsOf<Ranked & { matched: number; distinctiveMatched: number }>(result).map((row) => ({
    chunkId: row.chunkId,
    score: Number(row.score),
    terms: {
      matched: Number(row.matched),
      searched: plan.searched,
      unknown: plan.unknown,
      distinctive: plan.distinctive,
      distinctiveMatched: Number(row.distinctiveMatched),
    },
  }));
}
