import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { is, sql } from 'drizzle-orm';
import { type PgDatabase, type PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { acquireDirectoryLock } from './directory-lock.ts';
import {
  copyEmbeddedTemplate,
  embeddedTemplateFile,
  ensureEmbeddedTemplate,
  type TemplateLog,
} from './embedded-template.ts';
import { takePreloadedPgliteAssets } from './pglite-assets.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/** The one database type the features see, whichever engine is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** The rows of a raw `db.execute(sql)`: both drivers answer with an object holding `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Extensions bundled into the embedded database; `create extension` still decides whether one is used. */
export const PGLITE_EXTENSIONS = { vector };

export const MIGRATIONS_FOLDER = new URL('../../migrations', import.meta.url).pathname;

/** A number all Doable instances agree on, so that only one of them migrates a PostgreSQL database at a time. */
const MIGRATION_LOCK_KEY = 7_860_2024;

export interface Database {
  db: Db;
  engine: 'pglite' | 'postgres';
  /**
   * The embedded database was made by this open, in an empty DATA_DIR: it holds what its template holds (the user
   * guide in the knowledge base; see makeEmbeddedDatabase), or nothing when it was made in place. False otherwise.
   */
  isNew: boolean;
  /** Runs the pending migrations; safe to call from several instances at once. */
  migrate(): Promise<void>;
  /** Throws when the database cannot answer a trivial query within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
  /**
   * Notifications sent on `channel` with pg_notify, each delivered once its transaction commits. On PostgreSQL a
   * dedicated connection outside the pool listens, and is replaced (with backoff) when it is lost; notifications
   * sent meanwhile are lost, so `listening(true)` tells the caller to read what it missed from the tables. The
   * embedded database delivers in the same process. Listening never keeps the process alive.
   */
  listen(channel: string, handlers: NotificationHandlers): Promise<Listening>;
  /**
   * The embedded database only: a consistent copy of its data directory as a gzipped tarball, taken while it
   * serves (see src/db/backup.ts).
   */
  backup?: () => Promise<Blob>;
}

export interface NotificationHandlers {
  /** A payload given to pg_notify on the channel, after its transaction committed. */
  notify(payload: string): void;
  /**
   * Listening from now on. `resumed`: after a lost connection was replaced, when notifications may have been
   * missed in between.
   */
  listening?(resumed: boolean): void;
  /** The listening connection was lost; another is being made. */
  lost?(error: unknown): void;
}

export interface Listening {
  /** Stops listening, and reconnecting. */
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { url: string; poolSize?: number }
  /**
   * `loadDataDir`: a backup to create the database from (the directory must be empty). `log`: where a new
   * database says whether it was copied from the template (warnings on stderr by default).
   */
  | { dataDir: string; loadDataDir?: Blob; log?: TemplateLog }
  /** An already open PGlite, e.g. a per-test copy of a migrated template. */
  | { pglite: PGlite };

/** Whether DATA_DIR already holds an embedded database (a first start creates it, which takes seconds). */
export function embeddedDatabaseExists(dataDir: string): boolean {
  return existsSync(join(embeddedDirectory(dataDir), 'PG_VERSION'));
}

const embeddedDirectory = (dataDir: string) => join(dataDir, 'pglite');

/** PostgreSQL cannot be used as configured; the message names the URL (without its password) and the fix. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * Opens the configured engine. Each engine's driver is imported here, when it is chosen: PGlite and its
 * WebAssembly are never loaded on PostgreSQL, nor `pg` on the embedded database.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if ('url' in options) return openPostgres(options.url, options.poolSize ?? 10);
  if ('pglite' in options) return wrapPglite(options.pglite, async () => {}, false);
  const dir = embeddedDirectory(options.dataDir);
  await mkdir(dir, { recursive: true });
  // PGlite is single-process: a second process on the same directory would corrupt it, so we refuse instead.
  const lock = await acquireDirectoryLock(dir);
  try {
    const isNew = !options.loadDataDir && !existsSync(join(dir, 'PG_VERSION'));
    if (isNew) await copyEmbeddedTemplate(dir, makeEmbeddedDatabase, embeddedTemplate, options.log);
    const [{ PGlite }, assets] = await Promise.all([
      import('@electric-sql/pglite'),
      takePreloadedPgliteAssets(),
    ]);
    const client = await PGlite.create(dir, {
      ...assets,
      extensions: PGLITE_EXTENSIONS,
      startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS],
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    return await wrapPglite(client, lock.release, isNew);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * PostgreSQL's default 128 MB of shared buffers is resident from the first moment in PGlite (its WebAssembly
 * memory is zero-filled when allocated) and doubles what a small instance holds; 16 MB of buffers keeps a
 * personal task list in memory, and the rest is read through the file system's cache.
 *
 * PGlite runs on the event loop's thread, so a statement holds every request for as long as it runs. The one
 * that starts a new 16 MB WAL segment wrote 16 MB of zeros first: 70-130 ms, where the same insert takes 3 ms
 * (20,000 rows of 2 kB in statements of 50, measured three times: longest statement 72-128 ms with the zeros,
 * 21-23 ms without). Without `wal_init_zero` the segment is created by writing its last byte; what zero-filling
 * buys, space reserved before the first write on file systems that need it, is moot for PGlite, which does not
 * sync to disk at commit anyway (see README).
 */
const PGLITE_SETTINGS = ['-c', 'shared_buffers=16MB', '-c', 'wal_init_zero=off'];

const embeddedTemplate = () => embeddedTemplateFile(MIGRATIONS_FOLDER);

/** initdb's template databases, which a Doable database never uses (see makeEmbeddedDatabase). */
const UNUSED_DATABASES = ['template0', 'template1'];

/**
 * What a new embedded database is made of: initdb, every migration (see embedded-template.ts), and the user guide
 * in the knowledge base, so that a first start has nothing to ingest (the knowledge feature then checks it against
 * docs/, or takes it out where KNOWLEDGE_SEED_DOCS=false). Without initdb's template0 and template1: PGlite opens
 * only `postgres`, and nothing in Doable creates a database; each holds 300 files, more than half of a data
 * directory, and a new DATA_DIR is written file by file.
 */
async function makeEmbeddedDatabase(dir: string) {
  const [{ PGlite }, { ingestUserGuideInto }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('../knowledge/index.ts'),
  ]);
  const client = await PGlite.create(dir, { extensions: PGLITE_EXTENSIONS });
  const database = await wrapPglite(client, async () => {}, true);
  await database.migrate();
  await ingestUserGuideInto(database.db);
  // Apart: DROP DATABASE cannot run inside a transaction block, which a string of several statements is.
  for (const name of UNUSED_DATABASES) {
    await client.exec(`alter database ${name} is_template false`);
    await client.exec(`drop database ${name}`);
  }
  await database.close();
}

/** Makes the template that new embedded databases are copied from, unless it exists; `npm install` runs it. */
export const prepareEmbeddedTemplate = (log?: TemplateLog) =>
  ensureEmbeddedTemplate(makeEmbeddedDatabase, embeddedTemplate, log);

async function wrapPglite(
  client: PGlite,
  releaseLock: () => Promise<void>,
  isNew: boolean,
): Promise<Database> {
  const [{ drizzle }, { withNamedStatements }] = await Promise.all([
    import('drizzle-orm/pglite'),
    import('./pglite-statements.ts'),
  ]);
  // Statements Drizzle sends again and again are parsed and planned once (see pglite-statements.ts).
  const db = drizzle({ client: withNamedStatements(client), schema });
  return {
    db: db as unknown as Db,
    engine: 'pglite',
    isNew,
    migrate: async () => {
      if (await hasEveryMigration((text) => client.query(text))) return;
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    },
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      if (!client.closed) await client.close();
      await releaseLock();
    },
    // PGlite delivers a notification to its own listeners when the transaction that sent it commits.
    listen: async (channel, handlers) => {
      const unlisten = await client.listen(channel, handlers.notify);
      handlers.listening?.(false);
      return {
        close: async () => {
          if (!client.closed) await unlisten();
        },
      };
    },
    // Inside a transaction no other statement runs (PGlite serialises them), so the checkpoint's flush of every
    // committed write and the copy of the files are one moment: the copy holds every write acknowledged before.
    backup: () =>
      client.transaction(async (tx) => {
        await tx.exec('checkpoint');
        return client.dumpDataDir('gzip');
      }),
  };
}

