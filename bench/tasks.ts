import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { type Db, openDatabase } from '../src/db/database.ts';
import * as schema from '../src/db/schema.ts';
import { buildTasksService, listQuery } from '../src/tasks/index.ts';
import { measureGrowth } from './growth.ts';
import {
  type BaselineStatements,
  cpuMicros,
  type LoadResult,
  load,
  median,
  type ParamSource,
  postJson,
  printTable,
  rssMiB,
  type Service,
  type Statement,
  scratchPostgres,
  startService,
  summarizeCpuProfile,
} from './lib.ts';
import { startupRows } from './startup.ts';

/**
 * Tasks benchmark: the authenticated list of 50 tasks and the creation of a task with one tag, on the embedded
 * database and on PostgreSQL, each beside two baselines run as their own processes (and, with the scenario
 * `list-shared`, the list of 50 of a user to whom 5 lists of 10 tasks are shared, beside the mirror and set against
 * the raw baseline's plain list, since it knows no sharing; its goal is to keep within 10% of the plain list's ratio):
 * - `raw` (bench/raw-baseline.mjs, from the shared benchmark kit): node:http + pg + jose, one table with
 *   `tags text[]`, one statement per request, on a database of its own. It does not share Doable's design, so
 *   the ratio measures the design's cost too. PostgreSQL only; the goals are set against it.
 * - `mirror` (bench/baseline.ts): node:http, the same JWT check and the very SQL the repository sends, on the
 *   same data, so that its ratio says what the framework, validation, serialization and logging cost.
 * Besides the load runs, it gives the start to /health/ready and the resident memory on each database
 * (bench/startup.ts: a first start on an empty database, later starts, idle RSS, RSS after a warm-up of every
 * feature), the RSS after the load runs, and on PostgreSQL the growth of list and search times with a user's
 * tasks (bench/growth.ts).
 *
 *   npm run bench                                         # PGlite only
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench
 *
 * BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (32), BENCH_ROUNDS (3: each round runs every
 * server in turn; the table shows medians and the req/s range), BENCH_SCENARIOS (list,create; also
 * list-shared), BENCH_GROWTH
 * (1; 0 skips the growth runs), BENCH_CPU_PROF=<dir> (profile each server process with --cpu-prof and print
 * where the time of each measured run went).
 *
 * The table gives each server process's CPU time per request (user + system, all threads, from /proc): on a
 * shared machine req/s moves with whatever else runs, CPU per request much less. A run in which a server died
 * or answered anything but 2xx is not reported: the script fails instead.
 *
 * On PostgreSQL the script creates scratch databases next to BENCH_DATABASE_URL's and drops them at the end.
 * On PGlite the mirror is PGlite too, in its own process, on the service's data directory once the service
 * has stopped: the database cannot be shared by two processes. That PGlite ratio is informative.
 */
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'list,create').split(',');
const GROWTH = process.env.BENCH_GROWTH !== '0';
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
/** Every server gets the same number of PostgreSQL connections: the service's default, the raw baseline's. */
const POOL_SIZE = '10';
/** The goals of the speed issue, on PostgreSQL, against the raw baseline: req/s at least this share; p99 at most 1.5×. */
const GOALS: Record<string, { rps: number; p99: number }> = {
  list: { rps: 0.9, p99: 1.5 },
  create: { rps: 0.8, p99: 1.5 },
};

/** Every created task has the same shape; autocannon makes each title unique. */
const CREATE_BODY = {
  title: 'Bench task [<id>]',
  description: 'Created by bench/tasks.ts',
  priority: 'high',
  tags: ['work'],
};

const shared = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  // Long enough for any BENCH_SECONDS; tokens are issued once per target and used by every server.
  ACCESS_TOKEN_EXPIRE_MINUTES: '1440',
  DATABASE_POOL_SIZE: POOL_SIZE,
  REDIS_URL: undefined,
};

