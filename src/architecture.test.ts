import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The lint rule that keeps features apart (biome.json, noRestrictedImports, see DESIGN §4) names every feature by
 * hand, since Biome's configuration has no variables. This keeps it complete: a new feature folder (one with an
 * index.ts) that the rule does not know fails here, saying what to add.
 */
const ROOT = new URL('../', import.meta.url);
const features = readdirSync(new URL('src/', ROOT), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(new URL(`src/${entry.name}/index.ts`, ROOT)))
  .map((entry) => entry.name)
  .sort();

interface Override {
  includes: string[];
  linter?: {
    rules?: { style?: { noRestrictedImports?: { options?: { patterns?: { group: string[] }[] } } } };
  };
}
const overrides: Override[] = JSON.parse(readFileSync(new URL('biome.json', ROOT), 'utf8')).overrides;
const guarded = (override: Override) =>
  (override.linter?.rules?.style?.noRestrictedImports?.options?.patterns ?? []).flatMap((pattern) =>
    pattern.group.flatMap((glob) => /^[^!].*?\/(?:src\/)?(\w[\w-]*)\/\*\*$/.exec(glob)?.[1] ?? []),
  );

describe('the rule that keeps features apart', () => {
  it('finds the features', () => {
    expect(features).toEqual(expect.arrayContaining(['assistant', 'auth', 'tasks']));
  });

  for (const includes of [
    ...features.map((feature) => `src/${feature}/**`),
    'src/**/*.tables.ts',
    'src/*.ts',
    'bench/**',
  ]) {
    it(`guards ${includes} against reaching into every other feature`, () => {
      const override = overrides.find((candidate) => candidate.includes.includes(includes));
      expect(override, `biome.json has no override for ${includes}`).toBeDefined();
      const own = /^src\/(\w[\w-]*)\/\*\*$/.exec(includes)?.[1];
      const missing = features.filter(
        (feature) => feature !== own && !guarded(override as Override).includes(feature),
      );
      expect(missing, `add a pattern group for each to the override for ${includes} in biome.json`).toEqual(
        [],
      );
    });
  }
});
