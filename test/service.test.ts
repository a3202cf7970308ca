import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  chown,
  copyFile,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, matchesGlob } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminQuery, freePort, withDatabase } from '../bench/lib.ts';
import { POSTGRES_URL } from './helpers.ts';
import { type Running, start, waitReady } from './processes.ts';

/**
 * Node arguments that make the process write, as it exits, the packages it loaded (every module an import or
 * require loaded; loaded, not resolved, since a start answers most resolutions from the last one's, see
 * module-loading.ts): `packages ["fastify",…]` on stderr.
 */
const RECORD_PACKAGES = [
  '--import',
  `data:text/javascript,${encodeURIComponent(`
    import { registerHooks } from 'node:module';
    import { writeSync } from 'node:fs';
    const packages = new Set();
    registerHooks({
      load(url, context, next) {
        const names = [...url.matchAll(new RegExp('node_modules/((?:@[^/]+/)?[^/]+)', 'g'))];
        if (names.length > 0) packages.add(names.at(-1)[1]);
        return next(url, context);
      },
    });
    process.on('exit', () => writeSync(2, 'packages ' + JSON.stringify([...packages]) + '\\n'));
  `)}`,
];
const loadedPackages = (running: Running): string[] =>
  JSON.parse(/^packages (.*)$/m.exec(running.output())?.[1] ?? '[]');

/**
 * What the default configuration does not use, and what only some requests use (loaded by the first of them),
 * none of which may be loaded at a start (DESIGN.md §6). (Ajv is loaded: fast-json-stringify, which writes the
 * responses, the readiness probe's first, validates with it; Fastify's own use of it is not.)
 */
const UNCONFIGURED = [
  'openai',
  'arctic',
  'ioredis',
  '@modelcontextprotocol/sdk',
  'chrono-node',
  'oidc-provider',
  'koa',
  'yaml',
];

/** Starts the service with RECORD_PACKAGES, waits until it is ready, stops it; the packages it loaded. */
async function packagesOfAStart(env: Record<string, string>): Promise<string[]> {
  const port = await freePort();
  const running = start({ ...env, PORT: String(port) }, { nodeArgs: RECORD_PACKAGES });
  await waitReady(port, running);
  running.child.kill('SIGTERM');
  expect(await running.exited).toBe(0);
  return loadedPackages(running);
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
    // A first start says what takes its time, and ends with where to go.
    expect(first.output()).toMatch(
      /creating the embedded database in \S+ \(first start, takes a few seconds\)…[\s\S]*applying migrations…/,
    );
    expect(first.output()).toContain(
      `Doable is ready on http://localhost:${port} (API docs at http://localhost:${port}/docs)`,
    );
    const base = `http://127.0.0.1:${port}`;
    const credentials = { email: 'restart@example.com', password: 'survives restarts' };
    const registered = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    });
    expect(registered.status).toBe(201);
    const { access_token } = (await registered.json()) as { access_token: string };
    // The spec as YAML, whose writer the process loads only now (see resolveOnFirstUse in module-loading.ts).
    const yaml = await fetch(`${base}/docs/yaml`);
    expect(yaml.status).toBe(200);
    expect(await yaml.text()).toMatch(/^openapi: 3\.\d/m);

    // A second process on the same data directory is refused with a message that says what to do.
    const second = start({ DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/in use by another Doable process/);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/shutting down/);

    const again = start({ DATA_DIR: dataDir, PORT: String(port) });
    await waitReady(port, again);
    expect(again.output()).toMatch(/opening the embedded database in /);
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
  }, 300_000);

  it.each([
    ['a process manager sends SIGTERM to npm', 'SIGTERM', (npm: number) => process.kill(npm, 'SIGTERM')],
    ['Ctrl-C signals npm and the service alike', 'SIGINT', (npm: number) => process.kill(-npm, 'SIGINT')],
  ])(
    'stops gracefully when %s, releasing the port and the database lock',
    async (_how, signal, send) => {
      const dir = await mkdtemp(join(tmpdir(), 'doable-npm-start-'));
      let service: number | undefined;
      try {
        const port = await freePort();
        const npm = start({ DATA_DIR: dir, PORT: String(port) }, { npm: true });
        await waitReady(port, npm);
        const lock = join(dir, 'pglite', 'doable.lock');
        service = Number(await readFile(lock, 'utf8'));
        expect(service).not.toBe(npm.child.pid);
        send(npm.child.pid as number);
        const sent = performance.now();
        // npm waits for the service's graceful stop, and exits as it did.
        expect(await npm.exited).toBe(0);
        expect(performance.now() - sent).toBeLessThan(5_000);
        expect(npm.output()).toContain(`"signal":"${signal}","msg":"shutting down`);
        expect(existsSync(lock)).toBe(false);
        expect(() => process.kill(service as number, 0)).toThrow();
        const probe = createServer();
        await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, resolve));
        await new Promise((resolve) => probe.close(resolve));
      } finally {
        try {
          // A service left behind by npm (what this test is about) must not outlive it.
          if (service) process.kill(service, 'SIGKILL');
        } catch {
          // Gone already, as it should be.
        }
        await rm(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );

  it('loads the embedded database, and no code for PostgreSQL or for what is not configured', async () => {
    const packages = await packagesOfAStart({ DATA_DIR: dataDir });
    expect(packages).toContain('@electric-sql/pglite');
    // Nor the markdown lexer: the embedded database's user guide comes with its template, already split (a new
    // PostgreSQL database ingests it, and loads the lexer).
    for (const unused of ['pg', 'marked', ...UNCONFIGURED]) expect(packages).not.toContain(unused);
  }, 300_000); // the first start of the embedded database, unless the test above made it

  it('refuses to start in production without a secret, naming the variable', async () => {
    const running = start({ DATA_DIR: dataDir, NODE_ENV: 'production', PORT: String(await freePort()) });
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(/JWT_SECRET is required in production/);
  });
});