/**
 * How long a request may wait for PostgreSQL before it is answered 503: for a connection (or a free one in the
 * pool), and for the answer to one statement. A stopped server refuses at once; these bound the silent cases
 * (a host or network gone, a server too busy to accept), which would otherwise hold requests for minutes.
 */
export const DATABASE_TIMEOUTS = { connectMs: 3_000, queryMs: 4_000 };

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const [{ default: pg }, { drizzle }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
  ]);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: DATABASE_TIMEOUTS.connectMs,
    query_timeout: DATABASE_TIMEOUTS.queryMs,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (database restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Nor a client lent out of the pool: pg-pool takes its idle listener off while a client is lent, and a
  // transaction holds one from BEGIN to COMMIT, so a connection lost then (PostgreSQL stopped mid-transaction) was
  // an unhandled 'error' that ended the process. The statement in flight still fails (a 503), later ones fail at
  // once as "not queryable", and the pool discards the client when the transaction releases it.
  pool.on('connect', (client) => client.on('error', () => {}));
  // Connect once now, so that a wrong URL or a database that is down is reported as such before anything else.
  try {
    (await pool.connect()).release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DatabaseUnavailableError(explainConnectionError(url, error));
  }
  const db = drizzle({ client: pool, schema });
  return {
    db: db as unknown as Db,
    engine: 'postgres',
    isNew: false,
    migrate: async () => {
      if (await hasEveryMigration((text) => pool.query(text))) return;
      const { migrate } = await import('drizzle-orm/node-postgres/migrator');
      // A connection of its own, without the pool's statement timeout: a migration may rewrite a large table,
      // and waiting for another instance's migrations (the advisory lock) takes as long as they take.
      const client = new pg.Client({ connectionString: url });
      // A connection lost mid-migration fails the statement in flight, and so the start, with its reason.
      client.on('error', () => {});
      await client.connect();
      try {
        // Another instance may be migrating: wait for it, then the migrator finds what is left, if anything.
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await migrate(drizzle({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
        await client.end();
      }
    },
    ping: async (timeoutMs = 2_000) => {
      await withTimeout(db.execute(sql`select 1`), timeoutMs);
    },
    close: () => pool.end(),
    listen: (channel, handlers) => listenOnPostgres(pg, url, channel, handlers),
  };
}

/** How the listening connection to PostgreSQL is kept (see listenOnPostgres); tests shorten them. */
export const LISTEN_TIMING = { retryMinMs: 100, retryMaxMs: 5_000, checkEveryMs: 30_000 };

/**
 * LISTEN on a connection of its own, outside the pool: a pooled connection is lent to one request at a time, and
 * a LISTEN on it would hear nothing once it went back. When the connection is lost (PostgreSQL restarted, the
 * backend terminated, the network gone, which a `select 1` every `checkEveryMs` finds), another is made after a
 * growing pause with jitter (`retryMinMs` doubling to `retryMaxMs`), so that many instances do not all knock at
 * once; `listening(true)` then says that notifications may have been missed. The socket and timers are unref'd:
 * listening alone never keeps a process from exiting.
 */
async function listenOnPostgres(
  pg: typeof import('pg').default,
  url: string,
  channel: string,
  handlers: NotificationHandlers,
): Promise<Listening> {
  let current: import('pg').Client | undefined;
  let closed = false;
  let listenedBefore = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let check: NodeJS.Timeout | undefined;

  const schedule = () => {
    if (closed || retry) return;
    const pause = Math.min(LISTEN_TIMING.retryMaxMs, LISTEN_TIMING.retryMinMs * 2 ** failures);
    failures += 1;
    retry = setTimeout(
      () => {
        retry = undefined;
        void connect();
      },
      pause * (0.8 + Math.random() * 0.4),
    );
    retry.unref();
  };
  /** Drops a connection (once), tells the caller, and makes another. */
  const lose = (client: import('pg').Client, error: unknown) => {
    if (client !== current) return;
    current = undefined;
    clearInterval(check);
    // end() on a connection gone silent could wait for the network; destroying the socket cannot.
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    if (closed) return;
    handlers.lost?.(error);
    schedule();
  };
  const connect = async () => {
    const client = new pg.Client({
      connectionString: url,
      application_name: 'doable-listen',
      connectionTimeoutMillis: DATABASE_TIMEOUTS.connectMs,
      query_timeout: DATABASE_TIMEOUTS.queryMs,
      keepAlive: true,
    });
    current = client;
    client.on('error', (error) => lose(client, error));
    client.on('end', () => lose(client, new Error('the listening connection ended')));
    client.on('notification', (message) => {
      if (message.channel === channel) handlers.notify(message.payload ?? '');
    });
    try {
      await client.connect();
      (client as unknown as { connection?: { stream?: { unref?(): void } } }).connection?.stream?.unref?.();
      await client.query(`listen "${channel.replaceAll('"', '""')}"`);
    } catch (error) {
      lose(client, error);
      return;
    }
    if (client !== current || closed) return;
    failures = 0;
    check = setInterval(() => {
      client.query('select 1').catch((error: unknown) => lose(client, error));
    }, LISTEN_TIMING.checkEveryMs);
    check.unref();
    handlers.listening?.(listenedBefore);
    listenedBefore = true;
  };

  await connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(retry);
      clearInterval(check);
      const client = current;
      current = undefined;
      await client?.end().catch(() => {});
    },
  };
}

/** Socket errors that mean PostgreSQL could not be reached, or the connection to it was lost. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/**
 * SQLSTATEs of a server that cannot serve now: class 08 (connection exception), shutting down (57P01, 57P02),
 * starting up (57P03), too many connections (53300).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;
/** pg's and pg-pool's own words for a lost connection and for the timeouts above. */
const UNREACHABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'timeout expired',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
];

