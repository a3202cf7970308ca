import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** These tests run the service the way people do (`npm start` runs `node src/main.ts`), as a real process. */
const MAIN = new URL('../src/main.ts', import.meta.url).pathname;

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Running {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !['DATABASE_URL', 'REDIS_URL', 'NODE_ENV', 'JWT_SECRET'].includes(key),
    ),
  );
  const child = spawn(process.execPath, [MAIN], {
    env: { ...clean, LOG_LEVEL: 'info', ...env },
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

async function waitReady(port: number, running: Running): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (running.child.exitCode !== null) throw new Error(`exited early:\n${running.output()}`);
    if (performance.now() - started > 60_000) throw new Error(`not ready after 60 s:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the service as a process, on the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'doable-service-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('starts with no configuration, keeps data and secrets across a restart, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const first = start({ DATA_DIR: dataDir, PORT: String(port) });
    await waitReady(port, first);
    const base = `http://127.0.0.1:${port}`;
    const credentials = { email: 'restart@example.com', password: 'survives restarts' };
    const registered = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    });
    expect(registered.status).toBe(201);
    const { access_token } = (await registered.json()) as { access_token: string };

    // A second process on the same data directory is refused with a message that says what to do.
    const second = start({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/in use by another Doable process/);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/shutting down/);

    const again = start({ DATA_DIR: dataDir, PORT: String(port) });
    await waitReady(port, again);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    });
    expect(login.status).toBe(200);
    // The generated secret was kept, so tokens issued before the restart still work.
    const me = await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(me.status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 150_000);

  it('refuses to start in production without a secret, naming the variable', async () => {
    const running = start({ DATA_DIR: dataDir, NODE_ENV: 'production', PORT: String(await freePort()) });
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(/JWT_SECRET is required in production/);
  });
});
