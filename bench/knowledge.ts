import { CORPUS_DIR, ingestFolder, openEvalService } from './knowledge-eval.ts';
import { QUESTIONS } from './knowledge-questions.ts';
import { printTable, scratchPostgres } from './lib.ts';

/**
 * Knowledge benchmark: ingest speed (passages per second, chunking and indexing included) of Fastify's docs,
 * then the latency of answering (retrieval and extractive answer, no language model), on the embedded database
 * and, with BENCH_DATABASE_URL, on a fresh PostgreSQL database made for the run.
 *
 *   node bench/knowledge.ts
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/knowledge.ts
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function run(name: string, url: string | undefined) {
  const { service, database } = await openEvalService(url);
  const started = performance.now();
  const corpus = await ingestFolder(service, CORPUS_DIR);
  const ingestSeconds = (performance.now() - started) / 1000;
  // One warm-up pass, then ROUNDS passes over the question set.
  for (const question of QUESTIONS) await service.ask(question.query, 5);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const question of QUESTIONS) {
      const t0 = performance.now();
      await service.ask(question.query, 5);
      times.push(performance.now() - t0);
    }
  }
  await database.close();
  times.sort((a, b) => a - b);
  return {
    database: name,
    files: corpus.files,
    passages: corpus.chunks,
    'ingest s': ingestSeconds.toFixed(2),
    'passages/s': Math.round(corpus.chunks / ingestSeconds),
    asks: times.length,
    'ask p50 ms': percentile(times, 50).toFixed(1),
    'ask p99 ms': percentile(times, 99).toFixed(1),
  };
}

const rows = [await run('pglite', undefined)];
const pgUrl = process.env.BENCH_DATABASE_URL;
if (pgUrl) {
  const scratch = await scratchPostgres(pgUrl);
  try {
    rows.push(await run('postgres', scratch.env.DATABASE_URL));
  } finally {
    await scratch.drop();
  }
}
printTable(rows);
