import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import pg from 'pg';
import { users } from '../src/auth/auth.tables.ts';
import { type Db, openDatabase } from '../src/db/database.ts';
import * as schema from '../src/db/schema.ts';
import { createTasksRepository } from '../src/tasks/tasks.repository.ts';
import { listQuery } from '../src/tasks/tasks.schemas.ts';
import { createTasksService } from '../src/tasks/tasks.service.ts';
import {
  type BaselineStatements,
  cpuMicros,
  type LoadResult,
  load,
  type ParamSource,
  postJson,
  printTable,
  type Service,
  type Statement,
  startService,
  summarizeCpuProfile,
} from './lib.ts';

/**
 * Tasks benchmark: the authenticated list of 50 tasks and task creation, on the embedded database and on
 * PostgreSQL, each beside a raw baseline (bench/baseline.ts: node:http, the same JWT check, the same SQL) run
 * as its own process against the same data, so that the ratio says what the framework, validation,
 * serialization and logging cost on top of the database work.
 *
 *   npm run bench:tasks                                   # PGlite only
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:tasks
 *
 * BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (32), BENCH_ROUNDS (1: each round runs the
 * service then the baseline; with more, the table shows medians and the req/s range), BENCH_SCENARIOS
 * (list,create), BENCH_CPU_PROF=<dir> (profile each server process with --cpu-prof and print where the time
 * of each measured run went).
 *
 * Besides req/s and latency, the table gives each server process's CPU time per request (user + system, all
 * threads, from /proc): on a shared machine req/s moves with whatever else runs, CPU per request much less.
 *
 * On PostgreSQL the script creates a scratch database next to BENCH_DATABASE_URL's and drops it at the end.
 * On PGlite the baseline is PGlite too, in its own process, on the service's data directory once the service
 * has stopped: the database cannot be shared by two processes, and a baseline on PostgreSQL would compare
 * engines rather than measure the service. That PGlite ratio is informative; the goals are set on PostgreSQL.
 */
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'list,create').split(',');
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
/** Both servers get the same number of PostgreSQL connections: the service's default. */
const POOL_SIZE = '10';
/** The goals of the Tasks issue, on PostgreSQL: req/s at least this share of the baseline's; p99 at most 1.5×. */
const GOALS: Record<string, { rps: number; p99: number }> = {
  list: { rps: 0.7, p99: 1.5 },
  create: { rps: 0.6, p99: 1.5 },
};

/** Every created task has the same shape; autocannon makes each title unique. */
const CREATE_BODY = {
  title: 'Bench task [<id>]',
  description: 'Created by bench/tasks.ts',
  priority: 'high',
};

const shared = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  // Long enough for any BENCH_SECONDS; tokens are issued once per target and used by both servers.
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

const servers = ['doable', 'baseline'] as const;
type Server = (typeof servers)[number];
const results = new Map<string, Array<LoadResult & { cpuPerRequest: number }>>();
const keyOf = (target: string, server: Server, scenario: string) => `${target}\t${server}\t${scenario}`;

