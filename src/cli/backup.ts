import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import {
  backupStopped,
  RestoreTargetNotEmptyError,
  requestBackup,
  restoreBackup,
  writeBackupFile,
} from '../db/backup.ts';
import { embeddedDatabaseExists } from '../db/database.ts';
import { DirectoryLockedError } from '../db/directory-lock.ts';
import { loadEnvFile } from '../start.ts';

/**
 * `npm run backup [-- <file>]`: a consistent copy of the embedded database in DATA_DIR, taken by the running
 * service when there is one (it keeps serving; requests wait for the second or so the copy takes), or read
 * directly when none runs. `npm run restore -- <file>` creates the database in an empty DATA_DIR from it.
 */
const USAGE = {
  backup: 'Usage: npm run backup [-- <file>]   (default: doable-backup-<date>.tar.gz here)',
  restore: 'Usage: npm run restore -- <file>   (into DATA_DIR, which must hold no database yet)',
};

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { help: { type: 'boolean', short: 'h' } },
});
const [command, ...files] = positionals;
if (command !== 'backup' && command !== 'restore') fail(`${USAGE.backup}\n${USAGE.restore}`, 2);
if (values.help) fail(USAGE[command], 0);
if (files.length > 1 || (command === 'restore' && files.length === 0)) fail(USAGE[command], 2);

try {
  loadEnvFile();
  const config = loadConfig();
  if (command === 'backup') await backup(config.dataDir, config.databaseUrl, files[0]);
  else await restore(config.dataDir, config.databaseUrl, files[0] as string);
} catch (error) {
  if (error instanceof DirectoryLockedError) {
    fail(
      'The embedded database is in use by a process that did not answer the backup request (an older Doable?); stop it and run npm run backup again.',
    );
  }
  const explained = error instanceof ConfigError || error instanceof RestoreTargetNotEmptyError;
  fail(
    explained
      ? error.message
      : `${command === 'backup' ? 'Backup' : 'Restore'} failed: ${(error as Error).message}`,
  );
}

async function backup(dataDir: string, databaseUrl: string | undefined, given: string | undefined) {
  if (databaseUrl) {
    fail(
      'DATABASE_URL is set: back PostgreSQL up with its own tools, e.g. pg_dump --format=custom --file=doable.dump "$DATABASE_URL" (see Backups in the README).',
    );
  }
  if (!embeddedDatabaseExists(dataDir)) {
    fail(`There is no embedded database in ${dataDir} to back up; set DATA_DIR to the service's.`);
  }
  const file = given ?? `doable-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.tar.gz`;
  if (existsSync(file)) fail(`${file} already exists; name another file or move that one away.`);

  const started = performance.now();
  const fromService = await requestBackup(dataDir);
  const tarball = fromService ?? (await backupStopped(dataDir));
  await writeBackupFile(file, tarball);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const megabytes = (tarball.byteLength / 1_048_576).toFixed(1);
  console.log(
    `Backup written to ${file} (${megabytes} MB, ${seconds} s, ${fromService ? 'taken by the running service' : 'no service was running'}). ` +
      `Restore it into an empty DATA_DIR with: npm run restore -- ${file}`,
  );
}

async function restore(dataDir: string, databaseUrl: string | undefined, file: string) {
  if (databaseUrl) {
    fail(
      'DATABASE_URL is set: restore PostgreSQL with its own tools, e.g. pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" doable.dump (see Backups in the README).',
    );
  }
  const tarball = await readFile(file).catch((error: NodeJS.ErrnoException) =>
    fail(`Cannot read ${file}: ${error.code === 'ENOENT' ? 'there is no such file' : error.message}.`),
  );
  const started = performance.now();
  const counts = await restoreBackup(dataDir, new Blob([tarball]));
  console.log(
    `Restored ${file} into ${dataDir} in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `${counts.users} account(s), ${counts.tasks} task(s). Start the service with npm start.`,
  );
}

function fail(message: string, code = 1): never {
  (code === 0 ? console.log : console.error)(message);
  process.exit(code);
}
