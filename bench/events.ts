import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cpuMicros,
  type EventStream,
  openEventStream,
  postJson,
  printTable,
  rssMiB,
  type Service,
  scratchPostgres,
  startService,
} from './lib.ts';

/**
 * Live updates benchmark: the fan-out of one change to many open streams (GET /api/me/events), on the embedded
 * database and on PostgreSQL, the service as its own process and this script as every client.
 *
 * - `one account`: BENCH_USERS × BENCH_STREAMS_PER_USER streams (1,000 by default) all of one account (the
 *   per-account cap raised for it), and one change: the time from sending the change until each stream has its
 *   event, p50, p99 and max, over BENCH_ROUNDS changes.
 * - `many accounts`: BENCH_USERS accounts (200) with BENCH_STREAMS_PER_USER streams each (5), and every account
 *   changing one task at the same moment: the same times, for 200 changes at once.
 * Besides: the service's resident memory per open stream (RSS with the streams open, less before), and its CPU
 * time per delivered event.
 *
 *   npm run bench:events                                          # PGlite only
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:events
 *
 * The client side (parsing 1,000 streams) runs in this process, on the same machine: on two cores the times are
 * the machine's as much as the service's.
 */
const USERS = Number(process.env.BENCH_USERS ?? 200);
const PER_USER = Number(process.env.BENCH_STREAMS_PER_USER ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const STREAMS = USERS * PER_USER;

const targets: Array<{
  name: string;
  open(): Promise<{ env: Record<string, string | undefined>; drop(): Promise<void> }>;
}> = [
  {
    name: 'pglite',
    open: async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'doable-bench-events-'));
      return {
        env: { DATABASE_URL: undefined, DATA_DIR: dataDir },
        drop: () => rm(dataDir, { recursive: true, force: true }),
      };
    },
  },
];
const adminUrl = process.env.BENCH_DATABASE_URL;
if (adminUrl) targets.push({ name: 'postgres', open: () => scratchPostgres(adminUrl) });

const rows: Array<Record<string, string | number>> = [];
for (const target of targets) {
  const database = await target.open();
  const service = await startService({
    ...database.env,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ACCESS_TOKEN_EXPIRE_MINUTES: '1440',
    REDIS_URL: undefined,
    KNOWLEDGE_SEED_DOCS: 'false',
    EVENTS_STREAMS_PER_USER: String(Math.max(PER_USER, STREAMS)),
    EVENTS_MAX_STREAMS: String(STREAMS * 2),
  });
  try {
    const tokens = await register(service, USERS);
    const pid = service.child.pid ?? 0;

    // One account, every stream.
    const idle = await rssMiB(pid);
    let streams = await openStreams(
      service,
      Array.from({ length: STREAMS }, () => tokens[0] as string),
    );
    const open = await rssMiB(pid);
    const perStream = Math.round(((open - idle) * 1024 * 1024) / STREAMS / 100) * 100;
    const oneAccount: number[] = [];
    const cpuBefore = await cpuMicros(pid);
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const taskId = await addTask(service, tokens[0] as string, `fan-out ${round}`);
      const arrivals = await Promise.all(streams.map((stream) => arrival(stream, taskId)));
      oneAccount.push(...arrivals.map((at) => at - started));
    }
    const cpuPerEvent = ((await cpuMicros(pid)) - cpuBefore) / (ROUNDS * STREAMS);
    for (const stream of streams) stream.close();
    rows.push({
      target: target.name,
      scenario: `one account, ${STREAMS} streams, one change (× ${ROUNDS})`,
      ...summary(oneAccount),
      'RSS per stream': `${(perStream / 1024).toFixed(1)} KiB`,
      'CPU µs per delivery': Math.round(cpuPerEvent),
    });

    // Many accounts, a few streams each, all changing at once.
    await new Promise((resolve) => setTimeout(resolve, 500));
    streams = await openStreams(
      service,
      tokens.flatMap((token) => Array.from({ length: PER_USER }, () => token)),
    );
    const manyAccounts: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const taskIds = await Promise.all(
        tokens.map((token, i) => addTask(service, token, `burst ${round} ${i}`)),
      );
      const arrivals = await Promise.all(
        streams.map((stream, i) => arrival(stream, taskIds[Math.floor(i / PER_USER)] as number)),
      );
      manyAccounts.push(...arrivals.map((at) => at - started));
    }
    for (const stream of streams) stream.close();
    rows.push({
      target: target.name,
      scenario: `${USERS} accounts × ${PER_USER} streams, ${USERS} changes at once (× ${ROUNDS})`,
      ...summary(manyAccounts),
      'RSS per stream': '',
      'CPU µs per delivery': '',
    });
  } finally {
    await service.stop();
    await database.drop();
  }
}

console.log(
  `\nTime from sending a change (POST /api/me/tasks) until each stream had its event; ${STREAMS} streams open.\n`,
);
printTable(rows);

function summary(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (share: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0);
  return { 'p50 ms': at(0.5), 'p99 ms': at(0.99), 'max ms': Math.round(sorted.at(-1) ?? 0) };
}

async function register(service: Service, count: number): Promise<string[]> {
  const tokens: string[] = [];
  // A few at a time: each sign-up hashes a password.
  for (let i = 0; i < count; i += 8) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(8, count - i) }, () =>
        postJson<{ access_token: string }>(`${service.url}/api/auth/register`, {
          email: `live-${randomBytes(5).toString('hex')}@example.com`,
          password: 'benchmark password',
        }),
      ),
    );
    tokens.push(...batch.map((session) => session.access_token));
  }
  return tokens;
}

/** Opens a stream per token, 50 at a time, each waited for until its beginning is read. */
async function openStreams(service: Service, tokens: string[]): Promise<EventStream[]> {
  const streams: EventStream[] = [];
  for (let i = 0; i < tokens.length; i += 50) {
    const batch = await Promise.all(
      tokens.slice(i, i + 50).map(async (token) => {
        const stream = await openEventStream(`${service.url}/api/me/events`, {
          authorization: `Bearer ${token}`,
        });
        if (stream.status !== 200) throw new Error(`a stream was refused: ${stream.status}`);
        await stream.next((block) => block.id !== undefined && block.event === '', 30_000);
        return stream;
      }),
    );
    streams.push(...batch);
  }
  return streams;
}

async function addTask(service: Service, token: string, title: string): Promise<number> {
  const task = await postJson<{ id: number }>(
    `${service.url}/api/me/tasks`,
    { title },
    { authorization: `Bearer ${token}` },
  );
  return task.id;
}

/** When (performance.now()) the stream read the event of the task's creation. */
async function arrival(stream: EventStream, taskId: number): Promise<number> {
  const block = await stream.next(
    (candidate) => candidate.event === 'task.created' && JSON.parse(candidate.data).task_id === taskId,
    60_000,
  );
  return block.at;
}
