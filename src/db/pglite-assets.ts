import { readFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';

export interface PgliteAssets {
  pgliteWasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

let preloaded: Promise<PgliteAssets | undefined> | undefined;

/**
 * Starts reading PGlite's WebAssembly (9 MB) and file system bundle (6 MB) and compiling the WebAssembly, for the
 * embedded database this process is about to open (main.ts calls it first thing). PGlite does the same when it
 * opens, but that is after the server's modules have loaded; V8 compiles WebAssembly on threads of its own, so
 * started here the compile runs beside the module loading instead of after it. This module imports only Node's own,
 * so that the compile starts before anything heavy is loaded.
 */
export function preloadPgliteAssets(): void {
  deferWasmTierUp();
  preloaded ??= loadAssets();
}

/**
 * V8 runs WebAssembly with its baseline compiler first and compiles a function again with its optimizing one,
 * on a thread of its own, once the function has run a budget's worth of code (about 13 MB by default). PostgreSQL's
 * start, which parses a few statements, spends that budget on its grammar's parser, one function of 105 kB whose
 * optimized compile takes over a second of CPU; on a small machine that thread takes the core the start needs. Ten
 * times the budget leaves it to the first requests, which spend the budget in a second or two (measured in DESIGN.md
 * §6). Set before PGlite's instance is made, which reads it; for the service's process only (main.ts).
 */
function deferWasmTierUp(): void {
  setFlagsFromString('--wasm-tiering-budget=130000000');
}

/**
 * What `preloadPgliteAssets` started, once (undefined without it, or when the files could not be had): PGlite then
 * loads them itself, as it always did, and keeps its compiled module for the next database opened in the process.
 */
export function takePreloadedPgliteAssets(): Promise<PgliteAssets | undefined> {
  const assets = preloaded ?? Promise.resolve(undefined);
  preloaded = undefined;
  return assets;
}

/** PGlite's own files, beside its entry point, as it reads them itself (dist/pglite.wasm and dist/pglite.data). */
export const pgliteAssetFiles = () =>
  ['pglite.wasm', 'pglite.data'].map((name) => new URL(name, import.meta.resolve('@electric-sql/pglite')));

/** Node's WebAssembly global, which its type declarations describe as types only. */
const { compile } = (
  globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }
).WebAssembly;

async function loadAssets(): Promise<PgliteAssets | undefined> {
  try {
    const [wasm = '', data = ''] = pgliteAssetFiles();
    const [pgliteWasmModule, bundle] = await Promise.all([readFile(wasm).then(compile), readFile(data)]);
    return { pgliteWasmModule, fsBundle: new Blob([bundle]) };
  } catch {
    return undefined; // files named otherwise in another PGlite version: it finds its own
  }
}
