import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../bench/lib.ts';
import { openDatabase } from '../src/db/database.ts';
import { type Running, start, waitReady } from './processes.ts';

const run = promisify(execFile);
const CLI = new URL('../src/cli/backup.ts', import.meta.url).pathname;
const CHECKOUT = new URL('..', import.meta.url).pathname;

/** Runs a command line as a person types it, in `cwd`; resolves with its exit code and what it printed. */
async function typed(line: string, cwd: string, env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !['DATABASE_URL', 'REDIS_URL', 'NODE_ENV', 'DATA_DIR'].includes(key) && !key.startsWith('npm_'),
    ),
  );
  try {
    const { stdout, stderr } = await run('sh', ['-c', line], { cwd, env: { ...clean, ...env } });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: `${failed.stdout}${failed.stderr}` };
  }
}

/** Runs `npm run backup|restore` as people do; resolves with its exit code and what it printed. */
async function command(name: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !['DATABASE_URL', 'REDIS_URL', 'NODE_ENV'].includes(key)),
  );
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, name, ...args], {
      env: { ...clean, ...env },
    });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: `${failed.stdout}${failed.stderr}` };
  }
}

async function stop(running: Running) {
  running.child.kill('SIGTERM');
  expect(await running.exited).toBe(0);
}

describe('backup and restore of the embedded database', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'doable-backup-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('copies the database while the service serves writes, and the copy starts a service with every write acknowledged before', async () => {
    // A migrated database to start from, copied from the run's template (the PostgreSQL run has none, and the
    // service creates one): creating one takes a minute on a busy machine, and is not what this test is about.
    const source = join(dir, 'source');
    const template = inject('pgliteTemplate');
    if (template) {
      await (
        await openDatabase({ dataDir: source, loadDataDir: new Blob([await readFile(template)]) })
      ).close();
    }
    const port = await freePort();
    const service = start({ DATA_DIR: source, PORT: String(port), RATE_LIMIT_ENABLED: 'false' });
    await waitReady(port, service);
    const base = `http://127.0.0.1:${port}`;
    const account = { email: 'backup@example.com', password: 'kept in the backup' };
    const registered = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account),
    });
    const { access_token } = (await registered.json()) as { access_token: string };

    // Writes go on, one after another, before, during and after the backup.
    const acknowledged: string[] = [];
    let writing = true;
    const writes = (async () => {
      for (let i = 0; writing; i++) {
        const response = await fetch(`${base}/api/me/tasks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
          body: JSON.stringify({ title: `task ${i}`, tags: ['backup'] }),
        });
        if (response.status === 201) acknowledged.push(`task ${i}`);
      }
    })();
    while (acknowledged.length < 20) await new Promise((resolve) => setTimeout(resolve, 20));

    const file = join(dir, 'doable.tar.gz');
    const before = [...acknowledged];
    const backup = await command('backup', [file], { DATA_DIR: source });
    const during = acknowledged.length - before.length;
    writing = false;
    await writes;
    expect(backup.output).toMatch(
      /^Backup written to .*doable\.tar\.gz \([\d.]+ MB, [\d.]+ s, taken by the running service\)/,
    );
    expect(backup.code).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // The service kept answering while the copy was taken.
    expect(during).toBeGreaterThan(0);
    await stop(service);

    const target = join(dir, 'target');
    const restored = await command('restore', [file], { DATA_DIR: target });
    expect(restored.code).toBe(0);
    expect(restored.output).toMatch(
      /^Restored .* 1 account\(s\), \d+ task\(s\)\. Start the service on it with: DATA_DIR=\S+ npm start \(or set DATA_DIR=\S+ in \.env\)\.\n$/,
    );

    const again = await command('restore', [file], { DATA_DIR: target });
    expect(again.code).toBe(1);
    expect(again.output).toBe(
      `${join(target, 'pglite')} is not empty: a backup is restored into an empty data directory only; set DATA_DIR to a new folder, or move this one away first.\n`,
    );

    const copy = start({ DATA_DIR: target, PORT: String(port) });
    await waitReady(port, copy);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account),
    });
    expect(login.status).toBe(200);
    const session = (await login.json()) as { access_token: string };
    const titles: string[] = [];
    for (let total = 1; titles.length < total; ) {
      const page = await fetch(`${base}/api/me/tasks?limit=200&offset=${titles.length}&tags=backup`, {
        headers: { authorization: `Bearer ${session.access_token}` },
      });
      const body = (await page.json()) as { tasks: Array<{ title: string }>; total: number };
      titles.push(...body.tasks.map((task) => task.title));
      total = body.total;
    }
    // Every write acknowledged before the backup began is there, whole (with its tag); later ones may be too.
    expect(titles).toEqual(expect.arrayContaining(before));
    expect(titles.length).toBeLessThanOrEqual(acknowledged.length);
    expect(restored.output).toContain(`${titles.length} task(s)`);
    await stop(copy);

    // With no service running, the backup opens the database itself.
    const offline = await command('backup', [join(dir, 'offline.tar.gz')], { DATA_DIR: target });
    expect(offline.output).toMatch(/no service was running/);
    expect(offline.code).toBe(0);
  }, 600_000);

  it('writes into backups/, which git ignores, never unignored into a checkout, and prints commands that work as printed', async () => {
    // A checkout of Doable of its own (the project's files linked in, its .gitignore copied), with a database.
    const checkout = join(dir, 'checkout');
    await run('git', ['init', '--quiet', checkout]);
    for (const name of ['package.json', 'src', 'migrations', 'node_modules', 'vendor', 'docs'])
      await symlink(join(CHECKOUT, name), join(checkout, name));
    await copyFile(join(CHECKOUT, '.gitignore'), join(checkout, '.gitignore'));
    const template = inject('pgliteTemplate');
    await (
      await openDatabase({
        dataDir: join(checkout, 'data'),
        ...(template ? { loadDataDir: new Blob([await readFile(template)]) } : {}),
      })
    ).close();

    const refused = await typed('npm run --silent backup -- ./doable.tar.gz', checkout);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(
      /^\.\/doable\.tar\.gz is inside the git checkout .* and not ignored by git/,
    );
    expect(existsSync(join(checkout, 'doable.tar.gz'))).toBe(false);

    const backup = await typed('npm run --silent backup', checkout);
    expect(backup.code, backup.output).toBe(0);
    const [, file = '', restore = ''] =
      /^Backup written to (backups\/doable-backup-\S+\.tar\.gz) .*Restore it into a new data directory with: (.*)$/m.exec(
        backup.output,
      ) ?? [];
    expect(restore).toBe(`DATA_DIR=./data-restored npm run restore -- ./${file}`);
    // git ignores the backup: `git add .` would leave it out.
    expect((await run('git', ['-C', checkout, 'status', '--porcelain'])).stdout).not.toContain('backups');
    await run('git', ['-C', checkout, 'check-ignore', '--quiet', file]);

    const restored = await typed(restore, checkout);
    expect(restored.code, restored.output).toBe(0);
    const [, startLine = ''] = /Start the service on it with: (.*) \(or set/.exec(restored.output) ?? [];
    expect(startLine).toBe('DATA_DIR=./data-restored npm start');

    // And the service starts on the restored data, as said.
    const port = await freePort();
    const service = spawn('sh', ['-c', startLine], {
      cwd: checkout,
      env: {
        ...process.env,
        DATA_DIR: undefined,
        DATABASE_URL: undefined,
        REDIS_URL: undefined,
        PORT: String(port),
      },
      detached: true,
      stdio: 'pipe',
    });
    let output = '';
    service.stdout.on('data', (chunk) => (output += chunk));
    try {
      await waitReady(port, { child: service, output: () => output, exited: new Promise(() => {}) });
      expect(output).toContain(`opening the embedded database in ./data-restored`);
    } finally {
      process.kill(-(service.pid as number), 'SIGTERM');
      const lock = join(checkout, 'data-restored', 'pglite', 'doable.lock');
      for (let waited = 0; existsSync(lock) && waited < 10_000; waited += 100)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(existsSync(lock)).toBe(false);
    }
  }, 300_000);

  it('refuses a file that is not a backup, and leaves the data directory empty', async () => {
    const target = join(dir, 'garbage-target');
    const file = join(dir, 'not-a-backup.tar.gz');
    await writeFile(file, 'not a tarball');
    const restored = await command('restore', [file], { DATA_DIR: target });
    expect(restored.code).toBe(1);
    expect(restored.output).toMatch(
      /^Restore failed: this file is not a backup of a Doable embedded database/,
    );
    expect(existsSync(join(target, 'pglite')) ? await readdir(join(target, 'pglite')) : []).toEqual([]);
  }, 120_000);

  it('points PostgreSQL users at pg_dump and pg_restore', async () => {
    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', DATA_DIR: join(dir, 'unused') };
    const backup = await command('backup', [], env);
    expect(backup.code).toBe(1);
    expect(backup.output).toMatch(
      /^DATABASE_URL is set: back PostgreSQL up with its own tools, e.g. pg_dump/,
    );
    const restore = await command('restore', ['x.dump'], env);
    expect(restore.code).toBe(1);
    expect(restore.output).toMatch(
      /^DATABASE_URL is set: restore PostgreSQL with its own tools, e.g. pg_restore/,
    );
  });
});
