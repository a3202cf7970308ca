import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';

/** `npm run db:migrate`: applies pending migrations to the configured database without starting the service. */
try {
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
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
