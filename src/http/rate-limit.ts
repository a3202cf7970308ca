import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { HttpProblem } from './problem.ts';

export interface RateLimitSettings {
  enabled: boolean;
  /** Default budget for every client, per minute, on routes that set none of their own. */
  perMinute: number;
  /** Shared store: with it, every instance counts against the same budget. */
  redis: Redis | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Builds a limiter hook for one route: `{ max, keyGenerator }` per minute. No-op when limits are off. */
    limiter(
      options: Pick<RateLimitOptions, 'max' | 'keyGenerator'> & { name: string },
    ): preHandlerAsyncHookHandler;
  }
}

/**
 * Rate limits by @fastify/rate-limit, in memory or in Redis. Answers 429 as problem+json with Retry-After and
 * the IETF RateLimit-* headers, so clients can back off precisely.
 */
export const rateLimitPlugin = fp(async (app: FastifyInstance, settings: RateLimitSettings) => {
  if (!settings.enabled) {
    app.decorate('limiter', () => async () => {});
    return;
  }
  await app.register(rateLimit, {
    global: true,
    max: settings.perMinute,
    timeWindow: 60_000,
    enableDraftSpec: true,
    nameSpace: 'doable:rl:',
    // A Redis outage must not take the API down with it: requests pass uncounted until it is back.
    skipOnError: true,
    ...(settings.redis ? { redis: settings.redis } : {}),
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(429, 'request.rate_limited', `Too many requests; try again in ${context.after}.`),
  });
  // createRateLimit, not rateLimit: the latter runs once per request, so it would be skipped after the route's
  // own per-client limit. This one can stack, e.g. per client and per account on the login route.
  app.decorate('limiter', ({ name, max, keyGenerator }) => {
    const check = app.createRateLimit({
      max,
      timeWindow: 60_000,
      ...(keyGenerator ? { keyGenerator: async (req) => `${name}:${await keyGenerator(req)}` } : {}),
    });
    return async (request, reply) => {
      const result = await check(request);
      if (result.isAllowed || !result.isExceeded) return;
      reply.header('retry-after', result.ttlInSeconds);
      throw new HttpProblem(
        429,
        'request.rate_limited',
        `Too many attempts; try again in ${result.ttlInSeconds} seconds.`,
      );
    };
  });
});
