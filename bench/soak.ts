import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Relay } from '../test/relay.ts';
import { cpuMicros, load, postJson, printTable, rssMiB, scratchPostgres, startService } from './lib.ts';

/**
 * Soak: the real service, as its own process, under a mixed workload at about 80% of the capacity measured at the
 * start, for minutes; throughput, latency, errors, memory and CPU are printed every SOAK_REPORT_SECONDS and in a
 * table at the end. Optionally a dependency goes away in the middle of the run and comes back: the script owns a
 * TCP relay between the service and it (the server itself is never touched), and reports what clients saw during
 * the outage and how long the service took to answer 2xx again, without a restart.
 *
 *   npm run soak                                                             # PGlite, 10 minutes
 *   SOAK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run soak -- --outage postgres
 *   SOAK_REDIS_URL=redis://127.0.0.1:6379 npm run soak -- --outage redis
 *
 * Each connection plays a user's session in a loop: sign in, list, create, change and complete a task, two turns
 * with the offline assistant, tags, and a question to the docs. Rate limits are on, with budgets no soak reaches,
 * so that their store (memory, or Redis with SOAK_REDIS_URL) is exercised on every request.
 *
 * SOAK_MINUTES (10), SOAK_CONNECTIONS (16), SOAK_USERS (as many as connections), SOAK_LOAD (0.8 of capacity),
 * SOAK_CAPACITY_SECONDS (20, after a quarter of that to warm up), SOAK_REPORT_SECONDS (30), SOAK_DATABASE_URL or
 * BENCH_DATABASE_URL (PostgreSQL: a scratch database beside it, dropped at the end; PGlite without),
 * SOAK_REDIS_URL, and the outage:
 * `--outage postgres|redis` or SOAK_OUTAGE, SOAK_OUTAGE_SECONDS (20), SOAK_OUTAGE_MODE (`stop`: connections
 * dropped and refused, as a stopped server; `silent`: accepted and never answered, as a lost network).
 *
 * Exits 1 when a request failed outside the outage or with anything but a 503 during it, or when the service did
 * not answer 2xx again after it.
 */
const { values: args } = parseArgs({ options: { outage: { type: 'string' } } });
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 16);
const USERS = Number(process.env.SOAK_USERS ?? CONNECTIONS);
const LOAD = Number(process.env.SOAK_LOAD ?? 0.8);
const CAPACITY_SECONDS = Number(process.env.SOAK_CAPACITY_SECONDS ?? 20);
const REPORT_SECONDS = Number(process.env.SOAK_REPORT_SECONDS ?? 30);
const POSTGRES_URL = process.env.SOAK_DATABASE_URL || process.env.BENCH_DATABASE_URL || undefined;
const REDIS_URL = process.env.SOAK_REDIS_URL || undefined;
const OUTAGE = args.outage || process.env.SOAK_OUTAGE || undefined;
const OUTAGE_SECONDS = Number(process.env.SOAK_OUTAGE_SECONDS ?? 20);
const OUTAGE_MODE = process.env.SOAK_OUTAGE_MODE ?? 'stop';

if (OUTAGE !== undefined && OUTAGE !== 'postgres' && OUTAGE !== 'redis')
  throw new Error(`--outage takes postgres or redis, not "${OUTAGE}"`);
if (OUTAGE === 'postgres' && !POSTGRES_URL)
  throw new Error('--outage postgres needs SOAK_DATABASE_URL (the embedded database cannot go away)');
if (OUTAGE === 'redis' && !REDIS_URL) throw new Error('--outage redis needs SOAK_REDIS_URL');
if (OUTAGE_MODE !== 'stop' && OUTAGE_MODE !== 'silent')
  throw new Error(`SOAK_OUTAGE_MODE takes stop or silent, not "${OUTAGE_MODE}"`);
