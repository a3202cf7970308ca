import { speedUpModuleLoading } from './module-loading.ts';

/**
 * Process entry (`npm start`). Only what answers at once is loaded up front: a wrong setting, a busy port or an
 * unwritable DATA_DIR is reported in well under a second, before the time spent loading the server and preparing
 * the database. Every other module is imported after `speedUpModuleLoading`, so that it applies to them all.
 */
speedUpModuleLoading();
const [
  { ConfigError, loadConfig },
  { ensureDataDir, ensurePortFree, loadEnvFile, StartError },
  { preloadPgliteAssets },
] = await Promise.all([import('./config.ts'), import('./start.ts'), import('./db/pglite-assets.ts')]);

async function main() {
  loadEnvFile();
  const config = loadConfig();
  // The embedded database's WebAssembly compiles on V8's threads while this one loads the server.
  if (!config.databaseUrl) preloadPgliteAssets();
  await ensurePortFree(config.host, config.port);
  // The embedded database and generated secrets live there.
  if (!config.databaseUrl || !config.jwtSecret) await ensureDataDir(config.dataDir);
  const { serve } = await import('./serve.ts');
  await serve(config);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof StartError) console.error(`Doable could not start: ${error.message}`);
  else console.error('Doable could not start:', error);
  process.exit(1);
});
