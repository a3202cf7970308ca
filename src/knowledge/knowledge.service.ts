import { createHash, randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  type AnswerModel,
  answerPrompt,
  answerUnits,
  extractiveAnswer,
  keepValidCitations,
  NOT_COVERED,
  snippetOf,
} from './answer.ts';
import { chunkMarkdownYielding } from './chunking.ts';
import type { Embedder } from './embeddings.ts';
import { reciprocalRankFusion } from './fusion.ts';
import { documentNotFound, duplicatePath, tooDeeplyNested } from './knowledge.errors.ts';
import type { KnowledgeRepository, LexicalMethod, Passage, Ranked } from './knowledge.repository.ts';
import type { VectorStore } from './vector-store.ts';

export interface DocumentInput {
  id?: string | undefined;
  title?: string | undefined;
  path?: string | undefined;
  content: string;
}

export interface IngestedDocument {
  id: string;
  path: string;
  title: string;
  chunks: number;
  status: 'created' | 'updated' | 'unchanged';
}

export interface SearchResult {
  passage: Passage;
  /** In [0, 1]: the lexical score alone, or the fused score with vectors. */
  score: number;
}

export interface Source {
  id: string;
  title: string;
  path: string;
  section: string;
  start_line: number;
  score: number;
  snippet: string;
}

export interface AskResult {
  query: string;
  response: string;
  sources: Source[];
  mode: 'generated' | 'extractive';
}

export interface SearchOptions {
  limit: number;
  method?: LexicalMethod;
  /** Fuse with vector search when an embedder is configured (default true). */
  vectors?: boolean;
}

export interface KnowledgeServiceDeps {
  repository: KnowledgeRepository;
  clock: () => Date;
  embedder?: Embedder | undefined;
  vectorStore?: VectorStore | undefined;
  answerModel?: AnswerModel | undefined;
  /** Where a failing provider is reported; the answer then falls back to what works offline. */
  warn?: (message: string, error: unknown) => void;
}

/**
 * Below this lexical score (see lexicalSearch) a passage shares only a word or two with a question without being
 * about it: it is not offered as a source.
 */
export const MIN_LEXICAL_SCORE = 0.12;

/**
 * Below this lexical score for the best passage, the question is declined (see isCovered). Measured with
 * `npm run eval:knowledge`: the lowest best score of an answerable question is 0.221 (on Fastify's docs), while a
 * third of the unanswerable ones score between 0.12 and 0.2.
 */
export const MIN_BEST_SCORE = 0.2;

/** Passages of the lexical ranking whose evidence is read (see isCovered). */
const EVIDENCE_PASSAGES = 3;

/** Document titles named when a question is declined; past this many, how many more. */
const TITLES_NAMED = 8;

/**
 * Chunks written per INSERT. On the embedded database a statement runs on the event loop's thread, about 0.5-1 ms
 * per chunk (tsvector, GIN entries), so a batch holds the loop a few tens of milliseconds at most; the ingest
 * lets other requests run between batches and between documents.
 */
export const CHUNKS_PER_STATEMENT = 32;

export type KnowledgeService = ReturnType<typeof createKnowledgeService>;

