import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectProblem, registerUser, type TestApp } from '../../test/helpers.ts';
import { buildKnowledgeService } from './knowledge.feature.ts';
import { createKnowledgeRepository } from './knowledge.repository.ts';
import { INGEST_TOKEN, ingestCorpus } from './knowledge.test-helpers.ts';
import { createInProcessVectorStore, createPgvectorStore } from './vector-store.ts';

/**
 * Deterministic "semantic" vectors: one dimension per concept, so that words the lexical index cannot relate
 * (credential/token, discard/revoke) land near each other, as a real embedding model would put them.
 */
const CONCEPTS = [
  ['token', 'tokens', 'credential', 'credentials', 'key'],
  ['revoke', 'delete', 'discard', 'invalidate', 'stop'],
  ['create', 'send', 'make', 'new', 'obtain'],
  ['task', 'tasks', 'todo', 'chore'],
  ['repeat', 'recurring', 'every', 'weekly', 'periodically'],
  ['docker', 'image', 'container', 'deployment', 'deploy'],
  ['postgresql', 'database', 'database_url', 'db'],
];

function embed(text: string): number[] {
  const words = text.toLowerCase().match(/[a-z_]+/g) ?? [];
  const vector = CONCEPTS.map((concept) => words.filter((w) => concept.includes(w)).length);
  return [...vector, 0.01];
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return JSON.parse(body) as Record<string, unknown>;
}

/** A local server speaking OpenAI's /v1/embeddings and /v1/chat/completions, recording what it was sent. */
async function startProviderServer() {
  const seen = { embeddings: 0, chats: [] as Array<Record<string, unknown>>, authorization: '' };
  let chatReply: (request: Record<string, unknown>) => { status: number; content: string } = () => ({
    status: 200,
    content: '',
  });
  const server: Server = createServer(async (request, response) => {
    const body = await readJson(request);
    seen.authorization = request.headers.authorization ?? '';
    response.setHeader('content-type', 'application/json');
    if (request.url === '/v1/embeddings') {
      const input = body.input as string[];
      seen.embeddings += input.length;
      response.end(
        JSON.stringify({
          object: 'list',
          model: body.model,
          data: input.map((text, index) => ({ object: 'embedding', index, embedding: embed(text) })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        }),
      );
      return;
    }
    if (request.url === '/v1/chat/completions') {
      seen.chats.push(body);
      const { status, content } = chatReply(body);
      response.statusCode = status;
      response.end(
        JSON.stringify(
          status === 200
            ? {
                id: 'chat-1',
                object: 'chat.completion',
                created: 0,
                model: body.model,
                choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
              }
            : { error: { message: 'overloaded', type: 'server_error' } },
        ),
      );
      return;
    }
    response.statusCode = 404;
    response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    url,
    seen,
    replyWith: (reply: typeof chatReply) => {
      chatReply = reply;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let provider: Awaited<ReturnType<typeof startProviderServer>>;
beforeAll(async () => {
  provider = await startProviderServer();
});
afterAll(() => provider.close());

const ask = (t: TestApp, query: string, max_results = 3) =>
  t.app.inject({ method: 'POST', url: '/api/knowledge/ask', payload: { query, max_results } });
const askAt = (t: TestApp, url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers, payload: { query: 'anything' } });

describe('with an embeddings server', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        INGEST_TOKEN,
        EMBEDDINGS_BASE_URL: provider.url,
        EMBEDDINGS_API_KEY: 'emb-key',
        EMBEDDINGS_MODEL: 'concepts',
      },
    });
    await ingestCorpus(t.app);
  });
  afterAll(() => t.close());

  it('embeds every passage at ingest, with the configured key', () => {
    expect(provider.seen.embeddings).toBe(7);
    expect(provider.seen.authorization).toBe('Bearer emb-key');
  });

  it('finds by meaning what shares no word with the question, but asks decline without lexical evidence', async () => {
    // No stem of "discard a credential" is in the corpus: the lexical list is empty, the vectors find it.
    const { service } = buildKnowledgeService({
      db: t.database.db,
      clock: () => new Date(),
      llm: undefined,
      embeddings: { provider: 'openai', baseURL: provider.url, apiKey: 'emb-key', model: 'concepts' },
      warn: () => {},
    });
    const [found] = await service.search('discard a credential', { limit: 5 });
    expect(found?.passage.headingPath).toEqual(['API tokens', 'Revoke a token']);
    // Whether a similarity means "about this" depends on the model, so only the lexical evidence decides.
    expect((await ask(t, 'discard a credential')).json().sources).toEqual([]);
    const body = (await ask(t, 'revoke a token')).json();
    expect(body.sources[0]).toMatchObject({
      path: 'guide/tokens.md',
      section: 'API tokens › Revoke a token',
    });
    expect(body.sources.every((s: { score: number }) => s.score >= 0 && s.score <= 1)).toBe(true);
  });

  it('keeps lexical hits that the vectors also rank first at the top', async () => {
    const body = (await ask(t, 'set DATABASE_URL for PostgreSQL')).json();
    expect(body.sources[0]).toMatchObject({ section: 'Deployment › PostgreSQL', score: 1 });
  });

  it('ranks alike with pgvector and in process, where the database has the vector extension', async () => {
    const { db, engine } = t.database;
    const pgvector = await createPgvectorStore(db);
    // PGlite bundles pgvector; a PostgreSQL has it only where the extension is installed.
    if (engine === 'pglite') expect(pgvector).toBeDefined();
    if (!pgvector) return;
    const inProcess = createInProcessVectorStore(createKnowledgeRepository(db));
    for (const query of ['discard a credential', 'a weekly chore', 'deploy the container', 'nothing']) {
      const [expected, actual] = await Promise.all([
        inProcess.search(embed(query), 5),
        pgvector.search(embed(query), 5),
      ]);
      expect(actual.map((r) => r.chunkId)).toEqual(expected.map((r) => r.chunkId));
      for (const [i, r] of actual.entries()) expect(r.score).toBeCloseTo(expected[i]?.score ?? -1, 5);
    }
  });

  it('embeds again a document whose embedding model changed, and skips it otherwise', async () => {
    const before = provider.seen.embeddings;
    expect((await ingestCorpus(t.app)).documents.every((d) => d.status === 'unchanged')).toBe(true);
    expect(provider.seen.embeddings).toBe(before);
  });
});

