import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig } from '../src/config.ts';
import { openDatabase, PGLITE_EXTENSIONS } from '../src/db/database.ts';
import {
  buildKnowledgeService,
  findDocumentFiles,
  type KnowledgeService,
  readDocumentFile,
  type SearchResult,
  syncUserGuide,
} from '../src/knowledge/index.ts';
import { QUESTIONS, type Question } from './knowledge-questions.ts';
import { GUIDE_QUESTIONS, HELD_BACK, TUNING } from './knowledge-unanswerable.ts';

/**
 * `npm run eval:knowledge`: ingests Fastify's documentation (shipped in node_modules) into a fresh embedded
 * database (or EVAL_DATABASE_URL), asks the question set and prints recall@5, MRR and nDCG@10 for full-text
 * (ts_rank_cd), BM25 and, when an embeddings provider is configured (see .env.example), hybrid retrieval.
 * A hit is a passage from the labelled file whose headings include the labelled section (the file alone when
 * no section is labelled). Then declining, through `ask` as a client gets it: how many answerable questions are
 * answered (not declined, a hit among the 5 sources), on Fastify's docs and on Doable's own user guide, and how
 * many of the questions the guide does not answer are declined (no sources), the tuning set and the held-back set
 * apart (bench/knowledge-unanswerable.ts).
 */
export const CORPUS_DIR = join(new URL('../node_modules/fastify/docs', import.meta.url).pathname);

export async function openEvalService(url = process.env.EVAL_DATABASE_URL) {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const database = await openDatabase(
    url ? { url } : { pglite: await PGlite.create({ extensions: PGLITE_EXTENSIONS }) },
  );
  await database.migrate();
  const { service } = buildKnowledgeService({
    db: database.db,
    clock: () => new Date(),
    llm: undefined,
    embeddings: config.embeddings,
    warn: (message, error) => console.warn(message, error),
  });
  return { service, database, embeddings: config.embeddings !== undefined };
}

export async function ingestFolder(service: KnowledgeService, dir: string) {
  const files = await findDocumentFiles(dir);
  let chunks = 0;
  for (const file of files) {
    const result = await service.ingestOne({ path: file.path, content: await readDocumentFile(file) });
    chunks += result.chunks;
  }
  return { files: files.length, chunks };
}

const isHit = (question: Question, result: SearchResult) =>
  result.passage.path === question.file &&
  (question.section === undefined || result.passage.headingPath.includes(question.section));

/** Rank (1-based) of the first hit among results, or undefined. */
function firstHit(question: Question, results: SearchResult[]): number | undefined {
  const index = results.findIndex((result) => isHit(question, result));
  return index >= 0 ? index + 1 : undefined;
}

async function evaluate(
  service: KnowledgeService,
  search: { method: 'bm25' | 'fulltext'; vectors: boolean },
) {
  let recall5 = 0;
  let fileRecall5 = 0;
  let reciprocal = 0;
  let ndcg = 0;
  const misses: string[] = [];
  for (const question of QUESTIONS) {
    const results = await service.search(question.query, { limit: 10, ...search });
    const rank = firstHit(question, results);
    if (rank !== undefined && rank <= 5) recall5++;
    else
      misses.push(
        `${question.query} → ${results[0]?.passage.path ?? 'nothing'} › ${results[0]?.passage.headingPath.at(-1) ?? ''}`,
      );
    if (results.slice(0, 5).some((r) => r.passage.path === question.file)) fileRecall5++;
    if (rank !== undefined) {
      reciprocal += 1 / rank;
      // One relevant passage per question: the ideal DCG is 1, so nDCG@10 is 1 / log2(rank + 1).
      ndcg += 1 / Math.log2(rank + 1);
    }
  }
  const n = QUESTIONS.length;
  return {
    recall5: recall5 / n,
    fileRecall5: fileRecall5 / n,
    mrr: reciprocal / n,
    ndcg10: ndcg / n,
    misses,
  };
}

