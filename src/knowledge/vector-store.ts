import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/database.ts';
import type { KnowledgeRepository, Ranked } from './knowledge.repository.ts';
import { knowledgeChunks } from './knowledge.tables.ts';

/**
 * Nearest passages to a vector, by cosine similarity in [0, 1]. pgvector where the database has it, exact cosine
 * in process otherwise; the service does not know which (DESIGN.md §6).
 */
export interface VectorStore {
  search(vector: number[], limit: number): Promise<Ranked[]>;
}

/**
 * pgvector when `create extension vector` succeeds (PGlite bundles it; a PostgreSQL needs the extension
 * installed), else the in-process store. Decided once, at the first search, so that starting needs no extension.
 */
export function createVectorStore(db: Db, repository: KnowledgeRepository): VectorStore {
  let chosen: Promise<VectorStore> | undefined;
  return {
    async search(vector, limit) {
      chosen ??= createPgvectorStore(db).then((store) => store ?? createInProcessVectorStore(repository));
      return (await chosen).search(vector, limit);
    },
  };
}

/**
 * The same exact cosine search, computed by pgvector in the database over the stored `real[]` embeddings (cast to
 * `vector`), so no vectors travel to the process. Undefined when the extension cannot be created. There is no
 * ANN index: it needs a column of one fixed dimension, and the dimension is the configured model's.
 */
export async function createPgvectorStore(db: Db): Promise<VectorStore | undefined> {
  try {
    const installed = await db.execute(sql`select 1 from pg_extension where extname = 'vector'`);
    if (rowsOf(installed).length === 0) await db.execute(sql`create extension if not exists vector`);
  } catch {
    return undefined;
  }
  return {
    async search(vector, limit) {
      const query = JSON.stringify(vector);
      // A zero vector has no direction: pgvector answers NaN where the in-process store answers 0.
      const result = await db.execute(sql`
        select id as "chunkId", greatest(0, 1 - case when d = 'NaN' then 1 else d end) as score
        from (
          select id, (embedding::vector <=> ${query}::vector)::float8 as d
          from ${knowledgeChunks}
          where embedding is not null and cardinality(embedding) = ${vector.length}
        ) c
        order by score desc, id
        limit ${limit}`);
      return rowsOf<{ chunkId: number; score: number }>(result).map((row) => ({
        chunkId: Number(row.chunkId),
        score: Number(row.score),
      }));
    },
  };
}

/**
 * Exact cosine similarity in process over the stored embeddings. The vectors are loaded once and loaded again
 * only when the documents changed (a cheap version query per search), so that any instance sees every ingest.
 */
export function createInProcessVectorStore(repository: KnowledgeRepository): VectorStore {
  let cache: { version: string; ids: number[]; vectors: Float32Array[] } | undefined;
  const load = async () => {
    const version = await repository.version();
    if (cache?.version === version) return cache;
    const rows = await repository.embeddings();
    cache = { version, ids: rows.map((row) => row.id), vectors: rows.map((row) => normalise(row.embedding)) };
    return cache;
  };
  return {
    async search(vector, limit) {
      const { ids, vectors } = await load();
      const query = normalise(vector);
      const scored: Ranked[] = [];
      vectors.forEach((candidate, i) => {
        if (candidate.length !== query.length) return;
        let dot = 0;
        for (let j = 0; j < query.length; j++) dot += (query[j] ?? 0) * (candidate[j] ?? 0);
        scored.push({ chunkId: ids[i] ?? 0, score: Math.max(0, dot) });
      });
      return scored.sort((a, b) => b.score - a.score || a.chunkId - b.chunkId).slice(0, limit);
    },
  };
}

function normalise(vector: number[]): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return Float32Array.from(vector, (x) => x * scale);
}
