import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { pgliteAssetFiles, preloadPgliteAssets, takePreloadedPgliteAssets } from './pglite-assets.ts';

describe("PGlite's WebAssembly and file system bundle, loaded from a start's first moment", () => {
  it('are the files PGlite itself reads, so that a newer PGlite that renames them fails here', () => {
    expect(pgliteAssetFiles().map((file) => existsSync(fileURLToPath(file)))).toEqual([true, true]);
  });

  it('are compiled and read once, and taken by the database opened next', async () => {
    expect(await takePreloadedPgliteAssets()).toBeUndefined(); // nothing started: PGlite loads its own
    preloadPgliteAssets();
    const assets = await takePreloadedPgliteAssets();
    expect(assets?.pgliteWasmModule.constructor.name).toBe('Module');
    expect(assets?.fsBundle.size).toBeGreaterThan(1_000_000);
    expect(await takePreloadedPgliteAssets()).toBeUndefined(); // taken once: nothing held after the open

    const dir = await mkdtemp(join(tmpdir(), 'doable-assets-'));
    try {
      preloadPgliteAssets();
      const database = await openDatabase({ dataDir: dir });
      expect(await takePreloadedPgliteAssets()).toBeUndefined();
      await database.ping();
      await database.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000); // a new database is the install's template, made first if `npm install` did not make it
});