export function createKnowledgeService(deps: KnowledgeServiceDeps) {
  const { repository, clock, embedder, vectorStore, answerModel } = deps;
  const warn = deps.warn ?? (() => {});

  /**
   * The lexer reads a large document in pieces with a turn of the event loop between them (2 MB of markdown is
   * 200-350 ms of lexing). marked's lexer recurses once per level of nesting: thousands of nested lists or quotes
   * overflow the stack.
   */
  async function parse(input: DocumentInput) {
    try {
      return await chunkMarkdownYielding(input.content, nextTurn);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw tooDeeplyNested(input.path ?? input.title ?? 'A document');
    }
  }

  /**
   * What decides a document's passages besides its path: the title given (without one, the title comes from the
   * content or the path), the content, and the embedding model, so that a model change embeds again. Computed
   * without reading the markdown, so that unchanged documents are found without parsing them (syncUserGuide).
   */
  const contentHash = (input: DocumentInput) =>
    sha256(JSON.stringify([input.title?.trim() || null, input.content, embedder?.model ?? null]));

  async function ingestOne(input: DocumentInput): Promise<IngestedDocument> {
    const parsed = await parse(input);
    const path = (
      input.path ??
      input.id ??
      `${slug(input.title ?? parsed.title ?? '') || 'document'}-${sha256(input.content).slice(0, 8)}`
    ).trim();
    const title = input.title?.trim() || parsed.title || titleFromPath(path);
    const hash = contentHash(input);
    const existing = await repository.findByPath(path);
    const id = input.id ?? existing?.id ?? `doc_${randomUUID()}`;
    if (existing && existing.content_hash === hash && existing.id === id) {
      return { id, path, title, chunks: parsed.chunks.length, status: 'unchanged' };
    }
    // Embedding happens before the transaction: a slow provider must not hold the old chunks locked.
    const embeddings = embedder
      ? await embedder.embed(
          parsed.chunks.map((chunk) => [title, ...chunk.heading_path, chunk.text].join('\n')),
          'document',
        )
      : undefined;
    const chunks = parsed.chunks.map((chunk, i) => ({ ...chunk, embedding: embeddings?.[i] }));
    // One transaction per document, so readers see its old chunks or its new ones; inside it the chunks go in
    // batches with a turn of the event loop between them (the transaction holds its connection meanwhile).
    await repository.transaction(async (tx) => {
      // Another document already at this path, or this id moving to a new path: the path's content is replaced.
      if (existing && existing.id !== id) await tx.delete(existing.id);
      await tx.replace(
        { id, path, title, content_hash: hash, embedding_model: embedder?.model ?? null },
        clock(),
      );
      for (let start = 0; start < chunks.length; start += CHUNKS_PER_STATEMENT) {
        await nextTurn();
        await tx.insertChunks({ id, title }, chunks.slice(start, start + CHUNKS_PER_STATEMENT), start);
      }
    });
    return { id, path, title, chunks: parsed.chunks.length, status: existing ? 'updated' : 'created' };
  }

  /** The results, and the lexical ranking they came from: the evidence for declining. */
  async function retrieve(
    query: string,
    options: SearchOptions,
  ): Promise<{ results: SearchResult[]; lexical: Ranked[] }> {
    // Each list is limited before fusion, as in pgvector's hybrid example; one passage per section is kept
    // afterwards, so a few more than asked are fetched.
    const pool = Math.max(options.limit * 4, 20);
    const lexical = await repository.lexicalSearch(query, options.method ?? 'bm25', pool);
    let ranked: Ranked[] = lexical;
    if (embedder && vectorStore && options.vectors !== false) {
      try {
        const [vector] = await embedder.embed([query], 'query');
        if (vector) ranked = reciprocalRankFusion([lexical, await vectorStore.search(vector, pool)]);
      } catch (error) {
        warn('embeddings provider failed; answering from lexical search alone', error);
      }
    }
    const passages = new Map(
      (await repository.passages(ranked.map((r) => r.chunkId))).map((p) => [p.chunkId, p]),
    );
    const seen = new Set<string>();
    const results: SearchResult[] = [];
    for (const { chunkId, score } of ranked) {
      const passage = passages.get(chunkId);
      if (!passage) continue;
      const section = `${passage.documentId}\u0000${passage.headingPath.join('\u0000')}`;
      if (seen.has(section)) continue;
      seen.add(section);
      results.push({ passage, score: Math.min(1, Math.max(0, score)) });
      if (results.length === options.limit) break;
    }
    return { results, lexical };
  }

  /** What the documents cover, for a question they do not answer: their titles. */
  async function decline(query: string): Promise<AskResult> {
    const titles = [...new Set((await repository.list()).map((document) => document.title))];
    const named = titles.slice(0, TITLES_NAMED).join('; ');
    const more = titles.length > TITLES_NAMED ? ` and ${titles.length - TITLES_NAMED} more` : '';
    const response =
      titles.length === 0
        ? `${NOT_COVERED} The knowledge base holds no documents yet.`
        : `${NOT_COVERED} The documents cover: ${named}${more}.`;
    return { query, response, sources: [], mode: 'extractive' };
  }

  return {
    async ingest(inputs: DocumentInput[]): Promise<IngestedDocument[]> {
      const paths = new Set<string>();
      for (const input of inputs) {
        const key = input.path ?? input.id;
        if (key && paths.has(key)) throw duplicatePath(key);
        if (key) paths.add(key);
      }
      const results: IngestedDocument[] = [];
      for (const input of inputs) {
        // A request may carry 500 documents: other requests get a turn between them.
        await nextTurn();
        results.push(await ingestOne(input));
      }
      return results;
    },

    ingestOne,

    list: () => repository.list(),

    async delete(id: string): Promise<void> {
      if (!(await repository.delete(id))) throw documentNotFound();
    },

    isEmpty: async () => (await repository.countDocuments()) === 0,

    contentHash,

    /** The content hash of each document whose id starts with `prefix`, by id. */
    contentHashes: (prefix: string) => repository.contentHashes(prefix),

    search: async (query: string, options: SearchOptions) => (await retrieve(query, options)).results,

    async ask(query: string, maxResults: number): Promise<AskResult> {
      const lexicalOnly = !embedder;
      const { results, lexical } = await retrieve(query, { limit: maxResults });
      if (!isCovered(lexical)) return decline(query);
      // Without vectors the scores are lexical; a passage that barely matches is no source.
      const relevant = lexicalOnly ? results.filter((r) => r.score >= MIN_LEXICAL_SCORE) : results;
      const passages = relevant.map((r) => r.passage);
      const sources = relevant.map(({ passage, score }) => toSource(passage, score));
      if (passages.length === 0) return decline(query);
      if (answerModel) {
        try {
          const prompt = answerPrompt(query, passages);
          const text = await answerModel.complete(prompt.system, prompt.user);
          if (text)
            return { query, response: keepValidCitations(text, passages.length), sources, mode: 'generated' };
        } catch (error) {
          warn('language model failed; answering with sentences from the documents', error);
        }
      }
      const units = answerUnits(passages.slice(0, 3));
      const scores = await repository.scoreSentences(
        query,
        units.map((unit) => `${unit.context}\n${unit.text}`),
      );
      return { query, response: extractiveAnswer(units, scores), sources, mode: 'extractive' };
    },
  };
}

