import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { printTable } from './lib.ts';

/**
 * The worst inputs we can construct for each route that does work, one after the other, against the service
 * built in this process (buildApp on a fresh embedded database, listening on loopback). While each runs, the
 * event loop's delay is sampled in this process (perf_hooks.monitorEventLoopDelay, 1 ms resolution) and a
 * worker thread polls /health/live every 5 ms over HTTP; it prints, per input and overall, the longest delay of
 * the event loop and /health/live's p99 and max. Each input has a deadline (BENCH_WORST_TIMEOUT_MS, 120 s), so
 * the run is bounded whatever the code under test does. No production code serves the measurement.
 * BENCH_WORST_ONLY=<words> runs only the inputs whose name contains them (e.g. "import").
 */
const TIMEOUT_MS = Number(process.env.BENCH_WORST_TIMEOUT_MS ?? 120_000);
const NEVER = 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30';
/** Accepted before and after the bounded search: rare enough to walk the whole budget. */
const RARE = 'FREQ=DAILY;BYDAY=FR;BYMONTHDAY=13';

const POLLER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let running = true; const samples = [];
parentPort.on('message', (m) => { if (m === 'stop') { running = false; } });
(async () => {
  while (running) {
    const start = performance.now();
    await new Promise((resolve) => {
      const req = http.get(workerData.url, { agent }, (res) => { res.resume(); res.on('end', resolve); });
      req.on('error', resolve);
    });
    samples.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 5));
  }
  parentPort.postMessage(samples);
})();
`;

interface Input {
  name: string;
  run: (call: Call) => Promise<unknown>;
}
type Call = (
  method: string,
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<number>;

/** The longest chat messages (under the 4,000-character limit) of each phrase said again and again, one after another. */
function longestChats(of: string, phrases: string[]): Input {
  return {
    name: `chat x${phrases.length} longest messages of ${of}`,
    run: async (c) => {
      for (const phrase of phrases)
        await c('POST', '/api/me/chat', { message: `add x ${phrase.repeat(400)}`.slice(0, 3999) });
    },
  };
}

function task(i: number, recurrence: string | null, extra: Record<string, unknown> = {}) {
  const at = '2026-01-01T00:00:00Z';
  return {
    origin: `bench/tasks/${i}`,
    id: i + 1,
    title: `task ${i} ${'x'.repeat(40)}`,
    description: null,
    completed: false,
    completed_at: null,
    priority: 'medium',
    tags: ['home', 'work'],
    due_date: '2026-03-01',
    recurrence,
    created_at: at,
    updated_at: at,
    completions: [],
    ...extra,
  };
}

function importFile(tasks: unknown[]) {
  return {
    format: 'doable-export',
    version: 1,
    exported_at: '2026-01-01T00:00:00Z',
    profile: { id: 'x', email: null, name: 'x', timezone: 'UTC', created_at: '2026-01-01T00:00:00Z' },
    tags: [],
    tasks,
    conversations: [],
    api_tokens: [],
  };
}

/**
 * The largest import the configured limit admits, in tasks: with the last one invalid (all the validation, no
 * insert), or all valid (every row inserted, under origins of their own).
 */
function largestImport(limit: number, valid = false): string {
  const one = JSON.stringify(task(0, RARE)).length + 1;
  const count = Math.min(100_000, Math.floor((limit * 0.95) / (one + 8)));
  const tasks = Array.from({ length: count }, (_, i) =>
    valid ? task(i, RARE, { origin: `bench/valid/${i}` }) : task(i, i === count - 1 ? NEVER : RARE),
  );
  return JSON.stringify(importFile(tasks));
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'doable-worst-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_ENABLED: 'false',
    DATA_DIR: dataDir,
    KNOWLEDGE_SEED_DOCS: 'false',
    INGEST_TOKEN: 'bench-ingest-token-0123456789',
  });
  const database = await openDatabase({ dataDir });
  const app = await buildApp({ config: { ...config, jwtSecret: config.jwtSecret ?? '' }, database });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const importLimit = config.importBodyLimitBytes;

  const call: Call = async (method, url, body, headers = {}) => {
    const response = await fetch(new URL(url, base), {
      method,
      headers: { 'content-type': 'application/json', ...auth, ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.status;
  };
  let auth: Record<string, string> = {};
  const registered = (await (
    await fetch(new URL('/api/auth/register', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'worst@example.com', password: 'correct horse battery', name: 'W' }),
    })
  ).json()) as { access_token: string };
  auth = { authorization: `Bearer ${registered.access_token}` };
  const mcpHeaders = { accept: 'application/json, text/event-stream' };
  const toolCall = (id: number) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'add_task', arguments: { title: `mcp ${id}`, recurrence: NEVER } },
  });
  const ingestAuth = { authorization: 'Bearer bench-ingest-token-0123456789' };
  const paragraph = `${'Doable keeps tasks and answers questions about its documents. '.repeat(20)}\n\n`;
  const documents = (count: number, size: number) =>
    Array.from({ length: count }, (_, i) => ({
      path: `bench/doc-${i}-${Math.random()}.md`,
      content:
        `# Document ${i}\n\n## Section\n\n${paragraph.repeat(Math.ceil(size / paragraph.length))}`.slice(
          0,
          size,
        ),
    }));

  const inputs: Input[] = [
    {
      name: 'create x20, never-occurring rule',
      run: async (c) => {
        for (let i = 0; i < 20; i++) await c('POST', '/api/me/tasks', { title: `t${i}`, recurrence: NEVER });
      },
    },
    {
      name: 'update x20, never-occurring rule',
      run: async (c) => {
        for (let i = 0; i < 20; i++) await c('PATCH', '/api/me/tasks/1', { recurrence: NEVER });
      },
    },
    {
      name: 'import 300 tasks, never-occurring rule',
      run: (c) =>
        c('POST', '/api/me/import', importFile(Array.from({ length: 300 }, (_, i) => task(i, NEVER)))),
    },
    {
      name: 'import, largest allowed file',
      run: (c) => c('POST', '/api/me/import', largestImport(importLimit)),
    },
    {
      name: 'MCP batch of 100 tools/call',
      run: (c) =>
        c(
          'POST',
          '/mcp',
          Array.from({ length: 100 }, (_, i) => toolCall(i + 1)),
          mcpHeaders,
        ),
    },
    {
      name: 'MCP x20 tools/call, one per POST',
      run: async (c) => {
        for (let i = 0; i < 20; i++) await c('POST', '/mcp', toolCall(i + 1), mcpHeaders);
      },
    },
    {
      name: 'chat x5 "every ..." phrases',
      run: async (c) => {
        for (const message of [
          'add water plants every february 30',
          'add pay rent every 31st',
          'add party every 29th of february',
          'add review every last friday of february',
          'add call every friday the 13th',
        ])
          await c('POST', '/api/me/chat', { message });
      },
    },
    longestChats('repeated date phrases', ['every 2 weeks ', 'on may 3 at 9 ', 'due sat ']),
    longestChats('corrected details', [
      'monday, no tuesday, ',
      'friday wait actually saturday ',
      'p1, actually make it p2 ',
    ]),
    {
      name: 'deep JSON (1 MiB of [)',
      run: (c) => c('POST', '/api/me/tasks', `${'['.repeat(1024 * 1024 - 10)}`),
    },
    {
      name: 'list page 200, long search',
      run: async (c) => {
        for (let i = 0; i < 5; i++)
          await c(
            'GET',
            `/api/me/tasks?limit=200&status=all&search=${encodeURIComponent('task x'.repeat(300))}`,
          );
      },
    },
    {
      name: 'ingest 20 MiB JSON (500 documents)',
      run: (c) => c('POST', '/api/knowledge/documents', { documents: documents(500, 40_000) }, ingestAuth),
    },
    {
      name: 'ingest 10 documents of 2 MB',
      run: (c) => c('POST', '/api/knowledge/documents', documents(10, 1_999_000), ingestAuth),
    },
    {
      name: 'ask, long question',
      run: (c) =>
        c('POST', '/api/knowledge/ask', { query: 'doable tasks documents '.repeat(40).slice(0, 900) }),
    },
    // Last: the account then holds thousands of tasks, which the inputs above do not expect.
    {
      name: 'import, largest allowed file, all inserted',
      run: (c) => c('POST', '/api/me/import', largestImport(importLimit, true)),
    },
  ];

  const rows: Array<Record<string, string | number>> = [];
  const all: number[] = [];
  let overallDelay = 0;
  const only = process.env.BENCH_WORST_ONLY?.toLowerCase();
  for (const input of inputs.filter((i) => !only || i.name.toLowerCase().includes(only))) {
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    const worker = new Worker(POLLER, {
      eval: true,
      workerData: { url: new URL('/health/live', base).href },
    });
    await new Promise((r) => setTimeout(r, 100));
    histogram.enable();
    const started = performance.now();
    let status: string;
    try {
      const result = await input.run(call);
      status = typeof result === 'number' ? String(result) : 'done';
    } catch (error) {
      status = error instanceof Error ? error.name : 'failed';
    }
    const seconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 100));
    histogram.disable();
    const samples: number[] = await new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage('stop');
    });
    await worker.terminate();
    const maxDelay = histogram.max / 1e6;
    overallDelay = Math.max(overallDelay, maxDelay);
    all.push(...samples);
    rows.push({
      input: input.name,
      status,
      s: seconds.toFixed(2),
      'max loop delay ms': maxDelay.toFixed(1),
      'live p99 ms': percentile(samples, 99).toFixed(1),
      'live max ms': Math.max(0, ...samples).toFixed(1),
      polls: samples.length,
    });
    console.info(
      `${input.name}: ${status} in ${seconds.toFixed(2)} s, max loop delay ${maxDelay.toFixed(1)} ms`,
    );
  }
  rows.push({
    input: 'overall',
    status: '',
    s: '',
    'max loop delay ms': overallDelay.toFixed(1),
    'live p99 ms': percentile(all, 99).toFixed(1),
    'live max ms': Math.max(0, ...all).toFixed(1),
    polls: all.length,
  });
  printTable(rows);
  await app.close();
  await database.close();
  await rm(dataDir, { recursive: true, force: true });
}

await main();