/**
 * Whether an error (or one of its causes: Drizzle wraps the driver's) means the database is away rather than that
 * the statement was wrong: the request is then worth retrying, and is answered 503 rather than 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    const { code } = cause as { code?: unknown };
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || UNAVAILABLE_STATES.test(code)))
      return true;
    if (UNREACHABLE_MESSAGES.some((message) => cause instanceof Error && cause.message.startsWith(message)))
      return true;
    cause = cause.cause;
  }
  return false;
}

/**
 * Whether a write failed because the user it is for no longer exists (a foreign key to users): an account deleted
 * while one of its access tokens, already verified, is still in use.
 */
export function isOwnerGone(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    const { code, constraint } = cause as { code?: unknown; constraint?: unknown };
    if (code === '23503' && typeof constraint === 'string' && constraint.endsWith('_users_id_fk'))
      return true;
    cause = cause.cause;
  }
  return false;
}

/** Whether a statement failed with this SQLSTATE (Drizzle wraps the driver's error), on `constraint` (or column) if given. */
export function violated(error: unknown, code: string, constraint?: string): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth++) {
    const found = cause as { code?: unknown; constraint?: unknown; column?: unknown };
    if (
      found.code === code &&
      (constraint === undefined || found.constraint === constraint || found.column === constraint)
    )
      return true;
    cause = cause.cause;
  }
  return false;
}

