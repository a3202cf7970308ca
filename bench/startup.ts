import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cpuMicros,
  median,
  printTable,
  rssMiB,
  type Service,
  scratchPostgres,
  serviceTargets,
  startService,
} from './lib.ts';

/**
 * Start time and memory of the service as people run it (`node src/main.ts`, default settings), per database:
 *
 * - the first start on an empty database (PGlite: an empty DATA_DIR, so initdb runs; PostgreSQL: a new database,
 *   so every migration runs) with an empty compile cache, as after an install;
 * - then `starts` starts again on that database: the median time from spawn to the first 200 on /health/ready,
 *   and the CPU the process used until then (on a busy machine CPU moves much less than wall time);
 * - resident memory once the process is idle after a start (no CPU used for a second: V8 optimizes hot
 *   WebAssembly in the background for seconds after PGlite starts), the peak on the way there, and the idle
 *   memory again after a short warm-up that uses every feature once (sign-up, tasks, the docs, the web page,
 *   an answer from the knowledge base, a chat message, MCP).
 *
 *   npm run bench:startup                                  # PGlite only
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:startup
 *
 * BENCH_STARTS (5). On PostgreSQL a scratch database is created beside BENCH_DATABASE_URL's and dropped at the end.
 */
export interface StartupResult {
  target: string;
  /** Spawn to ready on an empty database, compile cache empty. */
  firstStartMs: number;
  firstStartCpuMs: number;
  /** Median spawn to ready over the later starts, and their range. */
  readyMs: number;
  readyRangeMs: [number, number];
  readyCpuMs: number;
  /** Resident memory once idle after a start (median), and the highest it reached until then. */
  idleRssMiB: number;
  peakRssMiB: number;
  /** Idle again after the warm-up. */
  warmRssMiB: number;
  starts: number;
}

export interface StartupTarget {
  name: string;
  env: Record<string, string | undefined>;
}

export async function measureStartup(
  target: StartupTarget,
  { starts = Number(process.env.BENCH_STARTS ?? 5) } = {},
): Promise<StartupResult> {
  const scratch = await mkdtemp(join(tmpdir(), 'doable-startup-'));
  const database = target.env.DATABASE_URL ? await scratchPostgres(target.env.DATABASE_URL) : undefined;
  const env = {
    ...target.env,
    ...database?.env,
    DATA_DIR: join(scratch, 'data'),
    NODE_COMPILE_CACHE: join(scratch, 'compile-cache'),
    // The default settings: rate limits on (the warm-up stays under them), the user guide seeded.
    RATE_LIMIT_ENABLED: 'true',
  };
  try {
    const first = await timedStart(env);
    await first.service.stop();
    const later = [];
    for (let i = 0; i < starts; i++) {
      const run = await timedStart(env);
      const last = i === starts - 1;
      if (last) await warmUp(run.service);
      const warm = last ? await idleRss(run.service) : undefined;
      await run.service.stop();
      later.push({ ...run, warm });
    }
    const ready = later.map((run) => run.service.readyMs);
    return {
      target: target.name,
      firstStartMs: Math.round(first.service.readyMs),
      firstStartCpuMs: first.cpuMs,
      readyMs: Math.round(median(ready)),
      readyRangeMs: [Math.round(Math.min(...ready)), Math.round(Math.max(...ready))],
      readyCpuMs: median(later.map((run) => run.cpuMs)),
      idleRssMiB: median(later.map((run) => run.idle.rss)),
      peakRssMiB: Math.max(...later.map((run) => run.idle.peak)),
      warmRssMiB: later.at(-1)?.warm?.rss ?? Number.NaN,
      starts,
    };
  } finally {
    await database?.drop();
    await rm(scratch, { recursive: true, force: true });
  }
}

async function timedStart(env: Record<string, string | undefined>) {
  const service = await startService(env);
  const pid = service.child.pid ?? 0;
  const cpuMs = Math.round((await cpuMicros(pid)) / 1000);
  return { service, cpuMs, idle: await idleRss(service) };
}

/** Resident memory once the process has used no CPU for a second (at most 30 s), and its peak so far. */
async function idleRss(service: Service): Promise<{ rss: number; peak: number }> {
  const pid = service.child.pid ?? 0;
  const until = performance.now() + 30_000;
  let cpu = await cpuMicros(pid);
  while (performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await cpuMicros(pid);
    const busy = now - cpu;
    cpu = now;
    if (busy <= 10_000) break; // one clock tick: nothing running
  }
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return { rss: await rssMiB(pid), peak: Math.round((peakKb / 1024) * 10) / 10 };
}

/** Every feature once, through the real routes: what a first visitor makes the service load and allocate. */
async function warmUp(service: Service) {
  const call = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init;
    const response = await fetch(`${service.url}${path}`, {
      ...rest,
      headers: {
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        accept: 'application/json, text/event-stream, */*',
        ...rest.headers,
      },
      ...(json === undefined ? {} : { method: rest.method ?? 'POST', body: JSON.stringify(json) }),
    });
    if (!response.ok)
      throw new Error(`warm-up: ${path} answered ${response.status}: ${await response.text()}`);
    return response;
  };
  const email = `warm-${randomBytes(4).toString('hex')}@example.com`;
  const session = (await (
    await call('/api/auth/register', { json: { email, password: 'warm-up password' } })
  ).json()) as { access_token: string };
  const headers = { authorization: `Bearer ${session.access_token}` };
  for (let i = 0; i < 20; i++) {
    await call('/api/me/tasks', {
      headers,
      json: { title: `Warm-up task ${i}`, tags: ['home', `t${i % 4}`], due_date: '2026-12-24' },
    });
  }
  for (let i = 0; i < 100; i++) await call('/api/me/tasks?limit=50', { headers });
  await call('/api/me/tags', { headers });
  await call('/openapi.json');
  await call('/docs');
  await call('/');
  await call('/api/knowledge/ask', { json: { query: 'How do I add a repeating task?', max_results: 3 } });
  await call('/api/me/chat', { headers, json: { message: 'add buy milk tomorrow #errands' } });
  await call('/mcp', {
    headers,
    json: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_tasks', arguments: {} } },
  });
}

/** Start and memory on each database, as rows of a table (npm run bench prints them too). */
export async function startupRows(): Promise<Array<Record<string, string | number>>> {
  const rows = [];
  for (const target of serviceTargets()) {
    const result = await measureStartup(target);
    console.error(`${target.name}: ${JSON.stringify(result)}`);
    rows.push({
      target: result.target,
      'first start ms (CPU)': `${result.firstStartMs} (${result.firstStartCpuMs})`,
      'ready ms, median (range)': `${result.readyMs} (${result.readyRangeMs.join('–')})`,
      'ready CPU ms': result.readyCpuMs,
      'idle RSS MiB': result.idleRssMiB,
      'peak RSS MiB': result.peakRssMiB,
      'after warm-up MiB': result.warmRssMiB,
    });
  }
  return rows;
}

if (import.meta.main) printTable(await startupRows());
