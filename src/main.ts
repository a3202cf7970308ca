import { Redis } from 'ioredis';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, withGeneratedSecrets } from './config.ts';
import { openDatabase } from './db/database.ts';
import { DirectoryLockedError } from './db/directory-lock.ts';

/** Process entry: config, database, app, listen; and a graceful stop on SIGTERM/SIGINT. */
async function main() {
  const config = await withGeneratedSecrets(loadConfig());
  const database = await openDatabase(
    config.databaseUrl
      ? { url: config.databaseUrl, poolSize: config.databasePoolSize }
      : { dataDir: config.dataDir },
  );
  await database.migrate();
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : undefined;
  redis?.on('error', () => {}); // reported by /health; rate limits fail open meanwhile
  const app = await buildApp({ config, database, redis });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    const timer = setTimeout(() => {
      app.log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    await app.close();
    redis?.disconnect();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await app.listen({ host: config.host, port: config.port });
  app.log.info(
    {
      database: database.engine,
      rate_limit_store: redis ? 'redis' : 'memory',
      features: [...config.features],
    },
    `Doable is ready on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} (API docs at /docs)`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DirectoryLockedError) {
    console.error(error.message);
  } else {
    console.error('Doable could not start:', error);
  }
  process.exit(1);
});
