import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { resolveDrizzleModule } from './module-loading.ts';

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
