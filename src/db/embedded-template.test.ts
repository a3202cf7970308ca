import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, rowsOf } from './database.ts';
import {
  copyEmbeddedTemplate,
  ensureEmbeddedTemplate,
  type MakeDatabase,
  type TemplateLog,
} from './embedded-template.ts';

/**
 * initdb writes a random system identifier: databases copied from one template share it. And the databases the
 * directory holds.
 */
async function systemIdentifier(dataDir: string): Promise<{ id: string; databases: string[] }> {
  const database = await openDatabase({ dataDir });
  try {
    await database.migrate();
    const [row] = rowsOf<{ id: string }>(
      await database.db.execute('select system_identifier::text as id from pg_control_system()'),
    );
    const databases = rowsOf<{ datname: string }>(
      await database.db.execute('select datname from pg_database order by datname'),
    );
    return { id: row?.id ?? '', databases: databases.map((database) => database.datname) };
  } finally {
    await database.close();
  }
}

/** Stands for initdb and the migrations where only the copying is under test. */
const makeStandIn: MakeDatabase = async (dir) => {
  await writeFile(join(dir, 'postgresql.conf'), '');
  await writeFile(join(dir, 'PG_VERSION'), '17\n');
};

describe('a new embedded database', () => {
  const scratch = mkdtemp(join(tmpdir(), 'doable-template-'));
  afterAll(async () => rm(await scratch, { recursive: true, force: true }));

  // The real template, once per CI run (the embedded one).
  it.skipIf(!inject('pgliteTemplate'))(
    'is a copy of the migrated template instead of a fresh initdb, without the template databases',
    async () => {
      const [first, second] = [join(await scratch, 'first'), join(await scratch, 'second')];
      const { id, databases } = await systemIdentifier(first);
      expect(id).toMatch(/^\d+$/);
      expect((await systemIdentifier(second)).id).toBe(id);
      // initdb's template0 and template1 are not copied: more than half of the files, never opened.
      expect(databases).toEqual(['postgres']);
    },
    300_000, // the template is made if `npm install` did not make it: initdb and migrations, up to a minute
  );

  it('has its template made whole once, even by starts at the same moment', async () => {
    const template = join(await scratch, 'cache', 'pglite-test');
    const made = await Promise.all([1, 2, 3].map(() => ensureEmbeddedTemplate(makeStandIn, () => template)));
    expect(made).toEqual([template, template, template]);
    // Only the template: the slower makers' directories are gone.
    expect(await readdir(join(await scratch, 'cache'))).toEqual(['pglite-test']);

    // A template for other migrations is removed when a new one is made.
    const older = join(await scratch, 'cache', 'pglite-0123456789abcdef');
    await ensureEmbeddedTemplate(makeStandIn, () => older);
    expect(await readdir(join(await scratch, 'cache'))).toEqual(['pglite-0123456789abcdef', 'pglite-test']);
    const newer = join(await scratch, 'cache', 'pglite-fedcba9876543210');
    await ensureEmbeddedTemplate(makeStandIn, () => newer);
    expect(await readdir(join(await scratch, 'cache'))).toEqual(['pglite-fedcba9876543210', 'pglite-test']);
  });

  it('is copied again when a copy was cut short, and made in place when no template can be had', async () => {
    const source = join(await scratch, 'cache', 'pglite-copy');
    const dir = join(await scratch, 'cut-short');
    expect(await copyEmbeddedTemplate(dir, makeStandIn, () => source)).toBe(true);
    await unlink(join(dir, 'PG_VERSION')); // as if the copy had stopped before its last file
    expect(await copyEmbeddedTemplate(dir, makeStandIn, () => source)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['PG_VERSION', 'postgresql.conf']);

    const failing: MakeDatabase = async () => {
      throw new Error('initdb failed');
    };
    const inPlace = join(await scratch, 'in-place');
    // Never silently: each time a warning says why, and what to do.
    const warnings: string[] = [];
    const log: TemplateLog = { info() {}, warn: (message) => warnings.push(message) };
    expect(await copyEmbeddedTemplate(inPlace, makeStandIn, () => '/proc/doable-template', log)).toBe(false);
    expect(await copyEmbeddedTemplate(inPlace, failing, () => join(inPlace, 'never'), log)).toBe(false);
    const unlocated = () => {
      throw new Error('no @electric-sql/pglite in node_modules');
    };
    expect(await copyEmbeddedTemplate(inPlace, makeStandIn, unlocated, log)).toBe(false);
    expect(existsSync(join(inPlace, 'PG_VERSION'))).toBe(false);
    expect(warnings).toEqual([
      expect.stringMatching(
        /could not be made in \/proc\/doable-template \(\w+\).*initdb.*embedded-template\.ts/,
      ),
      expect.stringMatching(/could not be made in .*never \(initdb failed\).*initdb/),
      expect.stringMatching(/can be located \(no @electric-sql\/pglite in node_modules\).*initdb/),
    ]);
  });
});
