import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { describe, expect, inject, it, vi } from 'vitest';
import { adminQuery, withDatabase } from '../../bench/lib.ts';
import { createTestDatabase, POSTGRES_URL } from '../../test/helpers.ts';
import { Relay } from '../../test/relay.ts';
import {
  isDatabaseUnavailable,
  MIGRATIONS_FOLDER,
  openDatabase,
  PGLITE_EXTENSIONS,
  rowsOf,
} from './database.ts';
import { DirectoryLockedError } from './directory-lock.ts';

describe.skipIf(!inject('postgresAvailable'))('PostgreSQL migrations', () => {
  it('are applied once when several instances start at the same moment', async () => {
    const name = `doable_migrate_${randomBytes(4).toString('hex')}`;
    await adminQuery(POSTGRES_URL, `create database ${name}`);
    const url = withDatabase(POSTGRES_URL, name);
    const instances = await Promise.all([1, 2, 3].map(() => openDatabase({ url, poolSize: 2 })));
    try {
      await Promise.all(instances.map((instance) => instance.migrate()));
      const [first] = instances;
      if (!first) throw new Error('no instance');
      const query = async (text: ReturnType<typeof sql>) =>
        ((await first.db.execute(text)) as { rows: unknown[] }).rows;
      const [counts] = (await query(
        sql`select count(*)::int as n, count(distinct hash)::int as distinct from drizzle.__drizzle_migrations`,
      )) as [{ n: number; distinct: number }];
      expect(counts.n).toBeGreaterThan(0);
      expect(counts.n).toBe(counts.distinct);
      expect(await query(sql`select to_regclass('public.users') is not null as ok`)).toEqual([{ ok: true }]);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      await adminQuery(POSTGRES_URL, `drop database if exists ${name} with (force)`);
    }
  });
});

describe.skipIf(!inject('pgliteTemplate'))('migrations at a start', () => {
  /** A copy of the run's migrated template, as PGlite itself (to watch what is sent to it). */
  const migratedCopy = async () =>
    PGlite.create({
      loadDataDir: new Blob([await readFile(inject('pgliteTemplate') ?? '')]),
      extensions: PGLITE_EXTENSIONS,
    });

  it('take one query when the database already has every migration', async () => {
    const client = await migratedCopy();
    const database = await openDatabase({ pglite: client });
    const query = vi.spyOn(client, 'query');
    const exec = vi.spyOn(client, 'exec');
    const transaction = vi.spyOn(client, 'transaction');
    await database.migrate();
    expect(query).toHaveBeenCalledTimes(1);
    expect(exec).not.toHaveBeenCalled();
    expect(transaction).not.toHaveBeenCalled();
    await database.close();
  });

  it('apply the migrations newer than the newest the database has', async () => {
    const client = await migratedCopy();
    // An empty database migrated up to the one before the newest, as an older version of Doable left it.
    await client.exec('drop schema drizzle cascade; drop schema public cascade; create schema public;');
    const older = await mkdtemp(join(tmpdir(), 'doable-migrations-'));
    await cp(MIGRATIONS_FOLDER, older, { recursive: true });
    const journalFile = join(older, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: Array<{ when: number }> };
    const newest = journal.entries.pop();
    await writeFile(journalFile, JSON.stringify(journal));
    await migrate(drizzle({ client }), { migrationsFolder: older });
    await rm(older, { recursive: true, force: true });

    const database = await openDatabase({ pglite: client });
    await database.migrate();
    const applied = await client.query<{ created_at: string }>(
      'select created_at::text from drizzle.__drizzle_migrations order by created_at',
    );
    expect(applied.rows.map((row) => Number(row.created_at))).toEqual(
      [...journal.entries, newest].map((entry) => entry?.when),
    );
    await database.close();
  }, 90_000); // every migration runs, in WebAssembly: seconds on an idle machine, more under load
});

describe('the embedded database directory', () => {
  it('is locked against a second opener and takes over a lock left by a dead process or by its own pid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'doable-lock-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DirectoryLockedError);
      await first.close();

      // A crash leaves the lock file behind with a pid that no longer runs, or, in a container restarted after a
      // kill, with the pid the program gets again.
      await writeFile(join(dir, 'pglite', 'doable.lock'), '999999999');
      const reopened = await openDatabase({ dataDir: dir });
      await reopened.migrate();
      await reopened.ping();
      await reopened.close();
      await writeFile(join(dir, 'pglite', 'doable.lock'), String(process.pid));
      await (await openDatabase({ dataDir: dir })).close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000); // a first start runs initdb in WebAssembly: seconds on an idle machine, minutes under load

  it('starts a new WAL segment without writing it full of zeros first, which held the event loop 100 ms', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'doable-wal-'));
    try {
      const database = await openDatabase({ dataDir: dir });
      expect(rowsOf(await database.db.execute(sql`show wal_init_zero`))).toEqual([{ wal_init_zero: 'off' }]);
      await database.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe.skipIf(!inject('postgresAvailable'))(
  'a PostgreSQL connection lost while a transaction holds it',
  () => {
    it('fails that transaction as an outage, without ending the process, and the pool serves again', async () => {
      const relay = new Relay(POSTGRES_URL);
      await relay.open();
      const database = await openDatabase({ url: relay.url(POSTGRES_URL), poolSize: 2 });
      try {
        const error = await database.db
          .transaction(async (tx) => {
            await tx.execute(sql`select 1`);
            // Between two statements the client is lent out with no query in flight: only its own 'error' listener
            // stands between the lost connection and an uncaught exception.
            await relay.close();
            await new Promise((resolve) => setTimeout(resolve, 200));
            await tx.execute(sql`select 1`);
          })
          .catch((e: unknown) => e);
        expect(isDatabaseUnavailable(error), String(error)).toBe(true);

        await relay.open();
        const { rows } = (await database.db.execute(sql`select 1 as ok`)) as { rows: unknown[] };
        expect(rows).toEqual([{ ok: 1 }]);
      } finally {
        await database.close();
        await relay.close();
      }
    });
  },
);

describe('telling a database outage from a failed statement', () => {
  const failedQuery = (cause: Error) => new Error('Failed query: select 1', { cause });
  const withCode = (code: string) => Object.assign(new Error(code), { code });

  it('takes lost connections, pg timeouts and a server that cannot serve now for an outage', () => {
    for (const cause of [
      withCode('ECONNREFUSED'),
      withCode('ECONNRESET'),
      withCode('57P01'), // admin shutdown
      withCode('57P03'), // starting up
      withCode('08006'), // connection failure
      withCode('53300'), // too many connections
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Query read timeout'),
    ])
      expect(isDatabaseUnavailable(failedQuery(cause)), cause.message).toBe(true);
  });

  it('takes a statement the database refused for a fault, not an outage', async () => {
    const database = await createTestDatabase();
    try {
      const error = await database.db.execute(sql`select * from no_such_table`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(error)).toBe(false);
      expect(isDatabaseUnavailable(failedQuery(withCode('23505')))).toBe(false); // unique violation
    } finally {
      await database.close();
    }
  });
});
