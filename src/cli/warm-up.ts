import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Starts the service once on a scratch DATA_DIR, waits until /health/ready answers, and stops it. The image build
 * runs it as the user the container runs as, so that Node's compile cache (NODE_COMPILE_CACHE) already holds
 * every module a start loads, compiled and stripped of its types, and a container's first start parses nothing.
 * It fails (and with it the build) when the start did not copy the embedded database template: a container would
 * then run initdb and the migrations at each fresh start.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'doable-warm-up-'));
const port = String(7000 + Math.floor(Math.random() * 1000));
const child = spawn(process.execPath, [new URL('../main.ts', import.meta.url).pathname], {
  env: {
    ...process.env,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: port,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'info',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
child.stdout.on('data', (chunk) => (output += chunk));
child.stderr.on('data', (chunk) => (output += chunk));
const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));

function fail(reason: string): never {
  console.error(`warm-up: ${reason}\n${output}`);
  child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}

const started = performance.now();
for (;;) {
  const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
    (response) => response.ok,
    () => false,
  );
  if (ready) break;
  if (child.exitCode !== null) fail('the service exited before it was ready');
  if (performance.now() - started > 120_000) fail('the service was not ready within 120 s');
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const ms = Math.round(performance.now() - started);
child.kill('SIGTERM');
const status = await exited;
rmSync(dataDir, { recursive: true, force: true });
if (status !== 0) fail(`the service exited with status ${status} on SIGTERM`);
if (!output.includes('copied the embedded database template'))
  fail('the service did not copy the embedded database template');
console.log(`warm-up: ready in ${ms} ms, compile cache filled, template copied`);
