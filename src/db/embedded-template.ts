import { createHash } from 'node:crypto';
import { constants, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * A new embedded database is a copy of a migrated one, made once, not a fresh initdb and migrations; it holds no
 * account nor task, only the user guide in the knowledge base (see makeEmbeddedDatabase in database.ts).
 *
 * PGlite's initdb runs PostgreSQL's bootstrap in WebAssembly: about 4.5 s of CPU on a small machine, and the
 * migrations a second more while the WebAssembly is still cold, with the same result every time. Copying that
 * result takes a tenth of a second, so the first start of each DATA_DIR (a new install, a container without
 * persistent storage, each test suite's service) skips both. `npm install` and the image build make the template
 * (src/cli/embedded-template.ts); otherwise the first start that needs one makes it.
 *
 * The template is kept as a gzipped tar of the data directory (`pglite-<key>.tar.gz`, 3 MB), not as the directory
 * (26 MB, most of it a 16 MB WAL segment mostly zeros): the image carries it, and unpacking it costs about as much
 * as copying the directory did (gunzip and 500 small writes, about a tenth of a second).
 *
 * One template per PGlite and pgvector version (the catalog's format) and per content of the migrations folder,
 * so that a changed schema gets a template of its own rather than a copy of the old one.
 */
export function embeddedTemplateFile(migrationsFolder: string): string {
  const packages = ['pglite', 'pglite-pgvector'].map((name) => {
    const entry = fileURLToPath(import.meta.resolve(`@electric-sql/${name}`));
    const marker = join('node_modules', '@electric-sql', name);
    return entry.slice(0, entry.lastIndexOf(marker) + marker.length);
  });
  // What a template holds besides the schema: one made before it held the user guide, or still held initdb's
  // template databases, is not used again.
  const key = createHash('sha256').update('the user guide, without template databases');
  for (const dir of packages) key.update(readFileSync(join(dir, 'package.json')));
  for (const file of readdirSync(migrationsFolder, { recursive: true, encoding: 'utf8' }).sort())
    if (file.endsWith('.sql') || file.endsWith('_journal.json'))
      key.update(file).update(readFileSync(join(migrationsFolder, file)));
  const [pglite = ''] = packages;
  // node_modules/.cache is where tools keep what can be rebuilt from the installed packages.
  return join(
    dirname(dirname(pglite)),
    '.cache',
    'doable',
    `pglite-${key.digest('hex').slice(0, 16)}.tar.gz`,
  );
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
    // starting at the same moment (the slower one's rename replaces an identical file).
    const building = await mkdtemp(`${dir}.building-`);
    try {
      await mkdir(join(building, 'database'));
      await make(join(building, 'database'));
      await writeFile(join(building, 'template'), packDatabase(join(building, 'database')));
      // Read by whichever user starts the service, not only by its maker: an image is built as root and run as
      // `node` (or any uid). Each unpacked copy belongs to its own user.
      await chmod(join(building, 'template'), 0o644);
      await rename(join(building, 'template'), dir);
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
  await access(dir, constants.R_OK);
  return true;
}

const reason = (error: unknown) =>
  error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);

/**
 * A template of older migrations or packages is never used again: one per schema change (and the 39 MB
 * directories that templates were before they were packed).
 */
async function removeOtherTemplates(current: string) {
  const parent = dirname(current);
  for (const entry of await readdir(parent))
    if (/^pglite-[0-9a-f]{16}(\.tar\.gz)?$/.test(entry) && join(parent, entry) !== current)
      await rm(join(parent, entry), { recursive: true, force: true });
}

/**
 * Fills an empty database directory from the template, if one can be had; answers whether it did. PG_VERSION,
 * which marks a directory as holding a database, is written last: a copy cut short is copied again at the next
 * start instead of being opened. A copy that fails (a template this user cannot read, a disk full) is removed, so
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
  const written = new Set<string>();
  try {
    unpackDatabase(await readFile(source), dir, written);
  } catch (error) {
    for (const entry of written) rmSync(join(dir, entry), { recursive: true, force: true });
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

/**
 * A database directory as a gzipped tar (ustar: a format any `tar` lists, so a template can be looked into), with
 * parents before what they hold and PG_VERSION last. Only what a data directory holds: directories and files.
 */
export function packDatabase(dir: string): Buffer {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((entry) => ({
      entry,
      name: join(entry.parentPath, entry.name)
        .slice(dir.length + 1)
        .split(sep)
        .join('/'),
    }))
    .sort((a, b) => (a.name === 'PG_VERSION' ? 1 : b.name === 'PG_VERSION' ? -1 : a.name < b.name ? -1 : 1));
  const blocks: Buffer[] = [];
  for (const { entry, name } of entries) {
    if (entry.isDirectory()) blocks.push(tarHeader(name, 0, '5'));
    else if (entry.isFile()) {
      const data = readFileSync(join(dir, name));
      blocks.push(tarHeader(name, data.length, '0'), data, Buffer.alloc((512 - (data.length % 512)) % 512));
    } else throw new Error(`${name} is neither a file nor a directory`);
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

function tarHeader(name: string, size: number, type: '0' | '5'): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`${name} is too long a name for the template`);
  const header = Buffer.alloc(512);
  const octal = (value: number, width: number) => `${value.toString(8).padStart(width - 1, '0')}\0`;
  header.write(name, 0);
  header.write(octal(type === '5' ? 0o755 : 0o644, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(size, 12), 124);
  header.write(octal(0, 12), 136);
  header.write(' '.repeat(8), 148);
  header.write(type, 156);
  header.write('ustar\x0000', 257, 'latin1');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148);
  return header;
}

/** Unpacks `packDatabase`'s archive into `dir`, PG_VERSION last; `written` gets each top-level entry made. */
function unpackDatabase(archive: Buffer, dir: string, written: Set<string>) {
  const tar = gunzipSync(archive);
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  let version: Buffer | undefined;
  for (let offset = 0; offset + 512 <= tar.length && tar[offset] !== 0; ) {
    const field = (start: number, length: number) =>
      tar.toString('utf8', offset + start, offset + start + length).replace(/\0.*$/s, '');
    const name = field(0, 100);
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const data = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    const path = resolve(root, name);
    if (!path.startsWith(root + sep)) throw new Error(`${name} is outside the database directory`);
    written.add(name.split('/')[0] ?? name);
    if (type === '5') mkdirSync(path, { recursive: true });
    else if (name === 'PG_VERSION') version = data;
    else writeFileSync(path, data);
  }
  if (!version) throw new Error('the template holds no PG_VERSION');
  writeFileSync(join(root, 'PG_VERSION'), version);
}
