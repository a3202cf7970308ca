import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { z } from 'zod';
import packageJson from '../package.json' with { type: 'json' };
import { createOpenAiProvider, registerAssistant } from './assistant/index.ts';
import { registerAuth, userGone } from './auth/index.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { registerEvents } from './events/index.ts';
import { registerExport } from './export/index.ts';
import { registerBodyParsers } from './http/body-parsers.ts';
import {
  answerExpectations,
  clientErrorHandler,
  connectionClosed,
  errorsPlugin,
  frameworkErrors,
  missingHost,
} from './http/errors.ts';
import { type DependencyCheck, healthRoutes } from './http/health.ts';
import { urlForLog } from './http/log-url.ts';
import { openApiPlugin } from './http/openapi.ts';
import { rateLimitPlugin } from './http/rate-limit.ts';
import { securityHeaders } from './http/security-headers.ts';
import { serializerCompiler } from './http/serialization.ts';
import { closeUnusedConnections } from './http/shutdown.ts';
import { strictQueries } from './http/validation.ts';
import { registerKnowledge } from './knowledge/index.ts';
import { createListNames, registerLists } from './lists/index.ts';
import { registerMcp } from './mcp/index.ts';
import { createListContents, registerTasks } from './tasks/index.ts';
import { registerWeb } from './web/index.ts';

export const VERSION = packageJson.version;

export interface AppDeps {
  config: Config & { jwtSecret: string };
  database: Database;
  /** Shared store for rate limits across instances; in memory without it. */
  redis?: Redis | undefined;
  clock?: () => Date;
  /** Where logs go; pino's default (stdout) when not given. */
  logStream?: NodeJS.WritableStream;
  /** The built web page; web/dist unless a test points elsewhere. */
  webRoot?: string | undefined;
  /**
   * How the OAuth server for MCP clients fetches client metadata documents. Unset: Doable's own fetch, which
   * refuses private and reserved addresses before connecting and bounds time and size; tests pass one that
   * trusts their own https server.
   */
  oauthFetch?: typeof fetch | undefined;
}

/**
 * Believes the X-Forwarded-For entries added by the `hops` proxies nearest to us, and no further: the entries a
 * client wrote itself sit beyond them. (Fastify takes a bare number to mean "trust nothing", since a client that
 * reaches the service directly could then forge entries; a hop count is right only where nobody can, as on
 * Hugging Face Spaces.)
 */
function trustNearestHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

/**
 * Every route schema is zod. Given as Fastify's compiler factories rather than with setValidatorCompiler, so that
 * Fastify does not load its default validator (Ajv, a tenth of a start) only to replace it.
 * Fastify types the factories for Ajv; it calls them as setValidatorCompiler's own adapter does.
 */
const ZOD_COMPILERS = {
  buildValidator: () => validatorCompiler,
  buildSerializer: () => serializerCompiler,
} as unknown as NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/** A client-sent X-Request-ID is kept when it is short and plain, so that logs can be followed across services. */
const REQUEST_ID = /^[\w.:@-]{1,128}$/;
/** How long a request may take to arrive, headers and body: a 4 MiB import at 70 KB/s. */
export const REQUEST_TIMEOUT_MS = 60_000;

