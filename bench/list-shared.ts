import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase, rowsOf } from '../src/db/database.ts';
import { buildTasksService, listQuery, type TasksService } from '../src/tasks/index.ts';
import { cpuMicros, median, printTable, scratchPostgres } from './lib.ts';

/**
 * `npm run bench:list-shared`: the hot list (50 tasks) of a user without shared lists against that of a user to
 * whom five lists of 10 tasks are shared, in one process, calling the tasks service directly and alternating the
 * two users round after round, so that what else runs on the machine weighs on both alike. It reports CPU time per
 * call, the process's and (on PostgreSQL, through a pool of one connection) the database backend's, which moves
 * much less with the machine's load than req/s; `npm run bench` measures the same through HTTP beside the raw
 * baseline. PGlite always; PostgreSQL with BENCH_DATABASE_URL (a scratch database, dropped at the end).
 * BENCH_ROUNDS (9) rounds of BENCH_CALLS (1,000) calls per user.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CALLS = Number(process.env.BENCH_CALLS ?? 1000);

const rows: Array<Record<string, string | number>> = [];
const dataDir = await mkdtemp(join(tmpdir(), 'doable-bench-'));
try {
  await measure('pglite', await openDatabase({ dataDir }));
  if (process.env.BENCH_DATABASE_URL) {
    const scratch = await scratchPostgres(process.env.BENCH_DATABASE_URL);
    try {
      const url = scratch.env.DATABASE_URL;
      await measure('postgres', await openDatabase({ url, poolSize: 1 }));
    } finally {
      await scratch.drop();
    }
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
console.log(`\n${ROUNDS} rounds of ${CALLS} calls per user, alternating (medians of the rounds)\n`);
printTable(rows);

async function measure(target: string, database: Database) {
  try {
    await database.migrate();
    const { db } = database;
    const service = buildTasksService({ db, clock: () => new Date() });
    const [alone, sharer] = [await user(database, 'alone'), await user(database, 'sharer')];
    // Five people each share a list of 10 tasks with the sharer, made before the sharer's own 50, so that the
    // first page is the sharer's own tasks while the shared ones are read and merged too (as in `npm run bench`).
    for (let owner = 0; owner < 5; owner++) {
      const ownerId = await user(database, `owner-${owner}`);
      const [list] = rowsOf<{ id: number }>(
        await db.execute(sql`insert into lists (owner_id, name) values (${ownerId}, 'Shared') returning id`),
      );
      if (!list) throw new Error('no list');
      for (let i = 0; i < 10; i++)
        await service.createTask(ownerId, { title: `Shared task ${owner}.${i}`, list_id: list.id });
      await db.execute(sql`insert into list_members (list_id, email, user_id, role, status)
        values (${list.id}, ${`${sharer}@example.com`}, ${sharer}, 'editor', 'active')`);
    }
    for (const userId of [alone, sharer]) await seedTasks(service, userId);

    // The backend serving the pool's one connection, whose CPU counts as the call's too.
    const [backend] = rowsOf<{ pid: number }>(await db.execute(sql`select pg_backend_pid() as pid`));
    const cpu = async () => {
      const own = process.cpuUsage();
      const database = target === 'postgres' && backend ? await cpuMicros(backend.pid) : 0;
      return { node: own.user + own.system, database };
    };
    const query = listQuery.parse({ limit: '50' });
    const run = async (userId: string) => {
      const before = await cpu();
      for (let i = 0; i < CALLS; i++) await service.list(userId, query);
      const after = await cpu();
      return {
        node: (after.node - before.node) / CALLS,
        database: (after.database - before.database) / CALLS,
      };
    };
    await run(alone);
    await run(sharer);
    type Cost = { node: number; database: number };
    const results: Record<'alone' | 'sharer', Cost[]> = { alone: [], sharer: [] };
    for (let round = 0; round < ROUNDS; round++) {
      results.alone.push(await run(alone));
      results.sharer.push(await run(sharer));
    }
    const summary = (runs: Cost[]) => ({
      node: median(runs.map((r) => r.node)),
      database: median(runs.map((r) => r.database)),
      total: median(runs.map((r) => r.node + r.database)),
    });
    const plain = summary(results.alone);
    for (const [name, runs] of Object.entries(results)) {
      const s = summary(runs);
      rows.push({
        target,
        user: name === 'alone' ? 'no shared list' : '5 shared lists of 10',
        'process µs/call': Math.round(s.node),
        'database µs/call': target === 'postgres' ? Math.round(s.database) : '(in process)',
        'CPU µs/call': Math.round(s.total),
        '÷ no shared list': (s.total / plain.total).toFixed(2),
      });
    }
  } finally {
    await database.close();
  }
}

async function user(database: Database, name: string): Promise<string> {
  const id = `bench-${name}-${Math.random().toString(36).slice(2, 10)}`;
  await database.db.execute(sql`insert into users (id, email) values (${id}, ${`${id}@example.com`})`);
  return id;
}

/** 50 tasks of every kind (notes, tags, dates, priorities), as `npm run bench` seeds its lister. */
async function seedTasks(service: TasksService, userId: string) {
  const priorities = ['low', 'medium', 'high', 'urgent'] as const;
  for (let i = 0; i < 50; i++)
    await service.createTask(userId, {
      title: `Task ${i} of the hot list`,
      description: i % 3 === 0 ? `Notes for task ${i}: remember to check the details first.` : null,
      priority: priorities[i % priorities.length],
      tags: i % 5 === 4 ? [] : ['home', 'work'],
      due_date: i % 3 === 0 ? null : `2026-12-${String(1 + (i % 28)).padStart(2, '0')}`,
    });
}