describe.skipIf(!inject('postgresAvailable'))('the service as a process, on PostgreSQL', () => {
  it('loads the PostgreSQL driver, and no code for the embedded database or for what is not configured', async () => {
    const name = `doable_service_${randomBytes(4).toString('hex')}`;
    await adminQuery(POSTGRES_URL, `create database ${name}`);
    try {
      const packages = await packagesOfAStart({
        DATABASE_URL: withDatabase(POSTGRES_URL, name),
        JWT_SECRET: randomBytes(32).toString('hex'),
      });
      expect(packages).toContain('pg');
      for (const unused of ['@electric-sql/pglite', ...UNCONFIGURED]) expect(packages).not.toContain(unused);
    } finally {
      await adminQuery(POSTGRES_URL, `drop database if exists ${name} with (force)`);
    }
  }, 90_000);
});

/** Start failures are one line that says what to do, exit code 1, and no stack trace. */
function expectOneLineFailure(running: Running, pattern: RegExp) {
  const errors = running
    .output()
    .split('\n')
    .filter((line) => line && !line.startsWith('{'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(pattern);
  expect(running.output()).not.toMatch(/^\s+at /m);
}

// Those that get as far as loading the server take seconds, and more on a machine busy with the whole suite.
describe('a start that cannot succeed', { timeout: 90_000 }, () => {
  let dir: string;
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'doable-start-'));
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '0.0.0.0', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('says the port is in use before any slow work: no embedded database is created', async () => {
    const dataDir = join(dir, 'busy-port');
    const running = start({ DATA_DIR: dataDir, PORT: String(busyPort) });
    expect(await running.exited).toBe(1);
    expectOneLineFailure(
      running,
      new RegExp(`port ${busyPort} is in use; set PORT to another port or stop the other program`),
    );
    expect(existsSync(join(dataDir, 'pglite'))).toBe(false);
    // No timing bound: on a machine busy with the suite, Node alone takes seconds to start. The database not being
    // there is the proof. A quiet machine answers in under half a second (it was 9 s, after creating the database).
  });

  it('names a DATA_DIR that cannot be written', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'not a directory');
    const running = start({ DATA_DIR: join(blocker, 'data'), PORT: String(await freePort()) });
    expect(await running.exited).toBe(1);
    expectOneLineFailure(
      running,
      /DATA_DIR \S+a-file\/data cannot be used \(ENOTDIR on \S+\): set DATA_DIR to a directory this user can write/,
    );
  });

  it('reads ./.env, with variables already in the environment winning', async () => {
    const cwd = await mkdtemp(join(dir, 'env-file-'));
    // LOG_LEVEL=shouting would stop the start with a configuration error, were it not overridden.
    await writeFile(join(cwd, '.env'), `PORT=${busyPort}\nLOG_LEVEL=shouting\nDATA_DIR=./from-env-file\n`);
    const running = start({ LOG_LEVEL: 'info' }, { cwd });
    expect(await running.exited).toBe(1);
    expectOneLineFailure(running, new RegExp(`port ${busyPort} is in use`));
  });

  it('names PostgreSQL that refuses connections by its URL without the password, and the fix', async () => {
    const port = await freePort();
    const running = start({
      DATABASE_URL: `postgres://doable:hunter2secret@127.0.0.1:${port}/doable`,
      PORT: String(await freePort()),
      DATA_DIR: dir,
    });
    expect(await running.exited).toBe(1);
    expectOneLineFailure(
      running,
      new RegExp(
        `PostgreSQL at postgres://doable@127\\.0\\.0\\.1:${port}/doable refused the connection: start PostgreSQL .*DATABASE_URL`,
      ),
    );
    expect(running.output()).not.toContain('hunter2secret');
  });

  it('names a database host that does not exist', async () => {
    const running = start({
      DATABASE_URL: 'postgres://doable:hunter2secret@doable-no-such-host.invalid:5432/doable',
      PORT: String(await freePort()),
      DATA_DIR: dir,
    });
    expect(await running.exited).toBe(1);
    expectOneLineFailure(
      running,
      /the host "doable-no-such-host\.invalid" in DATABASE_URL \(postgres:\/\/doable@doable-no-such-host\.invalid:5432\/doable\) was not found/,
    );
    expect(running.output()).not.toContain('hunter2secret');
  });

  describe.skipIf(!inject('postgresAvailable'))('with a PostgreSQL server', () => {
    const url = (change: (url: URL) => void) => {
      const parsed = new URL(POSTGRES_URL);
      change(parsed);
      return parsed.toString();
    };

    it('names a database that does not exist and how to create it', async () => {
      const running = start({
        DATABASE_URL: url((u) => {
          u.pathname = '/doable_no_such_database';
        }),
        PORT: String(await freePort()),
        DATA_DIR: dir,
      });
      expect(await running.exited).toBe(1);
      expectOneLineFailure(running, /has no database "doable_no_such_database": create it/);
    });

    it('names a refused login without showing the password', async () => {
      const running = start({
        DATABASE_URL: url((u) => {
          u.username = 'doable_no_such_role';
          u.password = 'hunter2secret';
        }),
        PORT: String(await freePort()),
        DATA_DIR: dir,
      });
      expect(await running.exited).toBe(1);
      expectOneLineFailure(
        running,
        /postgres:\/\/doable_no_such_role@\S+ refused the login \(.*\): correct the user name and password in DATABASE_URL/,
      );
      expect(running.output()).not.toContain('hunter2secret');
    });
  });
});

