import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Something the service depends on, asked for its status by /health and /health/ready. */
export interface DependencyCheck {
  name: string;
  /** A required dependency down makes the service not ready (503); an optional one only degrades it. */
  required: boolean;
  check: () => Promise<void>;
}

const dependencyStatus = z.object({
  status: z.enum(['up', 'down']),
  required: z.boolean(),
  latency_ms: z.number(),
  error: z.string().optional(),
});

const healthSchema = z
  .object({
    status: z.enum(['healthy', 'degraded', 'unhealthy']),
    version: z.string(),
    uptime_seconds: z.number(),
    timestamp: z.string(),
    checks: z.record(z.string(), dependencyStatus),
  })
  .meta({ id: 'Health' });

export async function healthRoutes(
  app: FastifyInstance,
  opts: { version: string; checks: DependencyCheck[] },
) {
  const startedAt = Date.now();
  const r = app.withTypeProvider<ZodTypeProvider>();

  const runChecks = async () => {
    const entries = await Promise.all(
      opts.checks.map(async ({ name, required, check }) => {
        const start = performance.now();
        try {
          await check();
          return [name, { status: 'up' as const, required, latency_ms: elapsed(start) }] as const;
        } catch (error) {
          // The message of a failed connection says what is wrong (refused, timeout) without secrets.
          const message = error instanceof Error ? error.message : String(error);
          return [
            name,
            { status: 'down' as const, required, latency_ms: elapsed(start), error: message },
          ] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const down = entries.filter(([, c]) => c.status === 'down');
    const status = down.some(([, c]) => c.required) ? 'unhealthy' : down.length > 0 ? 'degraded' : 'healthy';
    return {
      status,
      version: opts.version,
      uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
      timestamp: new Date().toISOString(),
      checks,
    } as const;
  };

  const common = { tags: ['operations'], response: { 200: healthSchema, 503: healthSchema } };
  r.get(
    '/health',
    {
      schema: { ...common, summary: 'Status of the service and each dependency' },
      config: { rateLimit: false },
    },
    runChecks,
  );
  r.get(
    '/health/ready',
    {
      schema: { ...common, summary: 'Ready to serve: 503 while a required dependency is down' },
      config: { rateLimit: false },
    },
    async (_request, reply) => {
      const health = await runChecks();
      return reply.code(health.status === 'unhealthy' ? 503 : 200).send(health);
    },
  );
  r.get(
    '/health/live',
    {
      schema: {
        tags: ['operations'],
        summary: 'The process is up',
        response: { 200: z.object({ status: z.literal('alive') }) },
      },
      config: { rateLimit: false },
    },
    () => ({ status: 'alive' as const }),
  );
}

function elapsed(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}
