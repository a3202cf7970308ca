import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db } from '../src/db/database.ts';
import { openDatabase } from '../src/db/database.ts';
import * as schema from '../src/db/schema.ts';
import { buildTasksService, listQuery } from '../src/tasks/index.ts';
import { printTable, scratchPostgres } from './lib.ts';

/**
 * Query plans of the task list: seeds 100k tasks across 1k users into a scratch PostgreSQL database, runs the
 * exact SQL the service sends for the main list queries under EXPLAIN ANALYZE, prints the plans and a summary,
 * and drops the database again.
 *
 *   node bench/explain-tasks.ts
 *   BENCH_DATABASE_URL=postgres://user@host:5432/postgres node bench/explain-tasks.ts
 */
const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const USERS = Number(process.env.EXPLAIN_USERS ?? 1_000);
const TASKS = Number(process.env.EXPLAIN_TASKS ?? 100_000);
const NOW = new Date('2026-12-03T10:00:00Z');

const CASES: Array<{ name: string; query: Record<string, string> }> = [
  { name: 'default sort (created_at desc)', query: {} },
  { name: 'search=report', query: { search: 'report' } },
  { name: 'tags=tag3', query: { tags: 'tag3' } },
  { name: 'due=today', query: { due: 'today' } },
  { name: 'sort_by=priority', query: { sort_by: 'priority' } },
  { name: 'sort_by=title', query: { sort_by: 'title', order: 'asc' } },
  { name: 'status=pending, sort_by=due_date', query: { status: 'pending', sort_by: 'due_date' } },
];

const scratch = await scratchPostgres(ADMIN_URL);
const url = scratch.env.DATABASE_URL;
try {
  const database = await openDatabase({ url, poolSize: 2 });
  await database.migrate();
  await database.close();

  const pool = new pg.Pool({ connectionString: url, max: 2 });
  console.log(`Seeding ${TASKS} tasks across ${USERS} users...`);
  const seedStart = performance.now();
  await seed(pool);
  console.log(`Seeded in ${Math.round(performance.now() - seedStart)} ms.\n`);

  // The service's own SQL, caught on its way to the database.
  const captured: Array<{ sql: string; params: unknown[] }> = [];
  const db = drizzle({
    client: pool,
    schema,
    logger: { logQuery: (sql, params) => void captured.push({ sql, params }) },
  }) as unknown as Db;
  const service = buildTasksService({ db, clock: () => NOW });

  const userId = 'user-1';
  const summary: Array<Record<string, string | number>> = [];
  for (const { name: caseName, query } of CASES) {
    captured.length = 0;
    const result = await service.list(userId, listQuery.parse(query));
    const list = captured.find((q) => q.sql.includes('as integer)'));
    if (!list) throw new Error(`no list query captured for ${caseName}`);
    // Warm the cache once, then measure.
    await pool.query(list.sql, list.params);
    const explained = await pool.query(
      `explain (analyze, buffers, format text) ${list.sql}`,
      list.params as unknown[],
    );
    const plan = explained.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
    console.log(`=== ${caseName}: ${result.tasks.length} of ${result.total} tasks\n${plan}\n`);
    const indexes = [
      ...plan.matchAll(/(?:Index|Index Only|Bitmap Index) Scan (?:Backward )?(?:using|on) (\w+)/g),
    ]
      .map((m) => m[1])
      .filter((v, i, all) => all.indexOf(v) === i);
    summary.push({
      query: caseName,
      rows: `${result.tasks.length}/${result.total}`,
      'execution ms': Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? Number.NaN),
      'seq scan on tasks': /Seq Scan on tasks/.test(plan) ? 'YES' : 'no',
      indexes: indexes.join(', '),
    });
  }
  printTable(summary);
  await pool.end();
} finally {
  await scratch.drop();
}

/** Users with time zones, tags and tasks of every kind, made in the database itself (seeded random) for speed. */
async function seed(pool: pg.Pool) {
  const client = await pool.connect();
  try {
    await client.query('select setseed(0.42)');
    await client.query(
      `insert into users (id, email, name, timezone)
       select 'user-' || g, 'user' || g || '@example.com', 'User ' || g,
         (array['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'])[1 + g % 4]
       from generate_series(1, $1::int) g`,
      [USERS],
    );
    await client.query(
      `insert into tags (user_id, name)
       select 'user-' || u, 'tag' || n from generate_series(1, $1::int) u, generate_series(1, 10) n`,
      [USERS],
    );
    const words = [
      'report',
      'groceries',
      'call',
      'plumber',
      'dentist',
      'exercise',
      'taxes',
      'garden',
      'holiday',
      'gifts',
      'review',
      'budget',
      'meeting',
      'email',
      'invoice',
      'laundry',
      'car',
      'insurance',
      'book',
      'tickets',
    ];
    // A third each: no due date, a calendar date within two weeks of now, a date-time within a week of now.
    await client.query(
      `insert into tasks (user_id, title, description, completed, completed_at, priority, due_date, due_at,
         due_all_day, created_at, updated_at)
       select user_id, title, description, completed, case when completed then created end, priority,
         case kind when 1 then to_char(day, 'YYYY-MM-DD')
                   when 2 then to_char(timed at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') end,
         case kind when 1 then (day + interval '12 hours') at time zone 'UTC' when 2 then timed end,
         kind = 1, created, created
       from (
         select 'user-' || (1 + floor(random() * $2::int)) as user_id,
           initcap(w[1 + floor(random() * 20)::int]) || ' ' || w[1 + floor(random() * 20)::int] as title,
           case when random() < 0.4
             then 'about the ' || w[1 + floor(random() * 20)::int] || ' and the ' || w[1 + floor(random() * 20)::int]
           end as description,
           random() < 0.3 as completed,
           (array['low', 'medium', 'high', 'urgent'])[1 + floor(random() * 4)::int]::task_priority as priority,
           floor(random() * 3)::int as kind,
           date '2026-12-03' + floor(random() * 29 - 14)::int as day,
           timestamptz '2026-12-03 10:00Z' + (random() * 336 - 168) * interval '1 hour' as timed,
           timestamptz '2026-01-01Z' + random() * interval '330 days' as created
         from generate_series(1, $1::int) g, (select $3::text[] as w) words
       ) t`,
      [TASKS, USERS, words],
    );
    // Each of three tag slots is filled half of the time, with one of the user's ten tags.
    await client.query(
      `update tasks t set tags = array(
         select distinct 'tag' || (1 + floor(random() * 10)::int) from generate_series(0, 2) p
         where random() < 0.5 and t.id is not null)`,
    );
    await client.query('vacuum analyze');
  } finally {
    client.release();
  }
}
