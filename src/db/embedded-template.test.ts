import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, rowsOf } from './database.ts';
import { copyEmbeddedTemplate, ensureEmbeddedTemplate } from './embedded-template.ts';

/** initdb writes a random system identifier: databases copied from one template share it. */
async function systemIdentifier(dataDir: string): Promise<string> {
  const database = await openDatabase({ dataDir });
  try {
    await database.migrate();
    const [row] = rowsOf<{ id: string }>(
      await database.db.execute('select system_identifier::text as id from pg_control_system()'),
    );
    return row?.id ?? '';
  } finally {
    await database.close();
  }
}

// The embedded database only; one CI run of the two is enough.
describe.skipIf(!inject('pgliteTemplate'))('a new embedded database', () => {
  const scratch = mkdtemp(join(tmpdir(), 'doable-template-'));
  afterAll(async () => rm(await scratch, { recursive: true, force: true }));

  it('is a copy of the template, made once, instead of a fresh initdb', async () => {
    const [first, second] = [join(await scratch, 'first'), join(await scratch, 'second')];
    const id = await systemIdentifier(first);
    expect(id).toMatch(/^\d+$/);
    expect(await systemIdentifier(second)).toBe(id);
  }, 180_000); // the template is made if `npm install` did not make it: initdb, seconds to a minute

  it('is made whole by concurrent starts, and a copy cut short is copied again', async () => {
    const template = join(await scratch, 'cache', 'pglite-test');
    const made = await Promise.all([ensureEmbeddedTemplate(template), ensureEmbeddedTemplate(template)]);
    expect(made).toEqual([template, template]);
    // Only the template: the slower maker's directory is gone.
    expect(await readdir(join(await scratch, 'cache'))).toEqual(['pglite-test']);

    const dataDir = join(await scratch, 'cut-short');
    await copyEmbeddedTemplate(join(dataDir, 'pglite'), template);
    await unlink(join(dataDir, 'pglite', 'PG_VERSION')); // as if the copy had stopped before its last file
    expect(await systemIdentifier(dataDir)).toMatch(/^\d+$/);
  }, 300_000);

  it('is created in place when the template cannot be written', async () => {
    expect(await ensureEmbeddedTemplate('/proc/doable-template')).toBeUndefined();
    const dir = join(await scratch, 'in-place');
    expect(await copyEmbeddedTemplate(dir, '/proc/doable-template')).toBe(false);
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(false);
  });
});
