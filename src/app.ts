import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { registerAssistant } from './assistant/assistant.feature.ts';
import { createOpenAiProvider } from './assistant/providers/openai.ts';
import { registerAuth } from './auth/auth.feature.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { registerBodyParsers } from './http/body-parsers.ts';
import { errorsPlugin } from './http/errors.ts';
import { type DependencyCheck, healthRoutes } from './http/health.ts';
import { openApiPlugin } from './http/openapi.ts';
import { rateLimitPlugin } from './http/rate-limit.ts';
import { registerTasks } from './tasks/tasks.feature.ts';

export const VERSION = packageJson.version;

export interface AppDeps {
  config: Config & { jwtSecret: string };
  database: Database;
  /** Shared store for rate limits across instances; in memory without it. */
  redis?: Redis | undefined;
  clock?: () => Date;
  /** Where logs go; pino's default (stdout) when not given. */
  logStream?: NodeJS.WritableStream;
}

/** A client-sent X-Request-ID is kept when it is short and plain, so that logs can be followed across services. */
const REQUEST_ID = /^[\w.:@-]{1,128}$/;

/**
 * Builds the whole service from its dependencies: external plugins, then ours, then each enabled feature, in
 * a fixed order. Nothing here reads the environment or opens connections; main.ts and the tests do that.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database, redis } = deps;
  const clock = deps.clock ?? (() => new Date());

  const app = Fastify({
    loggerInstance: pino(
      {
        level: config.logLevel,
        redact: {
          paths: [
            'req.headers.authorization',
            'req.headers.cookie',
            '*.password',
            '*.token',
            '*.refresh_token',
            '*.access_token',
          ],
          censor: '[redacted]',
        },
      },
      deps.logStream ?? pino.destination(1),
    ) as FastifyBaseLogger,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerBodyParsers(app);

  await app.register(errorsPlugin);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // ReDoc's page loads its bundle from the ReDoc CDN and runs a worker from a blob.
        scriptSrc: ["'self'", 'https://cdn.redoc.ly'],
        workerSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'https:'],
      },
    },
  });
  await app.register(cors, {
    origin:
      config.allowedOrigins.includes('*') ||
      (config.allowedOrigins.length === 0 && config.environment !== 'production')
        ? true
        : config.allowedOrigins,
    credentials: true,
    exposedHeaders: [
      'x-request-id',
      'etag',
      'location',
      'retry-after',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
    ],
  });
  await app.register(rateLimitPlugin, {
    enabled: config.rateLimit.enabled,
    perMinute: config.rateLimit.perMinute,
    redis,
  });
  await app.register(openApiPlugin, { version: VERSION });

  const checks: DependencyCheck[] = [{ name: 'database', required: true, check: () => database.ping() }];
  if (redis) checks.push({ name: 'redis', required: false, check: async () => void (await redis.ping()) });
  await app.register(healthRoutes, { version: VERSION, checks });

  const info = {
    name: 'Doable',
    version: VERSION,
    features: [...config.features],
    links: { docs: '/docs', redoc: '/redoc', openapi: '/openapi.json', health: '/health' },
  };
  const infoSchema = {
    tags: ['operations'],
    summary: 'Name, version and links',
    response: {
      200: z.object({
        name: z.string(),
        version: z.string(),
        features: z.array(z.string()),
        links: z.record(z.string(), z.string()),
      }),
    },
  };
  app.get('/api', { schema: infoSchema }, async () => info);
  app.get('/', { schema: { ...infoSchema, hide: true } }, async () => info);

  await registerAuth(app, {
    db: database.db,
    clock,
    jwtSecret: config.jwtSecret,
    accessTokenMinutes: config.accessTokenMinutes,
    refreshTokenDays: config.refreshTokenDays,
    betterAuthSecret: config.betterAuthSecret,
    betterAuthUrl: config.betterAuthUrl,
    authPerMinute: config.rateLimit.authPerMinute,
    loginAttemptsPerAccountPerMinute: config.rateLimit.loginAttemptsPerAccountPerMinute,
    oauth: config.oauth,
    publicUrl: config.publicUrl,
    frontendUrl: config.frontendUrl,
    allowedOrigins: config.allowedOrigins,
  });
  // The assistant acts on tasks through the tasks service, so it needs that feature's service even when the
  // tasks routes are off.
  const tasks =
    config.features.has('tasks') || config.features.has('assistant')
      ? await registerTasks(app, { db: database.db, clock, routes: config.features.has('tasks') })
      : undefined;
  if (tasks && config.features.has('assistant')) {
    await registerAssistant(app, {
      db: database.db,
      clock,
      tasks: tasks.service,
      chatPerMinute: config.rateLimit.chatPerMinute,
      timeoutMs: config.assistantTimeoutMs,
      provider: config.llm ? createOpenAiProvider(config.llm) : undefined,
    });
  }

  return app;
}
