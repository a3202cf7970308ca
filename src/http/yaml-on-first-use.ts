import { createRequire } from 'node:module';

/**
 * What @fastify/swagger and @fastify/swagger-ui get when they require `yaml` (see resolveOnFirstUse in
 * module-loading.ts): the same two functions, which load yaml at their first call, for the spec as YAML
 * (`/docs/yaml`), instead of at start (72 modules, 35-45 ms). yaml is required as the plugins would have: from
 * @fastify/swagger's folder (its package.json as the requiring file, which the hook leaves alone).
 */
const require = createRequire(new URL('package.json', import.meta.resolve('@fastify/swagger')));
let yaml: typeof import('yaml') | undefined;
const real = () => {
  yaml ??= require('yaml') as typeof import('yaml');
  return yaml;
};

export const stringify = (value: unknown, options?: object): string => real().stringify(value, options);
export const parse = (source: string, options?: object): unknown => real().parse(source, options);
