import { createHash } from 'node:crypto';
import { constants, copyFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A new embedded database is a copy of a migrated empty one, made once, not a fresh initdb and migrations.
 *
 * PGlite's initdb runs PostgreSQL's bootstrap in WebAssembly: about 4.5 s of CPU on a small machine, and the
 * migrations a second more while the WebAssembly is still cold, with the same result every time. Copying that
 * result takes a tenth of a second, so the first start of each DATA_DIR (a new install, a container without
 * persistent storage, each test suite's service) skips both. `npm install` and the image build make the template
 * (src/cli/embedded-template.ts); otherwise the first start that needs one makes it.
 *
 * One template per PGlite and pgvector version (the catalog's format) and per content of the migrations folder,
 * so that a changed schema gets a template of its own rather than a copy of the old one.
 */
export function embeddedTemplateDirectory(migrationsFolder: string): string {
  const packages = ['pglite', 'pglite-pgvector'].map((name) => {
    const entry = fileURLToPath(import.meta.resolve(`@electric-sql/${name}`));
    const marker = join('node_modules', '@electric-sql', name);
    return entry.slice(0, entry.lastIndexOf(marker) + marker.length);
  });
  const key = createHash('sha256');
  for (const dir of packages) key.update(readFileSync(join(dir, 'package.json')));
  for (const file of readdirSync(migrationsFolder, { recursive: true, encoding: 'utf8' }).sort())
    if (file.endsWith('.sql') || file.endsWith('_journal.json'))
      key.update(file).update(readFileSync(join(migrationsFolder, file)));
  const [pglite = ''] = packages;
  // node_modules/.cache is where tools keep what can be rebuilt from the installed packages.
  return join(dirname(dirname(pglite)), '.cache', 'doable', `pglite-${key.digest('hex').slice(0, 16)}`);
}

/** Creates a database in an empty directory, as new ones are to be: initdb, extensions, every migration. */
export type MakeDatabase = (dir: string) => Promise<void>;

/** Where the template's use is reported: a start that cannot have it must say so and what to do, never be silent. */
export interface TemplateLog {
  info(message: string): void;
  warn(message: string): void;
}

/** The default for callers without a logger (command-line tools): warnings on stderr, nothing else. */
export const warningsOnStderr: TemplateLog = { info() {}, warn: (message) => console.warn(message) };

const MAKE_IT =
  'run `node src/cli/embedded-template.ts` as a user who can write there (`npm install` and the image build run it)';

/**
 * Makes the template at `template` unless it exists, and answers it; `undefined` when it cannot be had (a
 * read-only install, packages laid out unlike npm's), and a new database is then made in place, with a warning
 * that says why and what to do (initdb and the migrations take seconds at every such start).
 */
export async function ensureEmbeddedTemplate(
  make: MakeDatabase,
  template: () => string,
  log: TemplateLog = warningsOnStderr,
): Promise<string | undefined> {
  let dir: string;
  try {
    dir = template();
  } catch (error) {
    log.warn(
      `No embedded database template can be located (${reason(error)}): a new database runs initdb and every migration instead, which takes seconds.`,
    );
    return undefined;
  }
  try {
    // Readable by this user, not only present: an install made by another user (an image built as root and run
    // as `node`) may hold a template that this process cannot open.
    if (await readable(dir)) return dir;
  } catch (error) {
    log.warn(
      `The embedded database template ${dir} cannot be read by this user (${reason(error)}): a new database runs initdb and every migration instead, which takes seconds. Make it readable (\`chmod -R a+rX ${dirname(dir)}\`), or ${MAKE_IT}.`,
    );
    return undefined;
  }
  try {
    log.info(`making the embedded database template in ${dir} (once per install)…`);
    await mkdir(dirname(dir), { recursive: true });
    // Made aside and renamed into place whole, so that a template is never seen half made, even by a process
    // starting at the same moment (the slower one's rename fails, and its copy is removed).
    const building = await mkdtemp(`${dir}.building-`);
    try {
      await make(building);
      await readableByAll(building);
      await rename(building, dir).catch((error: unknown) => {
        if (!existsSync(join(dir, 'PG_VERSION'))) throw error;
      });
    } finally {
      await rm(building, { recursive: true, force: true });
    }
    await removeOtherTemplates(dir);
    return dir;
  } catch (error) {
    log.warn(
      `The embedded database template could not be made in ${dir} (${reason(error)}): a new database runs initdb and every migration instead, which takes seconds. To make it, ${MAKE_IT}.`,
    );
    return undefined;
  }
}

/** Whether the template is there (false: it is not) and this user can read it (throws: it cannot). */
async function readable(dir: string): Promise<boolean> {
  try {
    await access(dir, constants.F_OK);
  } catch {
    return false;
  }
  await access(dir, constants.R_OK | constants.X_OK);
  await access(join(dir, 'PG_VERSION'), constants.R_OK);
  return true;
}

/**
 * The template is read by whichever user starts the service, not only by its maker: an image is built as root
 * and run as `node` (or any uid), and mkdtemp makes its directory 0700. Files 0644 and directories 0755: readable
 * by all, written by nobody but the maker (PGlite makes its files 0666); each copy belongs to its own user.
 */
async function readableByAll(dir: string) {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) await chmod(path, 0o755);
    else if (entry.isFile()) await chmod(path, 0o644);
  }
}

const reason = (error: unknown) =>
  error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);

/** A template of older migrations or packages is never used again: 39 MB each, one per schema change. */
async function removeOtherTemplates(current: string) {
  const parent = dirname(current);
  for (const entry of await readdir(parent))
    if (/^pglite-[0-9a-f]{16}$/.test(entry) && join(parent, entry) !== current)
      await rm(join(parent, entry), { recursive: true, force: true });
}

/**
 * Fills an empty database directory from the template, if one can be had; answers whether it did. PG_VERSION,
 * which marks a directory as holding a database, is copied last: a copy cut short is copied again at the next
 * start instead of being opened. A copy that fails (a file of the template this user cannot read) is removed, so
 * that the database is made in place in an empty directory, and says so.
 */
export async function copyEmbeddedTemplate(
  dir: string,
  make: MakeDatabase,
  template: () => string,
  log: TemplateLog = warningsOnStderr,
): Promise<boolean> {
  const source = await ensureEmbeddedTemplate(make, template, log);
  if (!source) return false;
  const started = performance.now();
  const entries = readdirSync(source);
  try {
    // cpSync copies in native code: a thousand files in 50 ms, where the promise-based cp takes half a second.
    for (const entry of entries)
      if (entry !== 'PG_VERSION')
        cpSync(join(source, entry), join(dir, entry), { recursive: true, force: true });
    copyFileSync(join(source, 'PG_VERSION'), join(dir, 'PG_VERSION'));
  } catch (error) {
    for (const entry of entries) rmSync(join(dir, entry), { recursive: true, force: true });
    log.warn(
      `The embedded database template ${source} could not be copied (${reason(error)}): this new database runs initdb and every migration instead, which takes seconds. Make the template readable (\`chmod -R a+rX ${dirname(source)}\`), or ${MAKE_IT}.`,
    );
    return false;
  }
  log.info(
    `copied the embedded database template in ${Math.round(performance.now() - started)} ms (no initdb, no migrations to run)`,
  );
  return true;
}
