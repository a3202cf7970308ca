import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ModuleResolutions, resolveDrizzleModule } from './module-loading.ts';

const DRIZZLE = new URL('./', import.meta.resolve('drizzle-orm')).href;
const context = (parentURL: string) => ({ conditions: ['node', 'import'], importAttributes: {}, parentURL });

describe("resolving drizzle-orm's own modules", () => {
  it('answers a relative .js import between its files as an ES module, without asking Node', () => {
    const next = vi.fn();
    const resolved = resolveDrizzleModule('../sql/sql.js', context(`${DRIZZLE}pg-core/table.js`), next);
    expect(resolved).toEqual({ url: `${DRIZZLE}sql/sql.js`, format: 'module', shortCircuit: true });
    expect(existsSync(fileURLToPath(resolved.url))).toBe(true);
    expect(next).not.toHaveBeenCalled();
  });

  it('leaves every other import to Node', () => {
    const next = vi.fn(() => ({ url: 'node:fs' }));
    const asked = [
      ['pg', `${DRIZZLE}node-postgres/driver.js`], // a package
      ['./session.cjs', `${DRIZZLE}node-postgres/driver.cjs`], // CommonJS
      ['../../pg/lib/index.js', `${DRIZZLE}node-postgres/driver.js`], // out of drizzle-orm
      ['./tasks.repository.ts', new URL('./tasks/tasks.service.ts', import.meta.url).href], // not drizzle-orm
    ] as const;
    for (const [specifier, parent] of asked) resolveDrizzleModule(specifier, context(parent), next);
    expect(next).toHaveBeenCalledTimes(asked.length);
  });
});

describe('the imports a start resolved, kept for the next start', () => {
  it('answers imports into node_modules from the last start, asks Node for our own files, and forgets after an install', async () => {
    const root = await mkdtemp(join(tmpdir(), 'doable-resolutions-'));
    try {
      const lock = join(root, 'node_modules', '.package-lock.json');
      await mkdir(join(root, 'node_modules'));
      await mkdir(join(root, 'cache'));
      await writeFile(lock, '{}');
      const nodeModules = `${pathToFileURL(join(root, 'node_modules')).href}/`;
      const app = pathToFileURL(join(root, 'src', 'app.ts')).href;
      const files: Record<string, string> = {
        fastify: `${nodeModules}fastify/fastify.js`, // a package, from our code
        './lib/route.js': `${nodeModules}fastify/lib/route.js`, // inside a package
        './db.ts': pathToFileURL(join(root, 'src', 'db.ts')).href, // our own file, which may move
      };
      const next = vi.fn((specifier: string) => ({ url: files[specifier] ?? '', format: 'module' }));
      const resolveAll = (resolutions: ModuleResolutions | undefined) => {
        next.mockClear();
        return [
          resolutions?.resolve('fastify', context(app), next),
          resolutions?.resolve('./lib/route.js', context(files.fastify ?? ''), next),
          resolutions?.resolve('./db.ts', context(app), next),
        ];
      };
      const open = () => ModuleResolutions.open(join(root, 'cache'), nodeModules);

      const first = open();
      resolveAll(first);
      expect(next).toHaveBeenCalledTimes(3);
      first?.save();

      const [fastify, route] = resolveAll(open());
      expect(fastify).toEqual({ url: files.fastify, format: 'module', shortCircuit: true });
      expect(route).toEqual({ url: files['./lib/route.js'], format: 'module', shortCircuit: true });
      expect(next.mock.calls.map(([specifier]) => specifier)).toEqual(['./db.ts']);

      // npm rewrites its .package-lock.json at every install: everything is resolved again.
      await writeFile(lock, '{"lockfileVersion":3}');
      resolveAll(open());
      expect(next).toHaveBeenCalledTimes(3);
      // Without it (another package manager), nothing is kept at all.
      await unlink(lock);
      expect(open()).toBeUndefined();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