/**
 * Whether the documents answer a question, from the lexical ranking's own evidence (whatever the vectors say,
 * see DESIGN.md): the best passage must score MIN_BEST_SCORE, and one of the best three must hold all of the
 * question's stems, or at least two of them, three when the question uses a word no document does; and when the
 * question has distinctive words the documents use, those stems must be among them (two, or the one there is). A
 * passage holding one word of a question ("meaning" of "the meaning of life"), two common ones beside an unknown
 * ("attach" a "file" to a "task"), or only words most passages use ("Doable", "task") is a coincidence, not an
 * answer.
 */
export function isCovered(lexical: Ranked[]): boolean {
  const best = lexical[0];
  if (!best?.terms || best.score < MIN_BEST_SCORE) return false;
  const { searched, unknown, distinctive } = best.terms;
  const evidence = lexical.slice(0, EVIDENCE_PASSAGES).map((hit) => hit.terms);
  const matched = Math.max(...evidence.map((terms) => terms?.matched ?? 0));
  const distinctiveMatched = Math.max(...evidence.map((terms) => terms?.distinctiveMatched ?? 0));
  const enough = matched === searched || matched >= (unknown > 0 ? 3 : 2);
  return enough && distinctiveMatched >= Math.min(2, distinctive);
}

function toSource(passage: Passage, score: number): Source {
  return {
    id: passage.documentId,
    title: passage.title,
    path: passage.path,
    section: passage.headingPath.join(' › '),
    start_line: passage.startLine,
    score: Math.round(score * 10_000) / 10_000,
    snippet: snippetOf(passage.text),
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/** `guides/getting-started.md` → `Getting started`. */
function titleFromPath(path: string): string {
  const base =
    path
      .split(/[\\/]/)
      .pop()
      ?.replace(/\.(md|mdx|markdown|txt)$/i, '') ?? path;
  const words = base.replace(/[-_]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Untitled';
}