const statements = await captureStatements();

interface Target {
  name: string;
  /** Prepares an empty database; returns the environment both servers use and how to throw it away. */
  open(): Promise<{ env: Record<string, string | undefined>; drop(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'pglite',
    open: async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'doable-bench-'));
      return {
        env: { DATABASE_URL: undefined, DATA_DIR: dataDir },
        drop: () => rm(dataDir, { recursive: true, force: true }),
      };
    },
  },
];
const adminUrl = process.env.BENCH_DATABASE_URL;
if (adminUrl) targets.push({ name: 'postgres', open: () => scratchPostgres(adminUrl) });

type Server = 'doable' | 'mirror' | 'raw';
const serversOf = (target: string, scenario?: string): Server[] =>
  target === 'postgres' && scenario !== 'list-shared' ? ['doable', 'mirror', 'raw'] : ['doable', 'mirror'];
type Run = LoadResult & { cpuPerRequest: number };
const results = new Map<string, Run[]>();
const keyOf = (target: string, server: Server, scenario: string) => `${target}\t${server}\t${scenario}`;
/** The service's resident memory right after its load runs, per target. */
const loadedRss = new Map<string, number[]>();

for (const target of targets) {
  const database = await target.open();
  const raw = target.name === 'postgres' && adminUrl ? await scratchPostgres(adminUrl) : undefined;
  const loaded: number[] = [];
  loadedRss.set(target.name, loaded);
  try {
    let tokens: Tokens | undefined;
    let rawSeeded = false;
    for (let round = 1; round <= ROUNDS; round++) {
      for (const server of serversOf(target.name)) {
        const label = `${target.name}-${server}-${round}`;
        const nodeArgs = PROFILE_DIR
          ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${label}.cpuprofile`]
          : [];
        const env = { ...database.env, ...shared };
        const service = await startServer(server, env, raw?.env.DATABASE_URL, nodeArgs);
        const runs: LoadResult[] = [];
        try {
          if (!tokens) {
            tokens = await register(service);
            await seedTasks(service.url, tokens.lister);
            if (SCENARIOS.includes('list-shared')) await seedSharing(service.url, tokens.sharer);
          }
          if (server === 'raw' && !rawSeeded) {
            await seedTasks(service.url, tokens.lister);
            rawSeeded = true;
          }
          // Every other round runs the scenarios in reverse: the first run after a start pays for what the
          // process still settles (measured: up to a quarter of its req/s), and no scenario should always be first.
          for (const scenario of round % 2 === 0 ? [...SCENARIOS].reverse() : SCENARIOS) {
            if (!serversOf(target.name, scenario).includes(server)) continue;
            const result = await runScenario(service, scenario, tokens);
            runs.push(result);
            const key = keyOf(target.name, server, scenario);
            results.set(key, [...(results.get(key) ?? []), result]);
            console.error(`${label} ${scenario}: ${result.rps} req/s, p99 ${result.p99} ms`);
          }
          if (server === 'doable') loaded.push(await rssMiB(service.child.pid ?? 0));
        } finally {
          await service.stop();
        }
        if (PROFILE_DIR) {
          for (const run of runs) {
            console.log(`\nCPU profile of ${label}, ${run.name} (measured run only):`);
            await summarizeCpuProfile(join(PROFILE_DIR, `${label}.cpuprofile`), run);
          }
        }
      }
    }
  } finally {
    await database.drop();
    await raw?.drop();
  }
}

const growth = adminUrl && GROWTH ? await measureGrowth(adminUrl, shared) : [];
const startup = await startupRows();

const rows: Array<Record<string, string | number>> = [];
const failures: string[] = [];
for (const [key, runs] of results)
  for (const run of runs)
    if (run.errors > 0) failures.push(`${key.replaceAll('\t', ' ')}: ${run.errors} non-2xx or errors`);
function summaryOf(target: string, server: Server, scenario: string) {
  const runs = results.get(keyOf(target, server, scenario)) ?? [];
  const rps = runs.map((r) => r.rps);
  return {
    rps: median(rps),
    range: `${Math.min(...rps)}–${Math.max(...rps)}`,
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    cpu: median(runs.map((r) => r.cpuPerRequest)),
  };
}
for (const target of targets) {
  for (const scenario of SCENARIOS) {
    const summary = (server: Server) => summaryOf(target.name, server, scenario);
    const servers = serversOf(target.name, scenario);
    const base: Partial<Record<Server, ReturnType<typeof summary>>> = Object.fromEntries(
      servers.map((server) => [server, summary(server)]),
    );
    // The raw baseline knows no sharing: the list with shared lists is set against its plain list, and its goal
    // (issue: lists, sharing and live updates) is a req/s ratio within 10% of Doable's own plain list's.
    let goal = GOALS[scenario];
    if (scenario === 'list-shared' && results.has(keyOf(target.name, 'raw', 'list'))) {
      base.raw = summaryOf(target.name, 'raw', 'list');
      const plain = summaryOf(target.name, 'doable', 'list');
      goal = { rps: 0.9 * (plain.rps / base.raw.rps), p99: GOALS.list?.p99 ?? 1.5 };
    }
    const ratio = (a: number, b: number | undefined) => (b ? (a / b).toFixed(2) : '');
    for (const server of servers) {
      const s = summary(server);
      const raw = base.raw;
      const rpsRatio = raw ? s.rps / raw.rps : 0;
      const p99Ratio = raw ? s.p99 / raw.p99 : 0;
      rows.push({
        target: target.name,
        scenario: `${scenario} (${server})`,
        'req/s': s.rps,
        'req/s range': s.range,
        'p50 ms': s.p50,
        'p99 ms': s.p99,
        'CPU µs/req': Math.round(s.cpu),
        'req/s ÷ raw': ratio(s.rps, raw?.rps),
        'p99 ÷ raw': ratio(s.p99, raw?.p99),
        'CPU ÷ raw': ratio(s.cpu, raw?.cpu),
        'req/s ÷ mirror': ratio(s.rps, base.mirror?.rps),
        'CPU ÷ mirror': ratio(s.cpu, base.mirror?.cpu),
        goal:
          raw && server === 'doable' && goal
            ? `${rpsRatio >= goal.rps && p99Ratio <= goal.p99 ? 'met' : 'MISSED'} (≥ ${+goal.rps.toFixed(2)}, ≤ ${+goal.p99.toFixed(2)})`
            : '',
      });
    }
  }
}
if (failures.length > 0) {
  console.error(`\nNot reported: a server answered something other than 2xx.\n${failures.join('\n')}`);
  process.exit(1);
}
console.log(
  `\n${DURATION} s per run after ${WARMUP} s of warm-up, ${CONNECTIONS} connections, ${ROUNDS} round(s) (medians)\n`,
);
printTable(rows);
console.log(
  '\nStart and memory of the service (bench/startup.ts), and RSS right after the load runs above:\n',
);
printTable(
  startup.map((row) => ({ ...row, 'after load runs MiB': median(loadedRss.get(String(row.target)) ?? []) })),
);
if (growth.length > 0) {
  console.log(
    '\nGrowth on PostgreSQL: one user with more and more tasks (p50 and p99 ms, one connection):\n',
  );
  printTable(growth);
}

interface Tokens {
  lister: string;
  creator: string;
  /** A lister to whom lists are shared (list-shared), with their address, which the lists' owners invite. */
  sharer: { token: string; email: string };
}

function startServer(
  server: Server,
  env: Record<string, string | undefined>,
  rawDatabaseUrl: string | undefined,
  nodeArgs: string[],
) {
  if (server === 'doable') return startService(env, { nodeArgs });
  if (server === 'mirror')
    return startService(
      { ...env, BASELINE_STATEMENTS: JSON.stringify(statements) },
      { script: new URL('./baseline.ts', import.meta.url).pathname, nodeArgs },
    );
  return startService(
    { DATABASE_URL: rawDatabaseUrl, SECRET: shared.JWT_SECRET },
    { script: new URL('./raw-baseline.mjs', import.meta.url).pathname, nodeArgs, readyPath: '/ready' },
  );
}

/**
 * The SQL the repository sends for a default list and for a plain create, caught by a Drizzle logger on a
 * throwaway in-memory database (the SQL does not depend on the engine), with the place each parameter comes
 * from: the user, the request body, the clock, or a constant of the default list such as the limit.
 */
async function captureStatements(): Promise<BaselineStatements> {
  const client = new PGlite();
  const database = await openDatabase({ pglite: client });
  try {
    await database.migrate();
    const captured: Array<{ sql: string; params: unknown[] }> = [];
    const db = drizzle({
      client,
      schema,
      logger: { logQuery: (sql, params) => void captured.push({ sql, params }) },
    }) as unknown as Db;
    const userId = `user-${randomBytes(8).toString('hex')}`;
    const now = new Date('2001-02-03T04:05:06.789Z');
    const sample = {
      title: 'a title',
      description: 'a description',
      priority: 'urgent' as const,
      tags: CREATE_BODY.tags,
    };
    if (Object.keys(sample).join() !== Object.keys(CREATE_BODY).join())
      throw new Error('sample ≠ CREATE_BODY');
    await db.execute(sql`insert into users (id) values (${userId})`);
    const service = buildTasksService({ db, clock: () => now });

    const only = async (work: () => Promise<unknown>): Promise<Statement> => {
      captured.length = 0;
      await work();
      const [statement, ...more] = captured;
      if (!statement || more.length > 0) throw new Error(`expected one statement, got ${captured.length}`);
      const params = statement.params.map((value): ParamSource => {
        if (value === userId) return { from: 'user' };
        if (value === now.toISOString() || (value instanceof Date && value.getTime() === now.getTime()))
          return { from: 'now' };
        const field = Object.entries(sample).find(([, v]) => v === value)?.[0];
        return field ? { from: 'body', field } : { from: 'value', value };
      });
      return { text: statement.sql, params };
    };
    const create = await only(() => service.createTask(userId, sample));
    // After that task: a list of no task at all also asks whether lists are shared with the user.
    return { list: await only(() => service.list(userId, listQuery.parse({ limit: '50' }))), create };
  } finally {
    await database.close();
  }
}

/**
 * Users through the real routes: one whose 50 tasks are listed, one that the creation runs write to, and one whose
 * 50 tasks are listed with 5 lists shared to them.
 */
async function register(service: Service): Promise<Tokens> {
  const account = async (who: string) => {
    const email = `${who}-${randomBytes(4).toString('hex')}@example.com`;
    const session = await postJson<{ access_token: string }>(`${service.url}/api/auth/register`, {
      email,
      password: 'benchmark password',
    });
    return { token: session.access_token, email };
  };
  return {
    lister: (await account('lister')).token,
    creator: (await account('creator')).token,
    sharer: await account('sharer'),
  };
}

/**
 * Five other users each share a list of 10 tasks with the sharer (who accepts), made before the sharer's own 50,
 * so that the first page is the sharer's own tasks while the shared ones are read and merged too.
 */
async function seedSharing(url: string, sharer: Tokens['sharer']) {
  for (let owner = 0; owner < 5; owner++) {
    const email = `owner-${owner}-${randomBytes(4).toString('hex')}@example.com`;
    const session = await postJson<{ access_token: string }>(`${url}/api/auth/register`, {
      email,
      password: 'benchmark password',
    });
    const headers = { authorization: `Bearer ${session.access_token}` };
    const list = await postJson<{ id: number }>(`${url}/api/me/lists`, { name: 'Shared' }, headers);
    for (let i = 0; i < 10; i++)
      await postJson(
        `${url}/api/me/tasks`,
        { title: `Shared task ${owner}.${i}`, list_id: list.id },
        headers,
      );
    await postJson(
      `${url}/api/me/lists/${list.id}/members`,
      { email: sharer.email, role: 'editor' },
      headers,
    );
    await postJson(
      `${url}/api/me/lists/${list.id}/membership`,
      {},
      { authorization: `Bearer ${sharer.token}` },
    );
  }
  await seedTasks(url, sharer.token);
}

/** The lister's 50 tasks (tags, due dates, priorities, descriptions of every kind), so that every list run reads 50. */
async function seedTasks(url: string, token: string) {
  const words = ['Call', 'Write', 'Review', 'Pay', 'Book', 'Plan', 'Fix', 'Send', 'Buy', 'Clean'];
  const things = ['the plumber', 'the report', 'taxes', 'tickets', 'the garden', 'invoices', 'gifts'];
  const tagNames = ['home', 'work', 'errands', 'health', 'money'];
  const priorities = ['low', 'medium', 'high', 'urgent'] as const;
  for (let i = 0; i < 50; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    await postJson(
      `${url}/api/me/tasks`,
      {
        title: `${words[i % words.length]} ${things[i % things.length]} #${i}`,
        description: i % 3 === 0 ? `Notes for task ${i}: remember to check the details first.` : null,
        priority: priorities[i % priorities.length],
        tags: i % 5 === 4 ? [] : [tagNames[i % 5], tagNames[(i + 2) % 5]],
        due_date: i % 3 === 0 ? null : i % 3 === 1 ? `2026-12-${day}` : `2026-12-${day}T17:30:00+01:00`,
        completed: i % 7 === 0,
      },
      { authorization: `Bearer ${token}` },
    );
  }
}

