import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { adminQuery, type Service, startService, withDatabase } from '../bench/lib.ts';
import { POSTGRES_URL, TEST_SECRET } from './helpers.ts';

/**
 * Kills the service with SIGKILL in the middle of a write load, starts it again on the same data, and checks that
 * every write it acknowledged (2xx) is there with its effect. CRASH_ROUNDS sets the number of kills per database.
 */
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3);
const CLIENTS = 6;
/** Acknowledged writes a round waits for before it picks the moment to kill. */
const WRITES_BEFORE_KILL = 30;

/** What a task is, as far as a client knows: its fields, or gone. */
type TaskState = { title: string; priority: string; completed: boolean } | 'gone';

interface TrackedTask {
  /** The state after the last acknowledged write. */
  acknowledged: TaskState;
  /** The state a write in flight at the kill would give: the task may be in either. */
  inFlight?: TaskState;
}

interface Client {
  email: string;
  token: string;
  tasks: Map<string, TrackedTask>;
  /** Creates sent without an answer: each may or may not have happened. */
  unansweredCreates: number;
}

interface Tally {
  acknowledged: number;
  lost: number;
  unexpectedStatuses: string[];
  /** Start to ready after each kill. */
  restartMs: number[];
}

const started = new Set<Service>();
afterAll(async () => {
  for (const service of started) if (service.child.exitCode === null) service.child.kill('SIGKILL');
});

async function start(env: Record<string, string | undefined>): Promise<Service> {
  const service = await startService({
    // The service as people run it, not as the test runner's environment would make it.
    NODE_ENV: undefined,
    REDIS_URL: undefined,
    JWT_SECRET: TEST_SECRET,
    KNOWLEDGE_SEED_DOCS: 'false',
    ...env,
  });
  started.add(service);
  return service;
}

