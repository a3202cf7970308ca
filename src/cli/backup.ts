import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
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
  backup:
    'Usage: npm run backup [-- <file>]   (default: backups/doable-backup-<date>.tar.gz, ignored by git)',
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
  // A backup holds every account's password hash: by default in backups/, which .gitignore keeps out of commits.
  const file = given ?? `backups/doable-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.tar.gz`;
  if (existsSync(file)) fail(`${file} already exists; name another file or move that one away.`);
  const checkout = unignoredCheckout(file);
  if (checkout) {
    fail(
      `${file} is inside the git checkout ${checkout} and not ignored by git, so a commit could publish it with ` +
        'every password hash; write it under backups/ (ignored), outside the checkout, or add it to .gitignore.',
    );
  }
  await mkdir(dirname(resolve(file)), { recursive: true });

  const started = performance.now();
  const fromService = await requestBackup(dataDir);
  const tarball = fromService ?? (await backupStopped(dataDir));
  await writeBackupFile(file, tarball);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const megabytes = (tarball.byteLength / 1_048_576).toFixed(1);
  console.log(
    `Backup written to ${file} (${megabytes} MB, ${seconds} s, ${fromService ? 'taken by the running service' : 'no service was running'}). ` +
      `Restore it into a new data directory with: DATA_DIR=${shellWord(place(freshDirectory(dataDir)))} npm run restore -- ${shellWord(place(file))}`,
  );
}

/**
 * The top of the git checkout that holds `file` without ignoring it, or undefined: outside any checkout, ignored,
 * or where git is not installed (a container), where nothing can be committed from here anyway.
 */
function unignoredCheckout(file: string): string | undefined {
  let dir = dirname(resolve(file));
  while (!existsSync(dir)) dir = dirname(dir);
  const git = (...args: string[]) => spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  const top = git('rev-parse', '--show-toplevel');
  if (top.status !== 0) return undefined;
  // check-ignore answers 0 for an ignored path and 1 for one that is not.
  return git('check-ignore', '--quiet', '--no-index', resolve(file)).status === 1
    ? top.stdout.trim()
    : undefined;
}

/** A directory beside DATA_DIR that holds nothing yet (`./data-restored`), where a restore can go. */
function freshDirectory(dataDir: string): string {
  for (let n = 1; ; n++) {
    const dir = `${dataDir}-restored${n === 1 ? '' : `-${n}`}`;
    if (!existsSync(dir) || readdirSync(dir).length === 0) return dir;
  }
}

/** A path as the next command, run from here, reads it: relative below the current directory, else absolute. */
function place(path: string): string {
  const inside = relative(process.cwd(), resolve(path));
  return inside.startsWith('..') || isAbsolute(inside) ? resolve(path) : `./${inside}`;
}

/** Quoted for a POSIX shell when it needs to be, so that the printed command runs as printed. */
function shellWord(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
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
      `${counts.users} account(s), ${counts.tasks} task(s). Start the service on it with: ` +
      `DATA_DIR=${shellWord(place(dataDir))} npm start (or set DATA_DIR=${place(dataDir)} in .env).`,
  );
}

function fail(message: string, code = 1): never {
  (code === 0 ? console.log : console.error)(message);
  process.exit(code);
}