async function runScenario(service: Service, scenario: string, tokens: Tokens): Promise<Run> {
  const options =
    scenario === 'list' || scenario === 'list-shared'
      ? {
          url: `${service.url}/api/me/tasks?limit=50`,
          headers: {
            authorization: `Bearer ${scenario === 'list' ? tokens.lister : tokens.sharer.token}`,
          },
        }
      : scenario === 'create'
        ? {
            url: `${service.url}/api/me/tasks`,
            method: 'POST' as const,
            headers: { authorization: `Bearer ${tokens.creator}`, 'content-type': 'application/json' },
            body: JSON.stringify(CREATE_BODY),
            idReplacement: true,
          }
        : undefined;
  if (!options) throw new Error(`unknown scenario ${scenario}; use list, list-shared or create`);
  // Both servers must answer the same thing before their speeds mean anything.
  const response = await fetch(options.url, {
    method: options.method ?? 'GET',
    headers: options.headers,
    body: 'body' in options ? options.body?.replace('[<id>]', 'check') : undefined,
  });
  const answer = (await response.json()) as { tasks?: unknown[]; title?: string };
  const ok = scenario === 'create' ? answer.title === 'Bench task check' : answer.tasks?.length === 50;
  if (!ok)
    throw new Error(`${options.url} answered ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
  await load('warm-up', { ...options, connections: CONNECTIONS, duration: WARMUP });
  // CPU per request barely depends on what else the machine runs, unlike req/s: the steadier comparison.
  const { child } = service;
  const cpuBefore = await cpuMicros(child.pid ?? 0);
  const result = await load(scenario, { ...options, connections: CONNECTIONS, duration: DURATION });
  if (child.exitCode !== null || child.signalCode !== null) {
    throw new Error(
      `${options.url} stopped during the run (exit ${child.exitCode}, signal ${child.signalCode})`,
    );
  }
  return {
    ...result,
    cpuPerRequest: ((await cpuMicros(child.pid ?? 0)) - cpuBefore) / Math.max(1, result.requests),
  };
}