async function call<T>(service: Service, client: Client, method: string, path: string, body?: object) {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${client.token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return {
    status: response.status,
    body: (response.status === 204 ? undefined : await response.json()) as T,
  };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/**
 * One client's writes, one at a time, until the service stops answering: creates, updates, completions and
 * deletes, each recorded as acknowledged only on a 2xx.
 */
async function writeUntilKilled(service: Service, client: Client, tally: Tally) {
  for (let n = 0; ; n++) {
    const live = [...client.tasks].filter(([, task]) => task.acknowledged !== 'gone');
    const action = live.length < 3 ? 'create' : pick(['create', 'update', 'complete', 'delete'] as const);
    const [id, task] = action === 'create' ? [undefined, undefined] : pick(live);
    const current = task?.acknowledged === 'gone' ? undefined : task?.acknowledged;
    let next: TaskState;
    let request: [method: string, path: string, body?: object];
    if (!id || !task || !current) {
      next = { title: `${client.email} task ${n}`, priority: 'low', completed: false };
      request = ['POST', '/api/me/tasks', { title: next.title, priority: next.priority }];
    } else if (action === 'update') {
      next = { ...current, title: `${current.title} / ${n}`, priority: pick(['medium', 'high', 'urgent']) };
      request = ['PATCH', `/api/me/tasks/${id}`, { title: next.title, priority: next.priority }];
    } else if (action === 'complete') {
      next = { ...current, completed: !current.completed };
      request = ['PATCH', `/api/me/tasks/${id}/complete`, { completed: next.completed }];
    } else {
      next = 'gone';
      request = ['DELETE', `/api/me/tasks/${id}`];
    }
    let answer: { status: number; body: { id: string } };
    try {
      answer = await call<{ id: string }>(service, client, ...request);
    } catch {
      // No answer: the service was killed with this write in flight.
      if (task) task.inFlight = next;
      else client.unansweredCreates++;
      return;
    }
    if (answer.status >= 300) {
      tally.unexpectedStatuses.push(`${request[0]} ${request[1]} → ${answer.status}`);
      return;
    }
    tally.acknowledged++;
    if (task) task.acknowledged = next;
    else client.tasks.set(answer.body.id, { acknowledged: next });
  }
}

/** Reads every task of each client after a restart and counts the acknowledged writes that are not there. */
async function verify(service: Service, clients: Client[], tally: Tally) {
  for (const client of clients) {
    const found = new Map<string, TaskState>();
    for (let offset = 0; ; offset += 200) {
      const page = await call<{ tasks: Array<{ id: string } & Exclude<TaskState, 'gone'>> }>(
        service,
        client,
        'GET',
        `/api/me/tasks?status=all&limit=200&offset=${offset}`,
      );
      expect(page.status).toBe(200);
      for (const task of page.body.tasks)
        found.set(task.id, { title: task.title, priority: task.priority, completed: task.completed });
      if (page.body.tasks.length < 200) break;
    }
    const same = (a: TaskState | undefined, b: TaskState | undefined) =>
      JSON.stringify(a) === JSON.stringify(b);
    for (const [id, task] of client.tasks) {
      const actual = found.get(id) ?? 'gone';
      found.delete(id);
      if (same(actual, task.acknowledged) || same(actual, task.inFlight)) {
        task.acknowledged = actual;
        task.inFlight = undefined;
      } else {
        tally.lost++;
        console.error(
          `lost write on task ${id}: expected ${JSON.stringify(task)}, found ${JSON.stringify(actual)}`,
        );
      }
    }
    // Tasks nobody was told about can only come from creates that were in flight at the kill.
    expect(found.size).toBeLessThanOrEqual(client.unansweredCreates);
    for (const [id, state] of found) client.tasks.set(id, { acknowledged: state });
    client.unansweredCreates = 0;
  }
}

async function registerClients(service: Service): Promise<Client[]> {
  return Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const email = `crash-${randomBytes(4).toString('hex')}@example.com`;
      const response = await fetch(`${service.url}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'survives a crash' }),
      });
      expect(response.status).toBe(201);
      const { access_token } = (await response.json()) as { access_token: string };
      return { email, token: access_token, tasks: new Map(), unansweredCreates: 0 };
    }),
  );
}

/** Kill rounds on one database; returns the tally for the note. */
async function killRounds(env: Record<string, string | undefined>): Promise<Tally> {
  const tally: Tally = { acknowledged: 0, lost: 0, unexpectedStatuses: [], restartMs: [] };
  let service = await start(env);
  const clients = await registerClients(service);
  for (let round = 0; round < ROUNDS; round++) {
    const before = tally.acknowledged;
    let writing = true;
    const writers = Promise.all(clients.map((client) => writeUntilKilled(service, client, tally))).finally(
      () => (writing = false),
    );
    while (writing && tally.acknowledged - before < WRITES_BEFORE_KILL)
      await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, Math.random() * 300));
    const exited = new Promise((resolve) => service.child.once('exit', resolve));
    service.child.kill('SIGKILL');
    await exited;
    await writers;
    // The same data: a PGlite directory whose lock was left behind by the killed process, or the same database.
    service = await start(env);
    tally.restartMs.push(service.readyMs);
    await verify(service, clients, tally);
  }
  await service.stop();
  return tally;
}

function report(database: string, tally: Tally) {
  console.log(
    `crash safety on ${database}: ${ROUNDS} SIGKILL rounds, ${tally.acknowledged} acknowledged writes, ${tally.lost} lost; ` +
      `ready again in ${Math.round(Math.min(...tally.restartMs))}–${Math.round(Math.max(...tally.restartMs))} ms after a kill`,
  );
  expect(tally.unexpectedStatuses).toEqual([]);
  expect(tally.lost).toBe(0);
}

// A first start creates the embedded database (seconds; more on a machine busy with the suite); each round restarts.
const timeout = 180_000 + ROUNDS * 60_000;

describe('a SIGKILL in the middle of a write load', () => {
  it(
    'loses no acknowledged write on the embedded database, which opens again after each kill',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'doable-crash-'));
      // The run's migrated template as the data directory spares the test a first start (initdb, a minute on a
      // busy machine), which is not what it is about. A PostgreSQL run has none: the first start creates it.
      const template = inject('pgliteTemplate');
      if (template) {
        await mkdir(join(dataDir, 'pglite'));
        execFileSync('tar', ['-xf', template, '-C', join(dataDir, 'pglite')], { stdio: 'ignore' });
      }
      try {
        report('PGlite', await killRounds({ DATABASE_URL: undefined, DATA_DIR: dataDir }));
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    timeout,
  );

  it.skipIf(!inject('postgresAvailable'))(
    'loses no acknowledged write on PostgreSQL',
    async () => {
      const name = `doable_crash_${randomBytes(4).toString('hex')}`;
      const template = inject('postgresTemplate');
      await adminQuery(POSTGRES_URL, `create database ${name}${template ? ` template ${template}` : ''}`);
      const dataDir = await mkdtemp(join(tmpdir(), 'doable-crash-'));
      try {
        report(
          'PostgreSQL',
          await killRounds({ DATABASE_URL: withDatabase(POSTGRES_URL, name), DATA_DIR: dataDir }),
        );
      } finally {
        await adminQuery(POSTGRES_URL, `drop database if exists ${name} with (force)`);
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    timeout,
  );
});
