import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../test/helpers.ts';
import { openDatabase } from '../db/database.ts';

const run = promisify(execFile);
const CLI = new URL('./admin.ts', import.meta.url).pathname;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'doable-admin-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Runs the CLI as `npm run admin` would, on an embedded database in the temporary folder. */
async function admin(...args: string[]) {
  return adminIn(join(root, 'data'), ...args);
}

async function adminIn(dataDir: string, ...args: string[]) {
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env, cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run admin', () => {
  it('refuses while the service holds the embedded database, then grants, lists and revokes', async () => {
    // The service's part: it made the database and holds it while it runs.
    const service = await openDatabase({ dataDir: join(root, 'data') });
    await service.migrate();
    await service.db.execute(sql`insert into users (email, name) values ('operator@example.com', 'Olga')`);
    const refused = await admin('grant', 'operator@example.com');
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
});
