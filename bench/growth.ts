import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { load, postJson, printTable, scratchPostgres, startService } from './lib.ts';

/**
 * Growth: how the list of 50 and a search behave as one user's tasks grow from 1k to 10k to 100k, and then with
 * 1M tasks in the table across 1k users (BENCH_GROWTH_TABLE). Tasks are written with SQL (generate_series),
 * which is what makes 1M rows take minutes rather than hours; the service then serves them as it would any.
 * Each size is measured with one connection, so that p50 is what one user waits, not a queue; the table is
 * vacuumed first, as autovacuum would have done by the time a user has that many tasks.
 *
 *   npm run bench:growth            # alone; BENCH_DATABASE_URL as for npm run bench
 */
const SIZES = [1_000, 10_000, 100_000];
const TABLE_ROWS = Number(process.env.BENCH_GROWTH_TABLE ?? 1_000_000);
const OTHER_USERS = 999;
const SECONDS = 5;
const CONNECTIONS = 1;
/** 100 nouns; each title takes two, so a search for one of them matches about 2% of a user's tasks. */
const NOUNS =
  'report garden plumber invoice ticket gift taxes kitchen car meeting budget slides email doctor dentist ' +
  'passport bank insurance rent groceries laundry bike window roof paint fence lawn printer laptop phone ' +
  'backup server deploy review release contract client proposal lecture exam essay thesis library book ' +
  'museum concert flight hotel visa luggage camera lens tripod album recipe oven fridge freezer bread cake ' +
  'coffee tea garage attic basement boiler heater shower mirror curtain carpet sofa chair desk lamp shelf ' +
  'plant seeds tomato compost hedge pond gutter chimney ladder drill hammer paintbrush wallpaper tiles ' +
  'grout sink faucet drain toilet mailbox parcel stamp bucket broom';
const SEARCH = 'garden';

export async function measureGrowth(adminUrl: string, env: Record<string, string | undefined>) {
  const database = await scratchPostgres(adminUrl);
  const url = database.env.DATABASE_URL;
  const client = new pg.Client({ connectionString: url });
  const service = await startService({ ...env, ...database.env });
  const rows: Array<Record<string, string | number>> = [];
  try {
    await client.connect();
    const session = await postJson<{ access_token: string }>(`${service.url}/api/auth/register`, {
      email: 'growth@example.com',
      password: 'benchmark password',
    });
    const me = (await (
      await fetch(`${service.url}/api/auth/me`, {
        headers: { authorization: `Bearer ${session.access_token}` },
      })
    ).json()) as { id: string };
    const headers = { authorization: `Bearer ${session.access_token}` };
    const measure = async (label: string) => {
      await client.query('vacuum analyze tasks');
      const list = await load('list', {
        url: `${service.url}/api/me/tasks?limit=50`,
        headers,
        connections: CONNECTIONS,
        duration: SECONDS,
      });
      const search = await load('search', {
        url: `${service.url}/api/me/tasks?limit=50&search=${SEARCH}`,
        headers,
        connections: CONNECTIONS,
        duration: SECONDS,
      });
      if (list.errors + search.errors > 0) throw new Error(`growth at ${label}: non-2xx answers`);
      rows.push({
        'tasks of the user': label,
        'list p50': list.p50,
        'list p99': list.p99,
        'list req/s': list.rps,
        [`search "${SEARCH}" p50`]: search.p50,
        'search p99': search.p99,
        'search req/s': search.rps,
      });
      console.error(`growth ${label}: list p50 ${list.p50} ms, search p50 ${search.p50} ms`);
    };
    let written = 0;
    for (const size of SIZES) {
      await insertTasks(client, [me.id], written, size - written);
      written = size;
      await measure(size.toLocaleString('en'));
    }
    if (TABLE_ROWS > written) {
      const others = Array.from({ length: OTHER_USERS }, (_, i) => `growth-other-${i + 1}`);
      await client.query('insert into users (id) select unnest($1::text[])', [others]);
      await insertTasks(client, others, 0, TABLE_ROWS - written);
      await measure(`${written.toLocaleString('en')}, ${TABLE_ROWS.toLocaleString('en')} in the table`);
    }
  } finally {
    await service.stop();
    await client.end();
    await database.drop();
  }
  return rows;
}

/** `count` tasks spread over `userIds`, numbered on from `from`: two nouns in each title, one tag, a due date on some. */
async function insertTasks(client: pg.Client, userIds: string[], from: number, count: number) {
  await client.query(
    `insert into tags (user_id, name)
     select u, t from unnest($1::text[]) u, unnest(array['home','work','errands','health','money']) t
     on conflict do nothing`,
    [userIds],
  );
  await client.query(
    `with nouns as (select string_to_array($2, ' ') as n)
     insert into tasks (user_id, title, description, priority, tags, due_date, due_at, due_all_day, created_at, updated_at)
     select ($1::text[])[1 + g % cardinality($1::text[])],
       'Task ' || g || ': ' || n[1 + g % 100] || ' and ' || n[1 + (g / 100) % 100],
       case when g % 3 = 0 then 'Notes for task ' || g end,
       (array['low','medium','high','urgent'])[1 + g % 4]::task_priority,
       array[(array['home','work','errands','health','money'])[1 + g % 5]],
       case when g % 2 = 0 then to_char(date '2026-12-01' + g % 60, 'YYYY-MM-DD') end,
       case when g % 2 = 0 then (date '2026-12-01' + g % 60) + time '12:00' at time zone 'UTC' end,
       g % 2 = 0,
       now() - g * interval '1 second', now() - g * interval '1 second'
     from nouns, generate_series($3::int + 1, $3::int + $4::int) g`,
    [userIds, NOUNS, from, count],
  );
}

if (import.meta.main) {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  printTable(await measureGrowth(url, { JWT_SECRET: randomBytes(32).toString('hex'), REDIS_URL: undefined }));
}