/** Answerable questions asked through `ask` (5 sources): those answered, the others as misses. */
async function answered(service: KnowledgeService, questions: Question[]) {
  const misses: string[] = [];
  for (const question of questions) {
    const { sources } = await service.ask(question.query, 5);
    if (!sources.some((source) => source.path === question.file && sectionHit(question, source.section)))
      misses.push(`${question.query} → ${sources.length === 0 ? 'declined' : 'no hit among the sources'}`);
  }
  return { answered: questions.length - misses.length, of: questions.length, misses };
}

const sectionHit = (question: Question, section: string) =>
  question.section === undefined || section.split(' › ').includes(question.section);

/** Unanswerable questions asked through `ask`: those declined, the others as misses with their first source. */
async function declined(service: KnowledgeService, queries: string[]) {
  const misses: string[] = [];
  for (const query of queries) {
    const { sources } = await service.ask(query, 5);
    if (sources[0]) misses.push(`${query} → ${sources[0].path} › ${sources[0].section}`);
  }
  return { declined: queries.length - misses.length, of: queries.length, misses };
}

const share = (part: number, of: number) => `${part}/${of} (${((100 * part) / of).toFixed(0)}%)`;

if (import.meta.main) {
  const { service, database, embeddings } = await openEvalService();
  const started = performance.now();
  const corpus = await ingestFolder(service, CORPUS_DIR);
  console.log(
    `Corpus: Fastify's docs, ${corpus.files} files, ${corpus.chunks} passages, ingested in ${((performance.now() - started) / 1000).toFixed(1)} s; ${QUESTIONS.length} questions.\n`,
  );
  const methods: Array<[string, { method: 'bm25' | 'fulltext'; vectors: boolean }]> = [
    ['full-text (ts_rank_cd)', { method: 'fulltext', vectors: false }],
    ['BM25', { method: 'bm25', vectors: false }],
  ];
  if (embeddings) methods.push(['hybrid (BM25 + vectors, RRF)', { method: 'bm25', vectors: true }]);
  const rows = [];
  for (const [name, options] of methods) {
    const result = await evaluate(service, options);
    rows.push({ name, ...result });
  }
  const pad = (text: string, width: number) => text.padEnd(width);
  console.log(`${pad('method', 32)}recall@5  MRR    nDCG@10  file recall@5`);
  for (const row of rows)
    console.log(
      `${pad(row.name, 32)}${pad(row.recall5.toFixed(3), 10)}${pad(row.mrr.toFixed(3), 7)}${pad(row.ndcg10.toFixed(3), 9)}${row.fileRecall5.toFixed(3)}`,
    );
  if (!embeddings)
    console.log(
      'hybrid: not measured, no embeddings provider configured (EMBEDDINGS_BASE_URL, OPENAI_API_KEY or COHERE_API_KEY)',
    );
  if (process.env.EVAL_VERBOSE)
    for (const row of rows) console.log(`\n${row.name}, not in the top 5:\n  ${row.misses.join('\n  ')}`);
  const fastify = await answered(service, QUESTIONS);
  await database.close();

  // Doable's own guide, as a fresh install holds it: the questions people ask the docs chat.
  const guide = await openEvalService(process.env.EVAL_GUIDE_DATABASE_URL);
  await syncUserGuide(guide.service, { newDatabase: true });
  const results: Array<[string, { misses: string[] }, string]> = [
    ['Fastify, answerable: answered', fastify, share(fastify.answered, fastify.of)],
  ];
  const guideAnswered = await answered(guide.service, GUIDE_QUESTIONS);
  results.push([
    'user guide, answerable: answered',
    guideAnswered,
    share(guideAnswered.answered, guideAnswered.of),
  ]);
  for (const [name, queries] of [
    ['user guide, unanswerable (tuning): declined', TUNING],
    ['user guide, unanswerable (held back): declined', HELD_BACK],
  ] as const) {
    const result = await declined(guide.service, queries);
    results.push([name, result, share(result.declined, result.of)]);
  }
  await guide.database.close();
  console.log(`\nDeclining, through ask (${embeddings ? 'hybrid' : 'BM25'}):`);
  for (const [name, , figure] of results) console.log(`${name.padEnd(48)}${figure}`);
  if (process.env.EVAL_VERBOSE)
    for (const [name, { misses }] of results)
      if (misses.length > 0) console.log(`\n${name}, misses:\n  ${misses.join('\n  ')}`);
}
