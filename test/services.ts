import { Redis } from 'ioredis';
import pg from 'pg';
import { withoutPassword } from '../src/db/database.ts';

/** Where the suites that need a real PostgreSQL or Redis look for them when DATABASE_URL / REDIS_URL are unset. */
export const POSTGRES_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

export interface Services {
  postgresAvailable: boolean;
  redisAvailable: boolean;
  /** One line per service that is missing, saying which suites are skipped and how to run them. */
  skipped: string[];
}

/**
 * Decides which suites can run: a suite needing PostgreSQL or Redis is skipped when nothing answers at the default
 * address, so that `npm test` passes on a machine with only Node. Not when the run asked for the service
 * (DATABASE_URL, REDIS_URL) and not in CI, which must run every suite: there a missing service fails the run.
 */
export async function checkServices(
  env: NodeJS.ProcessEnv,
  defaults = { postgres: POSTGRES_URL, redis: REDIS_URL },
): Promise<Services> {
  const postgresUrl = env.DATABASE_URL || defaults.postgres;
  const redisUrl = env.REDIS_URL || defaults.redis;
  const [postgresAvailable, redisAvailable] = await Promise.all([
    answersPostgres(postgresUrl),
    answersRedis(redisUrl),
  ]);
  const inCi = Boolean(env.CI) && !['false', '0'].includes(String(env.CI).toLowerCase());
  const missing = [
    {
      name: 'PostgreSQL',
      available: postgresAvailable,
      url: withoutPassword(postgresUrl),
      variable: 'DATABASE_URL',
      given: Boolean(env.DATABASE_URL),
    },
    {
      name: 'Redis',
      available: redisAvailable,
      url: withoutPassword(redisUrl),
      variable: 'REDIS_URL',
      given: Boolean(env.REDIS_URL),
    },
  ].filter((service) => !service.available);
  for (const service of missing) {
    if (service.given)
      throw new Error(
        `${service.variable} is set but ${service.name} does not answer at ${service.url}: start it, or unset ${service.variable}.`,
      );
    if (inCi)
      throw new Error(
        `CI runs every suite, but ${service.name} does not answer at ${service.url}: start it (or set ${service.variable}) so that its suites are not skipped.`,
      );
  }
  return {
    postgresAvailable,
    redisAvailable,
    skipped: missing.map(
      (service) =>
        `${service.name} does not answer at ${service.url}: the suites that need it are skipped. ` +
        `To run them, start ${service.name} there or set ${service.variable}.`,
    ),
  };
}

async function answersPostgres(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function answersRedis(url: string): Promise<boolean> {
  // One attempt, no reconnection and no offline queue: a missing Redis is a quick "no", not a flood of errors.
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2_000,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
