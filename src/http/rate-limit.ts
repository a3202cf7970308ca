import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type * as Flexible from 'rate-limiter-flexible';
import { HttpProblem } from './problem.ts';

/**
 * rate-limiter-flexible's index loads every store it has (MongoDB, MySQL, DynamoDB, etcd…: 36 modules, 15-20 ms of
 * a start); these are its files for the two stores Doable uses and the result they answer with, loaded when the
 * first counter is made, the Redis one only with Redis.
 */
const require = createRequire(import.meta.url);
export const flexible = {
  memory: () =>
    require('rate-limiter-flexible/lib/RateLimiterMemory.js') as typeof Flexible.RateLimiterMemory,
  redis: () => require('rate-limiter-flexible/lib/RateLimiterRedis.js') as typeof Flexible.RateLimiterRedis,
  result: () => require('rate-limiter-flexible/lib/RateLimiterRes.js') as typeof Flexible.RateLimiterRes,
};

export interface RateLimitSettings {
  enabled: boolean;
  /** Default budget for every client address, per minute, on routes that set none of their own. */
  perMinute: number;
  /** Shared store: with it, every instance counts against the same budget. */
  redis: Redis | undefined;
  /** Keys of our own counters are HMACs under this secret, so the store never holds an e-mail in the clear. */
  keySecret: string;
}

/** Where a key stands in its window. */
export interface Usage {
  used: number;
  /** Seconds until the window ends and the count starts again. */
  resetSeconds: number;
}

/** A count per key that a route moves itself, e.g. failed sign-ins: read before the work, bumped after it. */
export interface Counter {
  peek(key: string): Promise<Usage>;
  add(key: string): Promise<Usage>;
  reset(key: string): Promise<void>;
}

export interface CounterOptions {
  /** Names the counter in the store; two counters never share keys. */
  name: string;
  /** The most points one key may use in a window (what RateLimit-Limit reports). */
  max: number;
  /** Default one minute. */
  windowSeconds?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * A budget per key of the route's own (a user, an account) on top of the per-address limits: each request
     * uses one point and is refused with 429 past `max`. A no-op when rate limits are off. It is an onRequest
     * hook, to be put after authentication: a refused request is answered before its body is read, parsed or
     * validated, so a client over its budget costs no more than its headers.
     */
    limiter(
      options: CounterOptions & {
        keyGenerator: (request: FastifyRequest) => string;
        /** The 429's detail, naming the budget, given the seconds until it has room again. */
        explain?: (seconds: number) => string;
      },
    ): onRequestAsyncHookHandler;
    /** A counter the route moves itself (see Counter). Never counts when rate limits are off. */
    counter(options: CounterOptions): Counter;
  }
}

/**
 * The shared store, set up to fail fast so that rate limits fail open at once: no queue of commands while it is
 * disconnected, and a connection that gets no answer for a second is dropped (and reconnected), so that a Redis
 * gone silent costs one request a second at most, and the next ones nothing, instead of holding every request.
 */
export async function connectRedis(url: string): Promise<Redis> {
  // Imported here: an instance without REDIS_URL does not load the client at all.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: 1_000,
    socketTimeout: 1_000,
  });
  redis.on('error', () => {}); // reported by /health; rate limits fail open meanwhile
  return redis;
}

/** The 429 a refused request gets, with headers that describe the limit that refused it. */
export function tooManyRequests(limit: number, usage: Usage, detail?: string): HttpProblem {
  const seconds = Math.max(1, usage.resetSeconds);
  return new HttpProblem(
    429,
    'request.rate_limited',
    detail ?? `Too many requests; try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    {
      headers: {
        'retry-after': String(seconds),
        'ratelimit-limit': String(limit),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(seconds),
      },
    },
  );
}

const NOTHING_USED: Usage = { used: 0, resetSeconds: 0 };

/**
 * Rate limits. Per client address, by @fastify/rate-limit: a default budget on every route and tighter ones
 * per route (`config.rateLimit`), answering 429 as problem+json with Retry-After and the IETF RateLimit-*
 * headers. Per key of a route's own (a user, an account), and counts a route moves itself (failed sign-ins), by
 * rate-limiter-flexible, which can read a count without bumping it. Both live in memory, or in Redis when it
 * is given so that every instance shares them; a Redis outage lets requests through uncounted.
 */
export const rateLimitPlugin = fp(async (app: FastifyInstance, settings: RateLimitSettings) => {
  if (!settings.enabled) {
    app.decorate('limiter', () => async () => {});
    app.decorate('counter', () => ({
      peek: async () => NOTHING_USED,
      add: async () => NOTHING_USED,
      reset: async () => {},
    }));
    return;
  }
  await app.register(rateLimit, {
    global: true,
    max: settings.perMinute,
    timeWindow: 60_000,
    enableDraftSpec: true,
    nameSpace: 'doable:rl:',
    skipOnError: true,
    ...(settings.redis ? { redis: settings.redis } : {}),
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(429, 'request.rate_limited', `Too many requests; try again in ${context.after}.`),
  });

  const hashed = (name: string, key: string) =>
    createHmac('sha256', settings.keySecret).update(`${name}\n${key}`).digest('base64url').slice(0, 22);

  const counter = ({ name, max, windowSeconds = 60 }: CounterOptions): Counter => {
    const options = { keyPrefix: `doable:count:${name}`, points: max, duration: windowSeconds };
    const store = settings.redis
      ? new (flexible.redis())({ ...options, storeClient: settings.redis, rejectIfRedisNotReady: true })
      : new (flexible.memory())(options);
    const RateLimiterRes = flexible.result();
    const usage = (result: Flexible.RateLimiterRes | null): Usage =>
      result
        ? { used: result.consumedPoints, resetSeconds: Math.ceil(result.msBeforeNext / 1000) }
        : NOTHING_USED;
    // The store refuses past `points` by rejecting with its result; any other rejection is the store failing.
    const failOpen = (error: unknown): Usage => {
      if (error instanceof RateLimiterRes) return usage(error);
      app.log.warn({ err: error, counter: name }, 'rate-limit store unavailable; not counting');
      return NOTHING_USED;
    };
    return {
      peek: (key) => store.get(hashed(name, key)).then(usage, failOpen),
      add: (key) => store.consume(hashed(name, key)).then(usage, failOpen),
      reset: (key) =>
        store.delete(hashed(name, key)).then(
          () => {},
          (error: unknown) => void failOpen(error),
        ),
    };
  };

  app.decorate('counter', counter);
  app.decorate('limiter', ({ keyGenerator, explain, ...options }) => {
    const budget = counter(options);
    return async (request) => {
      const usage = await budget.add(keyGenerator(request));
      if (usage.used > options.max)
        throw tooManyRequests(options.max, usage, explain?.(Math.max(1, usage.resetSeconds)));
    };
  });
});