describe('with a language model', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { INGEST_TOKEN, OPENAI_BASE_URL: provider.url, OPENAI_API_KEY: 'llm-key', OPENAI_MODEL: 'tiny' },
    });
    await ingestCorpus(t.app);
  });
  afterAll(() => t.close());

  it('answers with the model from the numbered passages, and drops citations of sources it was not given', async () => {
    provider.replyWith(() => ({
      status: 200,
      content: 'Send POST /api/auth/tokens [1]. See also [2] and [9].',
    }));
    const response = await ask(t, 'how do I create an API token?', 2);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      mode: 'generated',
      response: 'Send POST /api/auth/tokens [1]. See also [2] and.',
    });
    expect(body.sources).toHaveLength(2);
    const request = provider.seen.chats.at(-1) as {
      model: string;
      messages: Array<{ role: string; content: string }>;
    };
    expect(request.model).toBe('tiny');
    expect(request.messages[0]?.content).toMatch(/does not cover/);
    expect(request.messages[1]?.content).toContain('[1] API tokens › Create a token (guide/tokens.md)');
    expect(request.messages[1]?.content).toMatch(/Question: how do I create an API token\?$/);
  });

  it('does not call the model when nothing relevant was retrieved', async () => {
    const calls = provider.seen.chats.length;
    const body = (await ask(t, 'the boiling point of mercury')).json();
    expect(body).toMatchObject({ sources: [], mode: 'extractive' });
    expect(provider.seen.chats.length).toBe(calls);
  });

  it('falls back to an extractive answer when the model fails', async () => {
    provider.replyWith(() => ({ status: 500, content: '' }));
    const body = (await ask(t, 'how do I create an API token?')).json();
    expect(body.mode).toBe('extractive');
    expect(body.response).toContain('POST /api/auth/tokens');
  });
});

describe('asking limits', () => {
  it('allows ASK_RATE_LIMIT_PER_MINUTE questions a minute per client, then answers 429 with Retry-After', async () => {
    const t = await createTestApp({ env: { RATE_LIMIT_ENABLED: 'true', ASK_RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      const urls = ['/api/knowledge/ask', '/chat', '/api/chat'];
      const responses = [];
      for (const url of urls) responses.push(await askAt(t, url));
      expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 429]);
      expectProblem(responses[2] as (typeof responses)[number], 429, 'request.rate_limited');
      expect(responses[2]?.headers['retry-after']).toBeDefined();
      // A signed-in user has a budget of their own.
      const user = await registerUser(t.app);
      expect((await askAt(t, '/chat', user.headers)).statusCode).toBe(200);
    } finally {
      await t.close();
    }
    // Each builds an app of its own, which takes a while on a loaded machine.
  }, 60_000);

  it('asks for an account when ASK_REQUIRES_ACCOUNT is on', async () => {
    const t = await createTestApp({ env: { ASK_REQUIRES_ACCOUNT: 'true' } });
    try {
      expectProblem(await askAt(t, '/api/knowledge/ask'), 401, 'auth.missing_token');
      const listing = await t.app.inject({ method: 'GET', url: '/api/knowledge/documents' });
      expectProblem(listing, 401, 'auth.missing_token');
      const user = await registerUser(t.app);
      expect((await askAt(t, '/api/chat', user.headers)).statusCode).toBe(200);
    } finally {
      await t.close();
    }
    // Each builds an app of its own, which takes a while on a loaded machine.
  }, 60_000);

  it('has no knowledge routes when the feature is off', async () => {
    const t = await createTestApp({ env: { FEATURES: 'tasks' } });
    try {
      expect((await askAt(t, '/api/knowledge/ask')).statusCode).toBe(404);
    } finally {
      await t.close();
    }
    // Each builds an app of its own, which takes a while on a loaded machine.
  }, 60_000);
});
