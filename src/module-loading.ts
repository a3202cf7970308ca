import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import {
  createRequire,
  enableCompileCache,
  getCompileCacheDir,
  type ResolveHookSync,
  registerHooks,
} from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Makes loading the server's modules cheap; called by main.ts before it imports anything else. Without it a start
 * spends most of its time and memory in Node's module loader rather than in Doable (see DESIGN.md §6):
 *
 * - Node's compile cache keeps the compiled code of every module, TypeScript stripped of its types included,
 *   in the temporary directory (or NODE_COMPILE_CACHE), so a second start neither strips nor parses again.
 * - Skipping the package.json lookups that drizzle-orm's modules would each cost (see `resolveDrizzleModule`).
 * - Answering the imports of packages from where the last start found them (see `ModuleResolutions`).
 */
export function speedUpModuleLoading() {
  enableCompileCache();
  // Hooks registered last are asked first.
  registerHooks({ resolve: resolveDrizzleModule });
  resolutions = ModuleResolutions.open(getCompileCacheDir());
  if (resolutions) registerHooks({ resolve: resolutions.resolve });
  registerHooks({ resolve: resolveOnFirstUse });
}

let resolutions: ModuleResolutions | undefined;

/**
 * Keeps the imports resolved by this start for the next one (serve.ts calls it once the service is ready, beside
 * Node's own flush of its compile cache); nothing when nothing new was resolved or the folder cannot be written.
 */
export function saveModuleResolutions() {
  resolutions?.save();
}

// @fastify/swagger's folder, and @fastify/swagger-ui's beside it.
const SWAGGER = new URL('./', import.meta.resolve('@fastify/swagger')).href.slice(0, -1);
const YAML_ON_FIRST_USE = new URL('./http/yaml-on-first-use.ts', import.meta.url).href;

/**
 * Packages that a plugin requires as it is registered although only some requests use them, answered with a
 * stand-in that loads the package at its first call: `yaml`, which @fastify/swagger and @fastify/swagger-ui
 * require to write the spec as YAML (`/docs/yaml`), 72 modules that no start needs (src/http/yaml-on-first-use.ts).
 * A require from a package.json is the stand-in's own, left to Node. Asked before the kept resolutions, so that
 * resolutions kept by an older start cannot bring the package back.
 */
export const resolveOnFirstUse: ResolveHookSync = (specifier, context, nextResolve) => {
  const parent = context.parentURL;
  if (specifier === 'yaml' && parent?.startsWith(SWAGGER) && !parent.endsWith('/package.json'))
    return { url: YAML_ON_FIRST_USE, shortCircuit: true };
  return nextResolve(specifier, context);
};

const NODE_MODULES = new URL('../', new URL('./', import.meta.resolve('drizzle-orm'))).href;

/**
 * Where each import of a package, or from inside one, led at the last start: a start asks Node to resolve 1,400
 * imports, and finding a package's file means reading its package.json, its `exports` map and the file's module
 * type again for each (a third of the time spent loading modules, measured in DESIGN.md §6). Kept beside Node's
 * compile cache (a folder per Node version), and only for what an install decides: imports whose file is in
 * node_modules, from a package or a bare name (`fastify`) from anywhere; an import of our own files by a relative
 * path is asked of Node each time, since a file may have moved since. The whole is dropped when npm changed
 * node_modules (its `.package-lock.json`, rewritten by every install) or Node's version changed; without that file
 * (another package manager) nothing is kept.
 */
export class ModuleResolutions {
  private readonly file: string;
  private readonly stamp: string;
  private readonly nodeModules: string;
  private readonly entries: Record<string, [url: string, format?: string]>;
  private added = 0;

  private constructor(
    file: string,
    stamp: string,
    nodeModules: string,
    entries: Record<string, [string, string?]> | undefined,
  ) {
    this.file = file;
    this.stamp = stamp;
    this.nodeModules = nodeModules;
    this.entries = entries ?? {};
  }

  /** The resolutions kept in `folder` for this checkout and install; undefined when they cannot be kept. */
  static open(folder: string | undefined, nodeModules = NODE_MODULES): ModuleResolutions | undefined {
    if (!folder) return undefined;
    let stamp: string;
    try {
      const lock = statSync(fileURLToPath(new URL('.package-lock.json', nodeModules)));
      // The first part changes with what this file keeps.
      stamp = `1 ${process.version} ${lock.size} ${lock.mtimeMs}`;
    } catch {
      return undefined;
    }
    // One file per checkout: checkouts may share a compile cache folder (the temporary directory by default).
    const name = createHash('sha256')
      .update(import.meta.url)
      .update(nodeModules)
      .digest('hex')
      .slice(0, 16);
    const file = join(folder, `doable-resolutions-${name}.json`);
    let kept: { stamp?: string; entries?: Record<string, [string, string?]> } = {};
    try {
      kept = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // None yet, or unreadable: this start resolves everything and writes them.
    }
    return new ModuleResolutions(file, stamp, nodeModules, kept.stamp === stamp ? kept.entries : undefined);
  }

  resolve: ResolveHookSync = (specifier, context, next) => {
    const key = `${context.parentURL}\n${specifier}\n${context.conditions.join()}`;
    const known = this.entries[key];
    if (known) return { url: known[0], ...(known[1] ? { format: known[1] } : {}), shortCircuit: true };
    const resolved = next(specifier, context);
    const relative = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
    const inside = (url: string | undefined) => url?.startsWith(this.nodeModules) ?? false;
    if (inside(resolved.url) && (!relative || inside(context.parentURL))) {
      this.entries[key] =
        typeof resolved.format === 'string' ? [resolved.url, resolved.format] : [resolved.url];
      this.added++;
    }
    return resolved;
  };

  save() {
    if (this.added === 0) return;
    this.added = 0;
    try {
      const temporary = `${this.file}.${process.pid}`;
      writeFileSync(temporary, JSON.stringify({ stamp: this.stamp, entries: this.entries }));
      renameSync(temporary, this.file);
    } catch {
      // A folder this user cannot write (an image run under another uid): the next start resolves again.
    }
  }
}

const DRIZZLE = new URL('./', import.meta.resolve('drizzle-orm')).href;

/**
 * To tell an ES module from a CommonJS one, Node reads the package.json that a `.js` file belongs to, and (in
 * Node 24) parses its whole `exports` map again for every file. drizzle-orm's package.json is 175 kB and Doable
 * loads over a hundred of its files: a second of CPU and 150 MB of garbage at each start. A relative `.js` import
 * from one of drizzle-orm's `.js` files is an ES module (its package.json says `"type": "module"`; its CommonJS
 * files end in `.cjs`), so this resolves exactly those imports itself and leaves every other one to Node.
 */
export const resolveDrizzleModule: ResolveHookSync = (specifier, context, nextResolve) => {
  const parent = context.parentURL;
  if (
    parent?.startsWith(DRIZZLE) &&
    parent.endsWith('.js') &&
    specifier.endsWith('.js') &&
    (specifier.startsWith('./') || specifier.startsWith('../'))
  ) {
    const url = new URL(specifier, parent).href;
    if (url.startsWith(DRIZZLE)) return { url, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
};

const require = createRequire(import.meta.url);

/**
 * A dependency that only some requests use, loaded by the first of them instead of at start, where it would cost
 * every start its time and every idle instance its memory. Loaded with `require`, which takes ES modules too, so
 * that the code using it stays synchronous; the first call pays the load (tens of milliseconds), once.
 */
export function loadOnFirstUse<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(specifier) as T;
    return loaded;
  };
}