/**
 * Builds the whole service from its dependencies: external plugins, then ours, then each enabled feature, in
 * a fixed order. Nothing here reads the environment or opens connections; main.ts and the tests do that.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database, redis } = deps;
  const clock = deps.clock ?? (() => new Date());

  const headers = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        // ReDoc's bundle is served from here (see openapi.ts) and runs its search in a worker made from a blob.
        scriptSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'https:'],
        // Helmet's default would send a page reached over plain HTTP (a home server at http://192.168.1.5:7860)
        // to https:// for its own scripts, which no such server answers: a blank page. HTTPS sites keep HSTS.
        upgradeInsecureRequests: null,
      },
    },
  });
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
    // One line per request, written when it completes (the onResponse hook below), instead of Fastify's two.
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: config.bodyLimitBytes,
    // A request must arrive whole within this time, or its connection is closed: a client sending a body a byte
    // every 20 seconds had held connections open for good. (Responses, live-update streams too, are not timed.)
    requestTimeout: REQUEST_TIMEOUT_MS,
    trustProxy:
      typeof config.trustProxy === 'number' ? trustNearestHops(config.trustProxy) : config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors,
    clientErrorHandler: clientErrorHandler(headers),
    // HTTP/1.1 without Host is refused in the onRequest hook below, as a problem document.
    http: { requireHostHeader: false },
    schemaController: { compilersFactory: ZOD_COMPILERS },
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers).header('x-request-id', request.id);
    // Node's own check (requireHostHeader, off above) answered an empty 400; this one is a problem like the rest.
    if (request.raw.httpVersion === '1.1' && !request.headers.host) done(missingHost());
    else if (request.ip === undefined) done(connectionClosed());
    else done();
  });
  answerExpectations(app.server, headers);
  closeUnusedConnections(app);
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: urlForLog(request.url),
        status: reply.statusCode,
        response_time_ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    );
  });
  registerBodyParsers(app);
  strictQueries(app);

  await app.register(errorsPlugin, { ownerGone: userGone });
  await app.register(cors, {
    origin:
      config.allowedOrigins.includes('*') ||
      (config.allowedOrigins.length === 0 && config.environment !== 'production')
        ? true
        : config.allowedOrigins,
    credentials: true,
    // An OPTIONS without Origin or Access-Control-Request-Method is no browser's preflight: a plain 204, rather
    // than the plugin's text/plain 400 that no client of a problem+json API can read.
    strictPreflight: false,
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
    keySecret: config.jwtSecret,
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

  const auth = await registerAuth(app, {
    db: database.db,
    clock,
    jwtSecret: config.jwtSecret,
    accessTokenMinutes: config.accessTokenMinutes,
    refreshTokenDays: config.refreshTokenDays,
    betterAuthSecret: config.betterAuthSecret,
    betterAuthUrl: config.betterAuthUrl,
    authPerMinute: config.rateLimit.authPerMinute,
    loginThrottle: config.rateLimit.login,
    oauth: config.oauth,
    publicUrl: config.publicUrl,
    frontendUrl: config.frontendUrl,
    allowedOrigins: config.allowedOrigins,
    // The authorization server exists for MCP clients, so it is served with /mcp (the assistant feature).
    mcpOAuth: config.features.has('assistant')
      ? { issuer: config.issuer, issuerSource: config.issuerSource, fetch: deps.oauthFetch }
      : undefined,
  });
  // The assistant acts on tasks through the tasks service, so it needs that feature's service even when the
  // tasks routes are off.
  const tasks =
    config.features.has('tasks') || config.features.has('assistant')
      ? await registerTasks(app, { db: database.db, clock, routes: config.features.has('tasks') })
      : undefined;
  // Live updates of tasks and lists, however they change (the assistant's tools too): with the tasks API.
  if (config.features.has('tasks'))
    await registerEvents(app, {
      database,
      clock,
      heartbeatSeconds: config.events.heartbeatSeconds,
      perUser: config.events.streamsPerUser,
      maxStreams: config.events.maxStreams,
      credentialCheckSeconds: config.events.credentialCheckSeconds,
    });
  // Lists are part of the tasks feature's API: every task is in one (the Inbox unless said).
  if (config.features.has('tasks'))
    await registerLists(app, { db: database.db, clock, contents: createListContents });
  if (tasks && config.features.has('assistant')) {
    // The tools name lists (`list`), whether or not the lists routes are on.
    const lists = createListNames(database.db);
    await registerAssistant(app, {
      db: database.db,
      clock,
      tasks: tasks.service,
      lists,
      chatPerMinute: config.rateLimit.chatPerMinute,
      timeoutMs: config.assistantTimeoutMs,
      provider: config.llm ? createOpenAiProvider(config.llm) : undefined,
    });
    // The same tools for MCP clients, at /mcp.
    await registerMcp(app, {
      tasks: tasks.service,
      lists,
      clock,
      perMinute: config.rateLimit.mcpPerMinute,
      authenticate: auth.authenticateMcp,
      resourceMetadata: auth.mcpResourceMetadata,
    });
  }
  // Everything a user owns: their tasks, and conversations when the assistant is on (the tables are there either way).
  if (tasks)
    await registerExport(app, { db: database.db, clock, importBodyLimit: config.importBodyLimitBytes });
  if (config.features.has('knowledge'))
    await registerKnowledge(app, {
      db: database.db,
      clock,
      knowledge: config.knowledge,
      llm: config.llm,
      embeddings: config.embeddings,
      newDatabase: database.isNew,
    });
  if (config.features.has('web')) await registerWeb(app, { root: deps.webRoot });

  return app;
}