describe('the Docker image', () => {
  const root = new URL('..', import.meta.url).pathname;
  let image: string;
  beforeAll(async () => {
    image = await mkdtemp(join(tmpdir(), 'doable-image-'));
  });
  afterAll(() => rm(image, { recursive: true, force: true }));

  it('holds what runs and nothing for development, and the service starts from it', async () => {
    const patterns = (await readFile(join(root, '.dockerignore'), 'utf8'))
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    // Docker's patterns are anchored at the context's root; a directory's pattern covers what is inside it; the
    // last pattern that matches wins, and `!` keeps what an earlier pattern left out.
    const ignored = (file: string) =>
      patterns.reduce((left, pattern) => {
        const glob = pattern.replace(/^!/, '');
        const matches = matchesGlob(file, glob) || matchesGlob(file, `${glob}/**`);
        return matches ? !pattern.startsWith('!') : left;
      }, false);
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((file) => file && existsSync(join(root, file)));
    const kept = files.filter((file) => !ignored(file));
    // Markdown only as the user guide, which the database template holds and each start keeps current.
    const developmentOnly = /^(test|bench|\.ci)\/|\.test(-helpers)?\.ts$|^(?!docs\/).*\.md$/;
    expect(kept.filter((file) => developmentOnly.test(file))).toEqual([]);
    expect(kept).toEqual(
      expect.arrayContaining([
        'package-lock.json',
        'src/main.ts',
        'migrations/meta/_journal.json',
        'docs/accounts.md',
      ]),
    );

    // What the image would hold, with the dependencies beside it: nothing left out may be needed at run time.
    for (const file of kept) {
      await mkdir(dirname(join(image, file)), { recursive: true });
      await copyFile(join(root, file), join(image, file));
    }
    await symlink(join(root, 'node_modules'), join(image, 'node_modules'));
    const port = await freePort();
    const running = start(
      { DATA_DIR: join(image, 'data'), PORT: String(port) },
      { cwd: image, main: join(image, 'src/main.ts') },
    );
    await waitReady(port, running);
    const redoc = await fetch(`http://127.0.0.1:${port}/redoc/redoc.standalone.js`);
    expect(redoc.status).toBe(200);
    await redoc.arrayBuffer();
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  }, 300_000);
});

