import { existsSync, readFileSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A new embedded database is a copy of an empty one made once per PGlite version, not a fresh initdb.
 *
 * PGlite's initdb runs PostgreSQL's bootstrap in WebAssembly: about 4.5 s of CPU on a small machine, the same
 * result every time. Copying that result is a tenth of a second, so the first start of each DATA_DIR (a new
 * install, every test suite's service, a second instance on another directory) skips it. The template is made by
 * `npm install` (see scripts/on-install.mjs) and by the image build; otherwise by the first start that needs it.
 * It holds initdb's output only: migrations still run on each new database, so the template never goes stale as
 * the schema changes, and a different PGlite version (another catalog format) finds no template of its own and
 * makes one.
 */
export function embeddedTemplateDirectory(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const marker = `${join('node_modules', '@electric-sql', 'pglite')}`;
  const packageDir = entry.slice(0, entry.lastIndexOf(marker) + marker.length);
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  // node_modules/.cache is where tools keep what can be rebuilt from the installed packages.
  return join(dirname(dirname(packageDir)), '.cache', 'doable', `pglite-${version}`);
}

/**
 * Makes the template unless it exists, and answers its directory (by default the one for the installed PGlite);
 * `undefined` when it cannot be had (a read-only install, packages laid out unlike npm's), and a new database is
 * then created in place, as PGlite does by itself.
 */
export async function ensureEmbeddedTemplate(at?: string): Promise<string | undefined> {
  try {
    const template = at ?? embeddedTemplateDirectory();
    if (existsSync(join(template, 'PG_VERSION'))) return template;
    await mkdir(dirname(template), { recursive: true });
    // Made aside and renamed into place whole, so that a template is never seen half made, even by a process
    // starting at the same moment (the slower one's rename fails, and its copy is removed).
    const building = await mkdtemp(`${template}.building-`);
    try {
      const { PGlite } = await import('@electric-sql/pglite');
      await (await PGlite.create(building)).close();
      await rename(building, template).catch((error: unknown) => {
        if (!existsSync(join(template, 'PG_VERSION'))) throw error;
      });
    } finally {
      await rm(building, { recursive: true, force: true });
    }
    return template;
  } catch {
    return undefined;
  }
}

/**
 * Fills an empty database directory from the template, if one can be had; answers whether it did. PG_VERSION,
 * which marks a directory as holding a database, is copied last: a copy cut short is copied again at the next
 * start instead of being opened.
 */
export async function copyEmbeddedTemplate(dir: string, at?: string): Promise<boolean> {
  const template = await ensureEmbeddedTemplate(at);
  if (!template) return false;
  const marker = join(template, 'PG_VERSION');
  await cp(template, dir, { recursive: true, force: true, filter: (source) => source !== marker });
  await copyFile(marker, join(dir, 'PG_VERSION'));
  return true;
}
