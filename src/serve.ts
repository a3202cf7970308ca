import { flushCompileCache } from 'node:module';
import { isAbsolute, relative } from 'node:path';
import { pino } from 'pino';
import { buildApp } from './app.ts';
import { type Config, withGeneratedSecrets } from './config.ts';
import { serveBackups } from './db/backup.ts';
import {
  DatabaseUnavailableError,
  embeddedDatabaseExists,
  openDatabase,
  withoutPassword,
} from './db/database.ts';
import { DirectoryLockedError } from './db/directory-lock.ts';
import { connectRedis } from './http/rate-limit.ts';
import { saveModuleResolutions } from './module-loading.ts';
import { dataDirError, listenError, StartError } from './start.ts';

/** The slow part of a start (see main.ts): database, migrations, app, listen; then a graceful stop on signals. */
export async function serve(config: Config) {
  // Until the app (and its logger) exists, progress goes out in the same JSON lines as everything after.
  const log = pino({ level: config.logLevel });
  const withSecrets = await withGeneratedSecrets(config);

  if (config.databaseUrl) {
    log.info(`connecting to PostgreSQL at ${withoutPassword(config.databaseUrl)}…`);
  } else {
    const inside = relative(process.cwd(), config.dataDir);
    const where = inside.startsWith('..') || isAbsolute(inside) ? config.dataDir : `./${inside}`;
    log.info(
      embeddedDatabaseExists(config.dataDir)
        ? `opening the embedded database in ${where}…`
        : `creating the embedded database in ${where} (first start, takes a few seconds)…`,
    );
  }
  const database = await openDatabase(
    config.databaseUrl
      ? { url: config.databaseUrl, poolSize: config.databasePoolSize }
      : {
          dataDir: config.dataDir,
          log: { info: (message) => log.info(message), warn: (message) => log.warn(message) },
        },
  ).catch((error: unknown) => {
    const explained = error instanceof DatabaseUnavailableError || error instanceof DirectoryLockedError;
    throw explained ? new StartError(error.message) : dataDirError(error, config.dataDir);
  });
  log.info('applying migrations…');
  await database.migrate();
  const redis = config.redisUrl ? await connectRedis(config.redisUrl) : undefined;
  const app = await buildApp({ config: withSecrets, database, redis });
  // `npm run backup` asks this process for a copy of the embedded database, which no other process may open.
  const backups = database.backup
    ? await serveBackups(config.dataDir, database.backup, (err) =>
        app.log.error({ err }, 'backup failed'),
      ).catch((err: unknown) => {
        app.log.warn({ err }, 'backups while running are unavailable; stop the service to back up');
        return undefined;
      })
    : undefined;

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
    await backups?.close();
    redis?.disconnect();
    await database.close();
    process.exit(0);
  };
  // `on`, not `once`: Ctrl-C on `npm start` signals the service twice (the terminal's SIGINT, then npm's copy),
  // and with the handler gone the second would end the process mid-shutdown, the lock left behind.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    // Another program took the port while the database was being prepared.
    await backups?.close();
    await database.close();
    throw listenError(error, config.host, config.port);
  }
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  app.log.info(
    {
      database: database.engine,
      rate_limit_store: redis ? 'redis' : 'memory',
      features: [...config.features],
    },
    `Doable is ready on ${url} (API docs at ${url}/docs)`,
  );
  // The next start finds every module compiled and every import resolved (see module-loading.ts), even if this
  // one is killed.
  flushCompileCache();
  saveModuleResolutions();
}
