import type { KnowledgeRepository, Ranked } from './knowledge.repository.ts';

/**
 * Nearest passages to a vector. Kept behind this interface so that a pgvector index can replace the exact
 * search without the service noticing (see DESIGN.md §6 on why the exact search is what ships).
 */
export interface VectorStore {
  search(vector: number[], limit: number): Promise<Ranked[]>;
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
