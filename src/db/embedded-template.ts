import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
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

/**
 * Makes the template at `template` unless it exists, and answers it; `undefined` when it cannot be had (a
 * read-only install, packages laid out unlike npm's), and a new database is then made in place.
 */
export async function ensureEmbeddedTemplate(
  make: MakeDatabase,
  template: () => string,
): Promise<string | undefined> {
  try {
    const dir = template();
    if (existsSync(join(dir, 'PG_VERSION'))) return dir;
    await mkdir(dirname(dir), { recursive: true });
    // Made aside and renamed into place whole, so that a template is never seen half made, even by a process
    // starting at the same moment (the slower one's rename fails, and its copy is removed).
    const building = await mkdtemp(`${dir}.building-`);
    try {
      await make(building);
      await rename(building, dir).catch((error: unknown) => {
        if (!existsSync(join(dir, 'PG_VERSION'))) throw error;
      });
    } finally {
      await rm(building, { recursive: true, force: true });
    }
    await removeOtherTemplates(dir);
    return dir;
  } catch {
    return undefined;
  }
}

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
 * start instead of being opened.
 */
export async function copyEmbeddedTemplate(
  dir: string,
  make: MakeDatabase,
  template: () => string,
): Promise<boolean> {
  const source = await ensureEmbeddedTemplate(make, template);
  if (!source) return false;
  // cpSync copies in native code: a thousand files in 50 ms, where the promise-based cp takes half a second.
  for (const entry of readdirSync(source))
    if (entry !== 'PG_VERSION')
      cpSync(join(source, entry), join(dir, entry), { recursive: true, force: true });
  copyFileSync(join(source, 'PG_VERSION'), join(dir, 'PG_VERSION'));
  return true;
}