if (OUTAGE && OUTAGE_SECONDS * 3 > MINUTES * 60)
  throw new Error(
    'the outage must last less than a third of the run; raise SOAK_MINUTES or lower SOAK_OUTAGE_SECONDS',
  );

const PASSWORD = 'soak test password';
/** How long a request may go unanswered before it counts as failed (a hang, not a slow answer). */
const TIMEOUT_SECONDS = 10;
const HUGE = '1000000';

/** A user of the run, and the access token of its latest sign-in. */
interface User {
  email: string;
  token: string;
}

/** What a connection carries through one round of its session (autocannon resets it at each new round). */
interface Round {
  user?: User;
  taskId?: number;
  conversationId?: number;
}

/** The kinds of request the report counts apart: every one the issue names. */
type Kind = 'sign-in' | 'list' | 'create' | 'update' | 'chat' | 'ask';

const scratch = await mkdtemp(join(tmpdir(), 'doable-soak-'));
const cleanups: Array<() => Promise<unknown>> = [() => rm(scratch, { recursive: true, force: true })];
let exitCode = 0;
try {
  exitCode = await soak();
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
}
process.exit(exitCode);

async function soak(): Promise<number> {
  let databaseUrl: string | undefined;
  if (POSTGRES_URL) {
    const database = await scratchPostgres(POSTGRES_URL);
    cleanups.push(database.drop);
    databaseUrl = database.env.DATABASE_URL;
  }
  let redisUrl = REDIS_URL;
  let relay: Relay | undefined;
  if (OUTAGE) {
    const target = OUTAGE === 'postgres' ? databaseUrl : redisUrl;
    if (!target) throw new Error(`no ${OUTAGE} URL`);
    relay = new Relay(target);
    await relay.open();
    cleanups.push(() => relay?.close() ?? Promise.resolve());
    if (OUTAGE === 'postgres') databaseUrl = relay.url(target);
    else redisUrl = relay.url(target);
  }

  const service = await startService({
    DATABASE_URL: databaseUrl,
    DATA_DIR: join(scratch, 'data'),
    REDIS_URL: redisUrl,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ACCESS_TOKEN_EXPIRE_MINUTES: '1440',
    // During an outage every request would log a warning; errors (a 500) still show.
    LOG_LEVEL: 'error',
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_REQUESTS_PER_MINUTE: HUGE,
    AUTH_RATE_LIMIT_PER_MINUTE: HUGE,
    CHAT_RATE_LIMIT_PER_MINUTE: HUGE,
    ASK_RATE_LIMIT_PER_MINUTE: HUGE,
  });
  cleanups.push(() => service.stop());
  const pid = service.child.pid ?? 0;
  const rssAtReady = await rssMiB(pid);
  console.log(
    `service ready in ${Math.round(service.readyMs)} ms on ${POSTGRES_URL ? 'PostgreSQL' : 'PGlite'}` +
      `${redisUrl ? ' with Redis' : ''}; registering ${USERS} users`,
  );

  const users: User[] = [];
  for (let i = 0; i < USERS; i++) {
    const email = `soak-${i}-${randomBytes(4).toString('hex')}@example.com`;
    const session = await postJson<{ access_token: string }>(`${service.url}/api/auth/register`, {
      email,
      password: PASSWORD,
      name: `Soak ${i}`,
    });
    users.push({ email, token: session.access_token });
  }

  const perKind = new Map<Kind, { count: number; failed: number }>();
  const workload = sessionRequests(users, (kind, status) => {
    const entry = perKind.get(kind) ?? { count: 0, failed: 0 };
    entry.count++;
    if (status >= 300) entry.failed++;
    perKind.set(kind, entry);
  });

  const unpaced = { url: service.url, connections: CONNECTIONS, requests: workload };
  // A few seconds first, so that the capacity is that of a warm process (JIT, connections, caches).
  await load('warm-up', { ...unpaced, duration: Math.ceil(CAPACITY_SECONDS / 4) });
  const capacity = await load('capacity', { ...unpaced, duration: CAPACITY_SECONDS });
  if (capacity.errors > 0) throw new Error(`${capacity.errors} requests failed while measuring capacity`);
  const rate = Math.max(1, Math.round(capacity.rps * LOAD));
  console.log(
    `capacity ${capacity.rps} req/s (p99 ${capacity.p99} ms, ${CONNECTIONS} connections, ${CAPACITY_SECONDS} s); ` +
      `soaking at ${rate} req/s for ${MINUTES} min`,
  );
  perKind.clear();

  const seconds = Math.round(MINUTES * 60);
  const startedAt = performance.now();
  const since = () => (performance.now() - startedAt) / 1000;
  let bucket = newBucket();
  const rows: Array<Record<string, string | number>> = [];
  const outage = { cutAt: 0, restoredAt: 0, recoveredAt: 0, statuses: new Map<number, number>(), slowest: 0 };
  /** Requests that failed where none should: other than with a 503 during a PostgreSQL outage. */
  let failures = 0;
  /**
   * Part of the outage: answered after the cut, and sent before it ended: the first 2xx after PostgreSQL is back
   * (the requests before it were still meeting the outage), or Redis being back.
   */
  const inOutage = (now: number, sentAt: number) => {
    const endedAt = OUTAGE === 'postgres' ? outage.recoveredAt : outage.restoredAt;
    return outage.cutAt > 0 && now >= outage.cutAt && (endedAt === 0 || sentAt < endedAt);
  };
  /** Counts an answer (status 0: none, the request failed or timed out) against the outage or the failures. */
  const record = (status: number, ms: number) => {
    const now = since();
    const during = inOutage(now, now - ms / 1000);
    if (during) {
      outage.statuses.set(status, (outage.statuses.get(status) ?? 0) + 1);
      outage.slowest = Math.max(outage.slowest, ms);
      if (outage.restoredAt > 0 && status >= 200 && status < 300 && outage.recoveredAt === 0)
        outage.recoveredAt = now;
    }
    const failed = status < 200 || status >= 300;
    if (failed) bucket.failed++;
    // While PostgreSQL is away the one right failure is a 503 saying so: a 500 or no answer is a failure still.
    if (failed && !(during && OUTAGE === 'postgres' && status === 503)) {
      failures++;
      // A count alone does not tell a hang from a 500, nor a failure at the outage's edges from one far from it.
      if (failures <= 10)
        console.log(
          `failure at ${(now - ms / 1000).toFixed(3)} s → ${now.toFixed(3)} s: ${status || 'no answer'}` +
            `${outage.cutAt ? ` (cut ${outage.cutAt.toFixed(3)} s, back ${outage.restoredAt.toFixed(3)} s, first 2xx ${outage.recoveredAt.toFixed(3)} s)` : ''}`,
        );
    }
  };

  const instance = autocannon(
    {
      url: service.url,
      connections: CONNECTIONS,
      duration: seconds,
      overallRate: rate,
      timeout: TIMEOUT_SECONDS,
      requests: workload,
    },
    () => {},
  );
  const finished = new Promise<autocannon.Result>((resolve) => instance.on('done', resolve));
  instance.on('response', (_client, status, _bytes, ms) => {
    bucket.latencies.push(ms);
    if (status === 503) bucket.unavailable++;
    record(status, ms);
  });
  // A request that got no answer: a timeout was sent TIMEOUT_SECONDS ago, a refused or dropped one just now.
  instance.on('reqError', (error: Error) =>
    record(0, /timed out/.test(String(error?.message)) ? TIMEOUT_SECONDS * 1000 : 0),
  );

  let cpuBefore = await cpuMicros(pid);
  const report = async () => {
    const [cpu, rss] = [await cpuMicros(pid), await rssMiB(pid)];
    const row = summarize(bucket, since(), rss, (cpu - cpuBefore) / (REPORT_SECONDS * 1e6));
    cpuBefore = cpu;
    bucket = newBucket();
    rows.push(row);
    console.log(
      Object.entries(row)
        .map(([key, value]) => `${key} ${value}`)
        .join(', '),
    );
  };
  /** How the service ended, if it did during the run (an uncaught exception: its stderr above says which). */
  const ended = () => service.child.signalCode ?? service.child.exitCode;
  // Once the service has ended its /proc entry is gone: the end of the run reports that, not a missing file.
  const reporter = setInterval(
    () =>
      void report().catch((error: unknown) => {
        if (ended() === null) throw error;
      }),
    REPORT_SECONDS * 1000,
  );
  const rssAtStart = await rssMiB(pid);

  if (relay) {
    const at = Math.max(REPORT_SECONDS, seconds / 2 - OUTAGE_SECONDS / 2);
    await sleep(at * 1000);
    outage.cutAt = since();
    if (OUTAGE_MODE === 'stop') await relay.close();
    else await relay.stall();
    console.log(`${OUTAGE} ${OUTAGE_MODE === 'stop' ? 'stopped' : 'silent'} at ${clock(outage.cutAt)}`);
    await sleep(OUTAGE_SECONDS * 1000);
    await relay.resume();
    outage.restoredAt = since();
    console.log(`${OUTAGE} back at ${clock(outage.restoredAt)}`);
  }
  const result = await finished;
  clearInterval(reporter);
  if (ended() !== null) {
    console.log(`the service ended during the soak (exit ${ended()}); failures: ${failures}`);
    return 1;
  }
  const rssAtEnd = await rssMiB(pid);
  // autocannon drops its connections at the end, requests in flight with them: let their handlers finish before
  // the service is stopped, or they would meet a closed database.
  await sleep(2_000);

  console.log(
    `\nsoak: ${MINUTES} min at ${rate} req/s (${LOAD} of ${capacity.rps} measured), one row per ${REPORT_SECONDS} s\n`,
  );
  printTable(rows);
  console.log('');
  printTable([...perKind].map(([kind, { count, failed }]) => ({ request: kind, count, 'not 2xx': failed })));
  console.log(
    `\n${result.requests.total} requests, ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, ` +
      `p99 ${result.latency.p99} ms (2xx only), ${result.non2xx} not 2xx, ${result.errors} errors ` +
      `(${result.timeouts} timeouts); RSS ${rssAtReady} MiB when ready, ${rssAtStart} → ${rssAtEnd} MiB over the soak`,
  );
  let healthy = failures === 0;
  console.log(`failures${OUTAGE === 'postgres' ? ' (but a 503 during the outage)' : ''}: ${failures}`);
  if (relay) {
    const statuses = [...outage.statuses].map(([status, n]) => `${status || 'no answer'} ×${n}`).join(', ');
    console.log(
      `${OUTAGE} ${OUTAGE_MODE} for ${OUTAGE_SECONDS} s: answers during it ${statuses || 'none'}; ` +
        `slowest ${Math.round(outage.slowest)} ms`,
    );
    if (OUTAGE === 'redis') {
      // Nothing to recover from: requests must have gone on succeeding (counted above as failures otherwise).
    } else if (outage.recoveredAt > 0)
      console.log(
        `recovered: first 2xx ${Math.round((outage.recoveredAt - outage.restoredAt) * 1000)} ms after ${OUTAGE} was back`,
      );
    else {
      console.log('not recovered: no 2xx after PostgreSQL was back');
      healthy = false;
    }
  }
  return healthy ? 0 : 1;
}