/**
 * PostgreSQL made this statement or transaction give way to another that wanted the same rows in the other order
 * (a deadlock), or could not serialise the two: nothing the client did wrong, and running it again is safe.
 */
export const isConcurrentConflict = (error: unknown): boolean =>
  violated(error, '40P01') || violated(error, '40001');

const CONFLICT_ATTEMPTS = 3;

/**
 * Runs `work` in a transaction on `db` with `wrap(tx)`: a savepoint when `db` is already a transaction, else a
 * transaction of its own, run again (up to three times in all) when it loses a deadlock. Two people changing a
 * shared list at once (one leaves it while the owner deletes it) lock the same rows in opposite orders; the one
 * that gives way then finds the list as the other left it, and answers as it would have alone.
 */
export async function transactionOn<R, T>(db: Db, wrap: (tx: Db) => R, work: (repository: R) => Promise<T>) {
  const once = () => db.transaction((tx) => work(wrap(tx as unknown as Db)));
  if (is(db, PgTransaction)) return once();
  for (let attempt = 1; ; attempt++) {
    try {
      return await once();
    } catch (error) {
      if (attempt >= CONFLICT_ATTEMPTS || !isConcurrentConflict(error)) throw error;
    }
  }
}

/**
 * Whether the database holds every migration in the folder, in one query: the usual case at a start, where
 * Drizzle's migrator would take five round trips and a transaction to find nothing to do. Drizzle applies the
 * migrations dated after the newest one recorded, so the newest recorded date is all there is to compare.
 */
