import { execFile } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { POSTGRES_URL } from './helpers.ts';

const SOAK = new URL('../bench/soak.ts', import.meta.url).pathname;

/**
 * `npm run soak` end to end, shortened to seconds: the service starts, capacity is measured, the mixed workload
 * runs and is reported. With PostgreSQL at hand the run also cuts it for a few seconds in the middle: the script
 * exits 0 only when nothing failed outside the outage and the service answered 2xx again after it.
 */
describe('the soak script', () => {
  const postgres = inject('postgresAvailable');

  it(`runs a short soak${postgres ? ' through a PostgreSQL outage' : ''} and reports it`, async () => {
    // Not promisify(execFile): its rejection shows stderr alone, and the report on stdout is what tells why a run
    // failed, so every assertion below shows the script's whole output.
    const { stdout, stderr, exit } = await new Promise<{ stdout: string; stderr: string; exit: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          [SOAK, ...(postgres ? ['--outage', 'postgres'] : [])],
          {
            env: {
              ...process.env,
              SOAK_DATABASE_URL: postgres ? POSTGRES_URL : '',
              BENCH_DATABASE_URL: '',
              SOAK_REDIS_URL: '',
              DATABASE_URL: '',
              REDIS_URL: '',
              SOAK_MINUTES: '0.25',
              SOAK_CAPACITY_SECONDS: '3',
              SOAK_REPORT_SECONDS: '5',
              SOAK_OUTAGE_SECONDS: '4',
              SOAK_CONNECTIONS: '4',
              SOAK_USERS: '2',
            },
            timeout: 170_000,
          },
          (error, out, err) =>
            resolve({
              stdout: out,
              stderr: err,
              exit: error ? `exit ${error.code ?? ''} ${error.signal ?? ''}`.trim() : 'exit 0',
            }),
        );
      },
    );
    const output = `the script's ${exit}; its stdout:\n${stdout}\nits stderr:\n${stderr}`;
    expect(exit, output).toBe('exit 0');
    expect(stdout, output).toMatch(/^capacity \d+ req\/s/m);
    expect(stdout, output).toMatch(/\| at +\| req\/s +\| p50 ms +\| p99 ms .*\| RSS MiB/);
    // Every kind of request was made; without an outage, every one succeeded.
    const failed = postgres ? '\\d+' : '0';
    for (const kind of ['sign-in', 'list', 'create', 'update', 'chat', 'ask'])
      expect(stdout, output).toMatch(new RegExp(`^\\| ${kind} +\\| [1-9]\\d* +\\| ${failed} +\\|$`, 'm'));
    expect(stdout, output).toMatch(
      postgres ? /^failures \(but a 503 during the outage\): 0$/m : /^failures: 0$/m,
    );
    if (postgres) {
      expect(stdout, output).toMatch(/^postgres stop for 4 s: answers during it .*503 ×\d+/m);
      expect(stdout, output).toMatch(/^recovered: first 2xx \d+ ms after postgres was back$/m);
    }
  }, 180_000);
});
