import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkServices } from './services.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Services nobody runs: what a machine with only Node looks like, whatever runs on this one. */
async function nowhere() {
  const port = await closedPort();
  return {
    postgres: `postgres://postgres:hunter2secret@127.0.0.1:${port}/postgres`,
    redis: `redis://127.0.0.1:${port}`,
  };
}

describe('the test run without PostgreSQL or Redis', () => {
  it('skips their suites with one line each saying why and how to run them, within seconds', async () => {
    const { postgres, redis } = await nowhere();
    const started = performance.now();
    // Only the defaults point nowhere: DATABASE_URL and REDIS_URL themselves are unset, as on a fresh machine.
    const services = await checkServices({}, { postgres, redis });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(services).toMatchObject({ postgresAvailable: false, redisAvailable: false });
    expect(services.skipped).toEqual([
      expect.stringMatching(
        /^PostgreSQL does not answer at .*: the suites that need it are skipped\. To run them, start PostgreSQL there or set DATABASE_URL\.$/,
      ),
      expect.stringMatching(/^Redis does not answer at .*: .* start Redis there or set REDIS_URL\.$/),
    ]);
    expect(services.skipped.join('\n')).not.toContain('hunter2secret');
  });

  it('fails instead in CI, which must run every suite', async () => {
    const { postgres, redis } = await nowhere();
    await expect(checkServices({ CI: 'true' }, { postgres, redis })).rejects.toThrow(
      /^CI runs every suite, but PostgreSQL does not answer at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres/,
    );
  });

  it('fails when the run asked for a service that does not answer', async () => {
    const { postgres, redis } = await nowhere();
    await expect(checkServices({ REDIS_URL: redis }, { postgres, redis })).rejects.toThrow(
      /^REDIS_URL is set but Redis does not answer at redis:\/\/127\.0\.0\.1:\d+: start it, or unset REDIS_URL\.$/,
    );
  });
});