for (const target of targets) {
  const database = await target.open();
  try {
    let tokens: { lister: string; creator: string } | undefined;
    for (let round = 1; round <= ROUNDS; round++) {
      for (const server of servers) {
        const label = `${target.name}-${server}-${round}`;
        const nodeArgs = PROFILE_DIR
          ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${label}.cpuprofile`]
          : [];
        const env = { ...database.env, ...shared };
        const service =
          server === 'doable'
            ? await startService(env, { nodeArgs })
            : await startService(
                { ...env, BASELINE_STATEMENTS: JSON.stringify(statements) },
                { script: new URL('./baseline.ts', import.meta.url).pathname, nodeArgs },
              );
        const runs: LoadResult[] = [];
        try {
          tokens ??= await seed(service);
          for (const scenario of SCENARIOS) {
            const result = await runScenario(service, scenario, tokens);
            runs.push(result);
            const key = keyOf(target.name, server, scenario);
            results.set(key, [...(results.get(key) ?? []), result]);
            console.error(`${label} ${scenario}: ${result.rps} req/s, p99 ${result.p99} ms`);
          }
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
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const rows = [];
for (const target of targets) {
  for (const scenario of SCENARIOS) {
    const summary = (server: Server) => {
      const runs = results.get(keyOf(target.name, server, scenario)) ?? [];
      const rps = runs.map((r) => r.rps);
      return {
        rps: median(rps),
        range: `${Math.min(...rps)}–${Math.max(...rps)}`,
        p50: median(runs.map((r) => r.p50)),
        p99: median(runs.map((r) => r.p99)),
        errors: runs.reduce((sum, r) => sum + r.errors, 0),
        bytes: median(runs.map((r) => r.bytesPerResponse)),
        cpu: median(runs.map((r) => r.cpuPerRequest)),
      };
    };
    const base = summary('baseline');
    for (const server of servers) {
      const s = summary(server);
      const rpsRatio = s.rps / base.rps;
      const p99Ratio = s.p99 / base.p99;
      const goal = GOALS[scenario];
      rows.push({
        target: target.name,
        scenario: `${scenario} (${server})`,
        'req/s': s.rps,
        ...(ROUNDS > 1 ? { 'req/s range': s.range } : {}),
        'p50 ms': s.p50,
        'p99 ms': s.p99,
        'req/s ÷ base': rpsRatio.toFixed(2),
        'p99 ÷ base': p99Ratio.toFixed(2),
        'CPU µs/req': Math.round(s.cpu),
        'CPU ÷ base': (s.cpu / base.cpu).toFixed(2),
        goal:
          target.name === 'postgres' && server === 'doable' && goal
            ? `${rpsRatio >= goal.rps && p99Ratio <= goal.p99 ? 'met' : 'MISSED'} (≥ ${goal.rps}, ≤ ${goal.p99})`
            : '',
        'bytes/resp': s.bytes,
        errors: s.errors,
      });
    }
  }
}
console.log(
  `\n${DURATION} s per run after ${WARMUP} s of warm-up, ${CONNECTIONS} connections, ${ROUNDS} round(s)` +
    `${ROUNDS > 1 ? ' (medians)' : ''}; baseline = node:http + jose + the same SQL\n`,
);
printTable(rows);

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
    const sample = { title: 'a title', description: 'a description', priority: 'urgent' as const };
    if (Object.keys(sample).join() !== Object.keys(CREATE_BODY).join())
      throw new Error('sample ≠ CREATE_BODY');
    await db.insert(users).values({ id: userId });
    const service = createTasksService({ repository: createTasksRepository(db), clock: () => now });

    const only = async (work: () => Promise<unknown>): Promise<Statement> => {
      captured.length = 0;
      await work();
      const [statement, ...more] = captured;
      if (!statement || more.length > 0) throw new Error(`expected one statement, got ${captured.length}`);
      const params = statement.params.map((value): ParamSource => {
        if (value === userId) return { from: 'user' };
        if (value === now.toISOString()) return { from: 'now' };
        const field = Object.entries(sample).find(([, v]) => v === value)?.[0];
        return field ? { from: 'body', field } : { from: 'value', value };
      });
      return { text: statement.sql, params };
    };
    return {
      list: await only(() => service.list(userId, listQuery.parse({ limit: '50' }))),
      // The repository prepares its insert (see insertTask there), so the baseline names it too.
      create: { ...(await only(() => service.createTask(userId, sample))), name: 'tasks_insert' },
    };
  } finally {
    await database.close();
  }
}

/** A database of its own beside the one named, dropped again at the end. */
async function scratchPostgres(url: string) {
  const name = `doable_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: scratch.toString() },
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * Two users through the real routes: one with 50 tasks to list (tags, due dates, priorities, descriptions of
 * every kind), and one that the creation runs write to, so that the list stays at 50 tasks in every run.
 */
async function seed(service: Service) {
  const register = async (who: string) => {
    const email = `${who}-${randomBytes(4).toString('hex')}@example.com`;
    const session = await postJson<{ access_token: string }>(`${service.url}/api/auth/register`, {
      email,
      password: 'benchmark password',
    });
    return session.access_token;
  };
  const lister = await register('lister');
  const creator = await register('creator');
  const words = ['Call', 'Write', 'Review', 'Pay', 'Book', 'Plan', 'Fix', 'Send', 'Buy', 'Clean'];
  const things = ['the plumber', 'the report', 'taxes', 'tickets', 'the garden', 'invoices', 'gifts'];
  const tagNames = ['home', 'work', 'errands', 'health', 'money'];
  const priorities = ['low', 'medium', 'high', 'urgent'] as const;
  for (let i = 0; i < 50; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    await postJson(
      `${service.url}/api/me/tasks`,
      {
        title: `${words[i % words.length]} ${things[i % things.length]} #${i}`,
        description: i % 3 === 0 ? `Notes for task ${i}: remember to check the details first.` : null,
        priority: priorities[i % priorities.length],
        tags: i % 5 === 4 ? [] : [tagNames[i % 5], tagNames[(i + 2) % 5]],
        due_date: i % 3 === 0 ? null : i % 3 === 1 ? `2026-12-${day}` : `2026-12-${day}T17:30:00+01:00`,
        completed: i % 7 === 0,
      },
      { authorization: `Bearer ${lister}` },
    );
  }
  return { lister, creator };
}

async function runScenario(service: Service, scenario: string, tokens: { lister: string; creator: string }) {
  const options =
    scenario === 'list'
      ? {
          url: `${service.url}/api/me/tasks?limit=50`,
          headers: { authorization: `Bearer ${tokens.lister}` },
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
  if (!options) throw new Error(`unknown scenario ${scenario}; use list or create`);
  // Both servers must answer the same thing before their speeds mean anything.
  const response = await fetch(options.url, {
    method: options.method ?? 'GET',
    headers: options.headers,
    body: 'body' in options ? options.body?.replace('[<id>]', 'check') : undefined,
  });
  const answer = (await response.json()) as { tasks?: unknown[]; title?: string };
  const ok = scenario === 'list' ? answer.tasks?.length === 50 : answer.title === 'Bench task check';
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
