import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll } from 'vitest';

/** Runs the service the way people do (`npm start` runs `node src/main.ts`), as a real process, for the tests. */
const MAIN = new URL('../src/main.ts', import.meta.url).pathname;
const CHECKOUT = new URL('..', import.meta.url).pathname;

export interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Every process a test started, so that none outlives a failed test (and keeps writing to a directory). */
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export function start(
  env: Record<string, string>,
  /**
   * `uid`: run as that user and group id (with setpriv, as root), e.g. 65534 for `nobody`. `npm`: through
   * `npm start` in the checkout, as a process manager or a terminal would run it (the child is then npm, not the
   * service, and leads a process group).
   */
  options: { cwd?: string; main?: string; nodeArgs?: string[]; uid?: number; npm?: boolean } = {},
): Running {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !['DATABASE_URL', 'REDIS_URL', 'NODE_ENV', 'JWT_SECRET'].includes(key),
    ),
  );
  const command = options.npm
    ? ['npm', 'start', '--silent']
    : [process.execPath, ...(options.nodeArgs ?? []), options.main ?? MAIN];
  const asUser =
    options.uid === undefined
      ? []
      : ['setpriv', `--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups', '--'];
  const [program = '', ...args] = [...asUser, ...command];
  const child = spawn(program, args, {
    env: { ...clean, LOG_LEVEL: 'info', ...env },
    cwd: options.cwd ?? (options.npm ? CHECKOUT : undefined),
    // npm leads a process group of its own, as in a terminal, where Ctrl-C signals the whole group.
    detached: options.npm,
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  children.add(child);
  return { child, output: () => output, exited };
}

export async function waitReady(port: number, running: Running): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (response.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (running.child.exitCode !== null) throw new Error(`exited early:\n${running.output()}`);
    // A first start creates the embedded database: seconds alone, over a minute on a machine busy with the suite.
    if (performance.now() - started > 150_000) throw new Error(`not ready after 150 s:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
