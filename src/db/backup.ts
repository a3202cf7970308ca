import { chmod, mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { type Database, openDatabase, rowsOf } from './database.ts';

/**
 * Backups of the embedded database. PGlite belongs to the one process that opened it, so a copy taken while the
 * service runs must come from that process: it answers `GET /backup` on a Unix socket in DATA_DIR, which only
 * the user the service runs as can reach (the same people who could copy DATA_DIR itself). When no service
 * runs, the backup command opens the database directly.
 */
export const backupSocketPath = (dataDir: string) => join(dataDir, 'run', 'backup.sock');

const embeddedDirectory = (dataDir: string) => join(dataDir, 'pglite');

/** Serves backups of `database` on the socket until closed. */
export async function serveBackups(
  dataDir: string,
  backup: () => Promise<Blob>,
  onError: (error: unknown) => void,
): Promise<{ close: () => Promise<void> }> {
  const socket = backupSocketPath(dataDir);
  const dir = join(dataDir, 'run');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  // Left behind by a process that was killed; this one holds the database lock, so no other process uses it.
  await unlink(socket).catch(() => {});
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/backup') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /backup\n');
      return;
    }
    backup()
      .then(async (tarball) => {
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': tarball.size });
        res.end(Buffer.from(await tarball.arrayBuffer()));
      })
      .catch((error: unknown) => {
        onError(error);
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, resolve);
  });
  await chmod(socket, 0o600);
  return {
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await unlink(socket).catch(() => {});
    },
  };
}

/** A copy from the service running on DATA_DIR, or undefined when none answers on its socket. */
export function requestBackup(dataDir: string): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: backupSocketPath(dataDir), path: '/backup' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode === 200) resolve(body);
        else reject(new Error(`the running service could not copy the database: ${body.toString().trim()}`));
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') resolve(undefined);
      else reject(error);
    });
    req.end();
  });
}

/** Copies a database that no service has open (opening it takes the lock, so a service cannot start meanwhile). */
export async function backupStopped(dataDir: string): Promise<Buffer> {
  const database = await openDatabase({ dataDir });
  try {
    if (!database.backup) throw new Error('only the embedded database is backed up this way');
    return Buffer.from(await (await database.backup()).arrayBuffer());
  } finally {
    await database.close();
  }
}

/** Writes the backup file, refusing to replace one; a half-written file never carries the final name. */
export async function writeBackupFile(file: string, bytes: Uint8Array) {
  const partial = `${file}.partial`;
  const handle = await open(partial, 'w', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, file);
}

/** The restore target is not empty: restoring over a database would mix two of them. */
export class RestoreTargetNotEmptyError extends Error {
  constructor(dir: string) {
    super(
      `${dir} is not empty: a backup is restored into an empty data directory only; set DATA_DIR to a new folder, or move this one away first.`,
    );
    this.name = 'RestoreTargetNotEmptyError';
  }
}

/**
 * Creates the embedded database in DATA_DIR from a backup and says what it holds. The directory must be empty;
 * when the backup cannot be loaded, what was written is removed again, so the next attempt starts clean.
 */
export async function restoreBackup(
  dataDir: string,
  tarball: Blob,
): Promise<{ users: number; tasks: number }> {
  const dir = embeddedDirectory(dataDir);
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries.length > 0) throw new RestoreTargetNotEmptyError(dir);
  let database: Database | undefined;
  try {
    database = await openDatabase({ dataDir, loadDataDir: tarball });
    const result = await database.db.execute(
      sql`select (select count(*) from users)::int as users, (select count(*) from tasks)::int as tasks`,
    );
    const [counts] = rowsOf<{ users: number; tasks: number }>(result);
    await database.close();
    return counts ?? { users: 0, tasks: 0 };
  } catch (error) {
    await database?.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw new Error(
      `this file is not a backup of a Doable embedded database (${(error as Error).message}); nothing was restored.`,
    );
  }
}