async function hasEveryMigration(query: (text: string) => Promise<{ rows: unknown[] }>): Promise<boolean> {
  const recorded = await query(`select max(created_at) as newest from drizzle.__drizzle_migrations`).then(
    ({ rows }) => Number((rows[0] as { newest: unknown } | undefined)?.newest ?? Number.NaN),
    () => Number.NaN, // no migration table yet: a new database
  );
  return recorded >= (await newestMigration());
}

let journal: Promise<number> | undefined;
/** The date of the newest migration in the folder, from drizzle-kit's journal (read once per process). */
function newestMigration(): Promise<number> {
  journal ??= readFile(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8').then((text) => {
    const { entries } = JSON.parse(text) as { entries: Array<{ when: number }> };
    return Math.max(...entries.map((entry) => entry.when));
  });
  return journal;
}

/** The URL as it can be shown: without its password, in the user part or in the query. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.searchParams.delete('password');
    return parsed.toString();
  } catch {
    return '(DATABASE_URL, not a URL)';
  }
}

function explainConnectionError(url: string, error: unknown): string {
  const shown = withoutPassword(url);
  const parsed = new URL(url);
  const { code, message } = error as { code?: string; message?: string };
  const orEmbedded = 'or unset DATABASE_URL to use the embedded database';
  switch (code) {
    case 'ECONNREFUSED':
      return `PostgreSQL at ${shown} refused the connection: start PostgreSQL there or correct the host and port in DATABASE_URL, ${orEmbedded}.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host "${parsed.hostname}" in DATABASE_URL (${shown}) was not found: correct the host name, ${orEmbedded}.`;
    case '3D000':
      return `PostgreSQL at ${shown} has no database "${decodeURIComponent(parsed.pathname.slice(1))}": create it (createdb, or CREATE DATABASE) or name an existing one in DATABASE_URL.`;
    case '28P01':
    case '28000':
      return `PostgreSQL at ${shown} refused the login (${message}): correct the user name and password in DATABASE_URL.`;
    default:
      return `could not connect to PostgreSQL at ${shown} (${message ?? code ?? String(error)}): check DATABASE_URL and that the server accepts connections, ${orEmbedded}.`;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
