import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, type TestUser } from '../../test/helpers.ts';
import { openDatabase, rowsOf } from '../db/database.ts';
import { runAdmin } from './admin.ts';

const run = promisify(execFile);
const CLI = new URL('./admin.ts', import.meta.url).pathname;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'doable-admin-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const envFor = (dataDir: string) => ({
  ...process.env,
  DATA_DIR: dataDir,
  DATABASE_URL: '',
  LOG_LEVEL: 'silent',
});

/** Runs the CLI as `npm run admin` would, in its own process: how the embedded database's one owner is seen. */
async function spawned(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: envFor(join(root, 'data')),
      cwd: root,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Runs one command in this process (each spawn costs seconds of starting the embedded database). */
async function adminIn(dataDir: string, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runAdmin(args, envFor(dataDir), {
    log: (line) => {
      stdout += `${line}\n`;
    },
    error: (line) => {
      stderr += `${line}\n`;
    },
  });
  return { code, stdout, stderr };
}

const admin = (...args: string[]) => adminIn(join(root, 'data'), ...args);

describe('npm run admin', () => {
  it('refuses while the service holds the embedded database, then grants, lists and revokes', async () => {
    // The service's part: it made the database and holds it while it runs.
    const service = await openDatabase({ dataDir: join(root, 'data') });
    await service.migrate();
    await service.db.execute(sql`insert into users (email, name) values ('operator@example.com', 'Olga')`);
    const refused = await spawned('grant', 'operator@example.com');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/held by the running service.*stop the service, run npm run admin again/s);
    await service.close();

    const granted = await admin('grant', 'Operator@Example.com');
    expect(granted).toMatchObject({ code: 0, stdout: 'operator@example.com is now an administrator.\n' });
    expect((await admin('list')).stdout).toMatch(/^operator@example.com\tOlga\t/);
    expect((await admin('revoke', 'operator@example.com')).code).toBe(0);
    expect((await admin('list')).stdout).toMatch(/^No account is an administrator by grant\./);
    expect((await admin('promote')).code).toBe(2);
  }, 120_000);

  it('gives an account a new password, printed once, that signs in, and ends the sign-ins it had', async () => {
    const dataDir = join(root, 'reset');
    const open = async () => {
      const database = await openDatabase({ dataDir });
      await database.migrate();
      const t = await createTestApp({ database });
      const close = async () => {
        await t.close();
        await database.close();
      };
      return { t, close };
    };
    const before = await open();
    const registered = await before.t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'forgetful@example.com', password: 'long forgotten words', name: 'Fay' },
    });
    const { refresh_token } = registered.json();
    await before.close();

    const reset = await adminIn(dataDir, 'reset-password', 'Forgetful@example.com');
    expect(reset.code).toBe(0);
    const password = /has the new password (\S+)/.exec(reset.stdout)?.[1] as string;
    expect(password).toHaveLength(24);
    expect((await adminIn(dataDir, 'reset-password', 'nobody@example.com')).stderr).toMatch(
      /no account has the email nobody@example.com/,
    );

    const after = await open();
    const login = (pw: string) =>
      after.t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'forgetful@example.com', password: pw },
      });
    expect((await login(password)).statusCode).toBe(200);
    expect((await login('long forgotten words')).statusCode).toBe(401);
    const refreshed = await after.t.app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token },
    });
    expect(refreshed.statusCode).toBe(401);
    await after.close();
  }, 120_000);

  it('deletes an account with all it holds, and leaves what others hold of a list it shared', async () => {
    const dataDir = join(root, 'delete');
    const database = await openDatabase({ dataDir });
    await database.migrate();
    const t = await createTestApp({ database });
    const leaving = await registerUser(t.app, { email: 'leaving@example.com' });
    const staying = await registerUser(t.app, { email: 'staying@example.com' });
    const as = (user: TestUser) => (method: 'GET' | 'POST', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
    const [leave, stay] = [as(leaving), as(staying)];
    await leave('POST', '/api/me/tasks', { title: 'Mine alone' });
    const list = (await leave('POST', '/api/me/lists', { name: 'Shared by the leaver' })).json().id;
    await leave('POST', `/api/me/lists/${list}/members`, { email: 'staying@example.com', role: 'editor' });
    await stay('POST', `/api/me/lists/${list}/membership`);
    await stay('POST', '/api/me/tasks', { title: 'In their list', list_id: list });
    const ownList = (await stay('POST', '/api/me/lists', { name: 'Staying' })).json().id;
    await stay('POST', `/api/me/lists/${ownList}/members`, { email: 'leaving@example.com', role: 'editor' });
    await leave('POST', `/api/me/lists/${ownList}/membership`);
    await leave('POST', '/api/me/tasks', { title: 'Added to the stayer’s list', list_id: ownList });
    await leave('POST', '/api/me/chat', { message: 'add buy milk' });
    await leave('POST', '/api/auth/tokens', { name: 'script', password: leaving.password });
    await t.close();
    await database.close();

    const deleted = await adminIn(dataDir, 'delete-account', 'Leaving@example.com');
    expect(deleted).toMatchObject({ code: 0 });
    expect(deleted.stdout).toMatch(/^leaving@example.com is deleted/);
    expect((await adminIn(dataDir, 'delete-account', 'leaving@example.com')).code).toBe(1);

    const after = await openDatabase({ dataDir });
    const again = await createTestApp({ database: after });
    const login = await again.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'leaving@example.com', password: leaving.password },
    });
    expect(login.statusCode).toBe(401);
    const rows = rowsOf<{ title: string }>(
      await after.db.execute(sql`select title from tasks order by title`),
    );
    // The leaver's tasks and list are gone; what they added to the stayer's list is the stayer's.
    expect(rows.map((r) => r.title)).toEqual(['Added to the stayer’s list']);
    await again.close();
    await after.close();
  }, 120_000);
});