/**
 * An image is built as root and run as `node` (or any uid a host picks), who cannot write the install folder:
 * the template made at build time must serve that user, and a template it cannot read must be said in the log.
 */
const asAnotherUser =
  process.getuid?.() !== 0
    ? 'needs root, to start the service as `nobody` with setpriv'
    : !existsSync('/usr/bin/setpriv')
      ? 'needs setpriv (util-linux) to start the service as `nobody`'
      : undefined;
if (asAnotherUser)
  console.warn(`skipped: an install that the service's user cannot write (${asAnotherUser})`);

describe.skipIf(asAnotherUser)(
  'an install that the service’s user cannot write',
  { timeout: 300_000 },
  () => {
    const NOBODY = 65534;
    const root = new URL('..', import.meta.url).pathname;
    let install: string;
    let template: string;
    beforeAll(async () => {
      // An install of its own, made by root as the image's is: the code, and a node_modules whose PGlite is a real
      // folder (the template goes beside it, in node_modules/.cache) and whose other packages are the checkout's.
      install = await mkdtemp(join(tmpdir(), 'doable-install-'));
      await chmod(install, 0o755);
      for (const entry of ['package.json', 'src', 'migrations', 'vendor', 'docs'])
        await cp(join(root, entry), join(install, entry), { recursive: true });
      const modules = join(root, 'node_modules');
      await mkdir(join(install, 'node_modules', '@electric-sql'), { recursive: true });
      // Hard links, not symbolic ones: `nobody` must reach the packages through the install alone, since the
      // checkout may sit in a folder only root can enter (CI's fresh clone does). Copied where links cannot go.
      const packages = (await readdir(modules))
        .filter((entry) => !['.cache', '.bin', '@electric-sql'].includes(entry))
        .map((entry) => join(modules, entry));
      const into = join(install, 'node_modules');
      try {
        execFileSync('cp', ['-al', ...packages, into], { stdio: 'pipe' });
      } catch {
        execFileSync('cp', ['-a', ...packages, into], { stdio: 'pipe' });
      }
      for (const name of ['pglite', 'pglite-pgvector'])
        await cp(join(modules, '@electric-sql', name), join(install, 'node_modules', '@electric-sql', name), {
          recursive: true,
          dereference: true,
        });
      execFileSync(process.execPath, ['src/cli/embedded-template.ts', '--strict'], {
        cwd: install,
        stdio: 'pipe',
      });
      const cache = join(install, 'node_modules', '.cache', 'doable');
      template = join(cache, (await readdir(cache))[0] ?? '');
    });
    afterAll(() => rm(install, { recursive: true, force: true }));

    /** Starts the service from the install as `nobody` on a new DATA_DIR, waits until it is ready, stops it. */
    async function startAsNobody(): Promise<string> {
      const dataDir = await mkdtemp(join(tmpdir(), 'doable-nobody-'));
      try {
        await chown(dataDir, NOBODY, NOBODY);
        const port = await freePort();
        const running = start(
          { DATA_DIR: dataDir, PORT: String(port), NODE_COMPILE_CACHE: join(dataDir, 'compile-cache') },
          { cwd: install, main: join(install, 'src/main.ts'), uid: NOBODY },
        );
        await waitReady(port, running);
        running.child.kill('SIGTERM');
        expect(await running.exited).toBe(0);
        return running.output();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    }

    it('copies the template that root made, instead of running initdb and the migrations', async () => {
      const output = await startAsNobody();
      expect(output).toContain('copied the embedded database template');
      expect(output).not.toMatch(/making the embedded database template|template[^"]*(cannot|could not)/);
    });

    it('says in a warning that the template cannot be read, and what to do, when it cannot', async () => {
      await chmod(template, 0o700);
      try {
        const output = await startAsNobody();
        const warning = output
          .split('\n')
          .find((line) => line.includes('"level":40') && line.includes('template'));
        expect(warning).toContain('cannot be read by this user');
        expect(warning).toContain('chmod -R a+rX');
        expect(output).not.toContain('copied the embedded database template');
      } finally {
        await chmod(template, 0o755);
      }
    });
  },
);
