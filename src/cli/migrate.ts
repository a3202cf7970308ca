import { ConfigError, loadConfig } from '../config.ts';
import { DatabaseUnavailableError, openDatabase } from '../db/database.ts';
import { DirectoryLockedError } from '../db/directory-lock.ts';
import { loadEnvFile, StartError } from '../start.ts';

/** `npm run db:migrate`: applies pending migrations to the configured database without starting the service. */
try {
  loadEnvFile();
  const config = loadConfig();
  const database = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
  );
  await database.migrate();
  await database.close();
  console.log(
    `Migrations applied to the ${database.engine === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL database'}.`,
  );
} catch (error) {
  const explained =
    error instanceof ConfigError ||
    error instanceof StartError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof DirectoryLockedError;
  console.error(explained ? error.message : error);
  process.exit(1);
}