/**
 * One round of a user's session, as autocannon requests: each connection signs in as the next user, then works
 * on a task of its own. A request that needs the round's task falls back to the list while there is none (the
 * create failed during an outage), so that only the outage itself shows as failures.
 */
function sessionRequests(users: User[], count: (kind: Kind, status: number) => void): autocannon.Request[] {
  let next = 0;
  const json = (round: Round) => ({
    'content-type': 'application/json',
    authorization: `Bearer ${round.user?.token ?? ''}`,
  });
  const request = (
    kind: Kind,
    build: (round: Round) => Partial<autocannon.Request>,
    read?: (body: Record<string, unknown>, round: Round) => void,
  ): autocannon.Request => ({
    setupRequest: (req, context) => ({ ...req, headers: json(context as Round), ...build(context as Round) }),
    onResponse: (status, body, context) => {
      count(kind, status);
      if (status < 300 && read && body) read(JSON.parse(body), context as Round);
    },
  });
  const list = (query = '') => request('list', () => ({ method: 'GET', path: `/api/me/tasks${query}` }));
  const onTask = (kind: Kind, build: (round: Round, id: number) => Partial<autocannon.Request>) =>
    request(kind, (round) =>
      round.taskId === undefined ? { method: 'GET', path: '/api/me/tasks' } : build(round, round.taskId),
    );
  return [
    request(
      'sign-in',
      (round) => {
        round.user = users[next++ % users.length];
        return {
          method: 'POST',
          path: '/api/auth/login',
          body: JSON.stringify({ email: round.user?.email, password: PASSWORD }),
        };
      },
      (body, round) => {
        if (round.user) round.user.token = String(body.access_token);
      },
    ),
    list(),
    request(
      'create',
      () => ({
        method: 'POST',
        path: '/api/me/tasks',
        body: JSON.stringify({ title: `Soak ${randomBytes(3).toString('hex')}`, tags: ['soak'] }),
      }),
      (body, round) => {
        round.taskId = Number(body.id);
      },
    ),
    list('?status=pending&sort_by=due_date'),
    onTask('update', (_round, id) => ({
      method: 'PATCH',
      path: `/api/me/tasks/${id}`,
      body: JSON.stringify({ priority: 'high', description: 'changed by the soak' }),
    })),
    onTask('list', (_round, id) => ({ method: 'GET', path: `/api/me/tasks/${id}` })),
    request(
      'chat',
      () => ({
        method: 'POST',
        path: '/api/me/chat',
        body: JSON.stringify({ message: 'add call the soak team tomorrow 5pm p2 #soak' }),
      }),
      (body, round) => {
        round.conversationId = Number(body.conversation_id);
      },
    ),
    list('?search=soak&limit=20'),
    onTask('update', (_round, id) => ({ method: 'PATCH', path: `/api/me/tasks/${id}/complete`, body: '{}' })),
    request('chat', (round) => ({
      method: 'POST',
      path: '/api/me/chat',
      body: JSON.stringify({ message: "what's due today?", conversation_id: round.conversationId }),
    })),
    request('list', () => ({ method: 'GET', path: '/api/me/tags' })),
    request('ask', () => ({
      method: 'POST',
      path: '/api/knowledge/ask',
      body: JSON.stringify({ query: 'How do I make a task repeat every week?' }),
    })),
  ];
}

interface Bucket {
  latencies: number[];
  failed: number;
  unavailable: number;
}

function newBucket(): Bucket {
  return { latencies: [], failed: 0, unavailable: 0 };
}

function summarize(
  bucket: Bucket,
  at: number,
  rss: number,
  cpuShare: number,
): Record<string, string | number> {
  const sorted = bucket.latencies.sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    at: clock(at),
    'req/s': Math.round(sorted.length / REPORT_SECONDS),
    'p50 ms': Math.round(pick(0.5)),
    'p99 ms': Math.round(pick(0.99)),
    'max ms': Math.round(sorted.at(-1) ?? 0),
    'not 2xx': bucket.failed,
    'of them 503': bucket.unavailable,
    'RSS MiB': rss,
    'CPU %': Math.round(cpuShare * 100),
  };
}

function clock(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
