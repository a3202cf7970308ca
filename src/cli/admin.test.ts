import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  const env = { ...process.env, DATA_DIR: join(root, 'data'), DATABASE_URL: '', LOG_LEVEL: 'silent' };
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
});
