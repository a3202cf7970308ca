import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, postJson, printTable, rssMiB, serviceTargets, startService } from './lib.ts';

/**
 * Accounts benchmark: time from start to ready, idle memory, then login (argon2id on purpose: it is meant to be
 * slow) and the token check every authenticated request pays, on the embedded database and on PostgreSQL.
 *
 *   node bench/auth.ts                      # PGlite only
 *   BENCH_DATABASE_URL=postgres://… node bench/auth.ts
 */
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

const targets = serviceTargets();

const rows = [];
for (const target of targets) {
  const dataDir = await mkdtemp(join(tmpdir(), 'doable-bench-'));
  const service = await startService({ ...target.env, DATA_DIR: dataDir, REDIS_URL: undefined });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idle = await rssMiB(service.child.pid ?? 0);

  const credentials = { email: `bench-${Date.now()}@example.com`, password: 'benchmark password' };
  const session = await postJson<{ access_token: string }>(`${service.url}/api/auth/register`, credentials);
  const pat = await postJson<{ token: string }>(
    `${service.url}/api/auth/tokens`,
    { name: 'bench' },
    { authorization: `Bearer ${session.access_token}` },
  );

  const json = { 'content-type': 'application/json' };
  const results = [
    await load('login (argon2id)', {
      url: `${service.url}/api/auth/login`,
      method: 'POST',
      headers: json,
      body: JSON.stringify(credentials),
      connections: 4,
      duration: DURATION,
    }),
    await load('token check: GET /api/auth/me (access token)', {
      url: `${service.url}/api/auth/me`,
      headers: { authorization: `Bearer ${session.access_token}` },
      connections: CONNECTIONS,
      duration: DURATION,
    }),
    await load('token check: GET /api/auth/me (API token)', {
      url: `${service.url}/api/auth/me`,
      headers: { authorization: `Bearer ${pat.token}` },
      connections: CONNECTIONS,
      duration: DURATION,
    }),
    await load('GET /health/live (no auth, floor)', {
      url: `${service.url}/health/live`,
      connections: CONNECTIONS,
      duration: DURATION,
    }),
  ];
  for (const r of results) {
    rows.push({
      database: target.name,
      scenario: r.name,
      'req/s': r.rps,
      'p50 ms': r.p50,
      'p99 ms': r.p99,
      errors: r.errors,
    });
  }
  rows.push({
    database: target.name,
    scenario: `start → ready ${Math.round(service.readyMs)} ms; idle RSS ${idle} MiB`,
    'req/s': '',
    'p50 ms': '',
    'p99 ms': '',
    errors: '',
  });
  await service.stop();
  await rm(dataDir, { recursive: true, force: true });
}
printTable(rows);
