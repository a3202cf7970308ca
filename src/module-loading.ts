import { createRequire, enableCompileCache, type ResolveHookSync, registerHooks } from 'node:module';

/**
 * Makes loading the server's modules cheap; called by main.ts before it imports anything else. Without it a start
 * spends most of its time and memory in Node's module loader rather than in Doable (see DESIGN.md §6):
 *
 * - Node's compile cache keeps the compiled code of every module, TypeScript stripped of its types included,
 *   in the temporary directory (or NODE_COMPILE_CACHE), so a second start neither strips nor parses again.
 * - Skipping the package.json lookups that drizzle-orm's modules would each cost (see `resolveDrizzleModule`).
 */
export function speedUpModuleLoading() {
  enableCompileCache();
  registerHooks({ resolve: resolveDrizzleModule });
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
