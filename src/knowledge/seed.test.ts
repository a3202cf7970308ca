import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers.ts';
import { findDocumentFiles } from './files.ts';
import { USER_GUIDE_DIR } from './seed.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { KNOWLEDGE_SEED_DOCS: 'true' } });
});
afterAll(() => t.close());

const ask = async (query: string) =>
  (
    await t.app.inject({ method: 'POST', url: '/api/knowledge/ask', payload: { query, max_results: 3 } })
  ).json();

describe('the user guide on first start', () => {
  it('is ingested when the knowledge base is empty, every file of docs/', async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/api/knowledge/documents' })).json();
    const files = await findDocumentFiles(USER_GUIDE_DIR);
    expect(list.map((d: { path: string }) => d.path).sort()).toEqual(
      files.map((f) => `docs/${f.path}`).sort(),
    );
    expect(list.every((d: { chunks: number }) => d.chunks > 0)).toBe(true);
  });

  it('answers "how do I create an API token?" with the command, citing the settings page', async () => {
    const body = await ask('how do I create an API token?');
    expect(body.mode).toBe('extractive');
    expect(body.sources[0]).toMatchObject({
      path: 'docs/settings.md',
      section: 'Your settings: name, time zone, password and API tokens › Create an API token',
    });
    expect(body.response).toContain('/api/auth/tokens');
    expect(body.response).toMatch(/\[1\]/);
  });

  it('answers other first questions from the right page', async () => {
    const expected: Array<[string, string]> = [
      ['how can I make a task repeat every week?', 'docs/tasks.md'],
      ['which environment variable switches to PostgreSQL?', 'docs/configuration.md'],
      ['run it with docker', 'docs/deployment.md'],
      ['connect Claude Desktop over MCP', 'docs/mcp.md'],
    ];
    for (const [query, path] of expected) expect((await ask(query)).sources[0]?.path, query).toBe(path);
  });

  it('declines what the guide does not cover, naming what it does, with no sources', async () => {
    // Each was answered before with a passage sharing a word or two: PATCH /api/auth/me, the settings table, …
    for (const query of [
      'what is the meaning of life?',
      'how do I back up to S3?',
      'does Doable support Kanban boards?',
      'can I attach a file to a task?',
    ]) {
      const body = await ask(query);
      expect(body.sources, query).toEqual([]);
      expect(body.response, query).toMatch(/does not seem to cover/);
      expect(body.response, query).toContain('The documents cover: ');
      expect(body.response, query).toContain('Backups, export and import');
    }
  });

  it('still answers what the guide covers, with its sources', async () => {
    const backup = await ask('how do I back up?');
    expect(backup.sources[0]?.path).toBe('docs/backups.md');
    expect(backup.response).toContain('npm run backup');
    expect((await ask('download all my data as JSON')).sources[0]?.path).toBe('docs/backups.md');
  });

  it('is not ingested again when the knowledge base holds documents, so a deleted page stays deleted', async () => {
    await t.database.db.execute(sql`delete from knowledge_documents where path = 'docs/mcp.md'`);
    const second = await createTestApp({ env: { KNOWLEDGE_SEED_DOCS: 'true' }, database: t.database });
    await second.close();
    const after = (await t.app.inject({ method: 'GET', url: '/api/knowledge/documents' })).json();
    expect(after.map((d: { path: string }) => d.path)).not.toContain('docs/mcp.md');
  });
});
