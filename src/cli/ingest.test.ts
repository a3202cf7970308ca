import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = new URL('./ingest.ts', import.meta.url).pathname;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'doable-ingest-'));
  const docs = join(root, 'docs');
  await mkdir(join(docs, 'guides', '.hidden'), { recursive: true });
  await writeFile(join(docs, 'intro.md'), '---\ntitle: Welcome\n---\n# Intro\nHello there.\n');
  await writeFile(join(docs, 'guides', 'setup.mdx'), '# Setup\n\nInstall it.\n');
  await writeFile(join(docs, 'guides', 'notes.txt'), 'Plain notes.\n');
  await writeFile(join(docs, 'guides', 'broken.md'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
  await writeFile(join(docs, 'guides', '.hidden', 'secret.md'), '# Secret\n');
  await writeFile(join(docs, 'image.png'), 'not text');
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Runs the CLI as `npm run ingest` would, on an embedded database in the temporary folder (or DATABASE_URL). */
async function ingest(...args: string[]) {
  const env = { ...process.env, DATA_DIR: join(root, 'data'), DATABASE_URL: '' };
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run ingest', () => {
  it('ingests every markdown and text file, reports an unreadable one without stopping, and sums up', async () => {
    const result = await ingest(join(root, 'docs'));
    expect(result.stdout).toMatch(
      /4 file\(s\) found .*: 3 created, 0 updated, 0 unchanged, 1 failed; 3 passage\(s\)/,
    );
    expect(result.stderr).toContain('broken.md: it is not UTF-8 text');
    expect(result.stderr).toContain('4/4');
    expect(result.code).toBe(1);
  }, 120_000);

  it('skips what has not changed on a second run', async () => {
    const result = await ingest(join(root, 'docs'));
    expect(result.stdout).toMatch(/0 created, 0 updated, 3 unchanged, 1 failed/);
  }, 120_000);

  it('says so when the folder does not exist, and shows its usage without one', async () => {
    expect((await ingest(join(root, 'nope'))).stderr).toMatch(
      /cannot read the folder .*nope: it does not exist/,
    );
    const usage = await ingest();
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^Usage: npm run ingest -- <folder>/);
  }, 120_000);
});
