import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers.ts';
import { type Database, openDatabase, rowsOf } from '../db/database.ts';
import { findDocumentFiles } from './files.ts';
import { createKnowledgeRepository } from './knowledge.repository.ts';
import { createKnowledgeService } from './knowledge.service.ts';
import { syncUserGuide, USER_GUIDE_DIR } from './seed.ts';

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

  it('answers how to do a thing the web app way first, then the API way', async () => {
    const repeat = await ask('how do I make a task repeat?');
    expect(repeat.sources[0]?.path).toBe('docs/tasks.md');
    expect(repeat.response).toMatch(/^To make a task repeat in the web app, press the pencil/);
    expect(repeat.response).toMatch(/Repeat\*\* menu[\s\S]*every monday[\s\S]*FREQ=WEEKLY/);
    const zone = await ask('how do I change my time zone?');
    expect(zone.sources[0]?.path).toBe('docs/settings.md');
    expect(zone.response).toMatch(/^To change your time zone .* press \*\*Settings\*\*/);
    expect(zone.response.indexOf('Time zone')).toBeLessThan(zone.response.indexOf('/api/auth/me'));
  });

  it('answers how to share a list, in the words a newcomer asks it, with the web page’s steps', async () => {
    for (const query of ['How do I share a list with my husband?', 'can I share a task list with my team?']) {
      const body = await ask(query);
      expect(body.sources[0]?.section, query).toBe('Tasks and quick add › Sharing a list');
      expect(body.response, query).toMatch(/open the list, press \*\*Share…\*\*/);
    }
    expect((await ask('what does p1 mean')).response).toMatch(/`p1` means urgent/);
  });

  it('says no, from the guide, to what Doable does not do, where it had answered with passages sharing words', async () => {
    expect((await ask('Can I get email reminders before a task is due?')).response).toMatch(
      /^\*\*No e-mail, no notifications\.\*\* Doable sends no e-mail/,
    );
    expect((await ask('How do I delete my account?')).response).toMatch(/You cannot delete your account/);
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
      'does Doable have a Gantt chart?',
      'can I attach a file to a task?',
      'is there a Helm chart for Kubernetes?',
      // "theme" and "dark" are in no document; "change", "app" and "mode" are, but not about this.
      'how do I change the app theme to dark mode?',
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

/** The guide's pages in the database, with how many passages each has, by path. */
async function pages(database: Database): Promise<Record<string, number>> {
  const rows = rowsOf<{ path: string; chunks: number }>(
    await database.db.execute(sql`
      select d.path, cast(count(c.id) as integer) as chunks from knowledge_documents d
      left join knowledge_chunks c on c.document_id = d.id group by d.path order by d.path`),
  );
  return Object.fromEntries(rows.map((row) => [row.path, row.chunks]));
}

const guidePaths = async (dir = USER_GUIDE_DIR) =>
  (await findDocumentFiles(dir)).map((file) => `docs/${file.path}`).sort();

describe('a new embedded database', { timeout: 300_000 }, () => {
  const scratch = mkdtemp(join(tmpdir(), 'doable-guide-'));
  afterAll(async () => rm(await scratch, { recursive: true, force: true }));
  let count = 0;
  /** A new DATA_DIR: a copy of the install's template (made first if `npm install` did not make it). */
  const newDatabase = async () => openDatabase({ dataDir: join(await scratch, `data-${++count}`) });

  it('holds the user guide before any start, from its template, and a start answers from it', async () => {
    const database = await newDatabase();
    try {
      expect(database.isNew).toBe(true);
      // The guide of the install that made the template: this checkout's, unless docs/ changed since.
      const copied = rowsOf<{ id: string; chunks: number }>(
        await database.db.execute(sql`
          select d.id, cast(count(c.id) as integer) as chunks from knowledge_documents d
          join knowledge_chunks c on c.document_id = d.id group by d.id`),
      );
      expect(copied.length).toBeGreaterThan(5);
      expect(copied.every((page) => page.id.startsWith('guide:') && page.chunks > 0)).toBe(true);

      const t = await createTestApp({ env: { KNOWLEDGE_SEED_DOCS: 'true' }, database });
      try {
        expect(Object.keys(await pages(database))).toEqual(await guidePaths());
        const body = (
          await t.app.inject({
            method: 'POST',
            url: '/api/knowledge/ask',
            payload: { query: 'how do I create an API token?', max_results: 3 },
          })
        ).json();
        expect(body.sources[0]).toMatchObject({ path: 'docs/settings.md' });
        expect(body.response).toContain('/api/auth/tokens');
      } finally {
        await t.close();
      }
    } finally {
      await database.close();
    }
  });

  it('starts with an empty knowledge base with KNOWLEDGE_SEED_DOCS=false', async () => {
    const database = await newDatabase();
    try {
      const t = await createTestApp({ env: { KNOWLEDGE_SEED_DOCS: 'false' }, database });
      await t.close();
      expect(await pages(database)).toEqual({});
    } finally {
      await database.close();
    }
  });

  it('has a changed guide ingested again: pages changed, added and removed, and nothing else', async () => {
    const database = await newDatabase();
    const guide = join(await scratch, 'guide');
    try {
      await cp(USER_GUIDE_DIR, guide, { recursive: true });
      const tasks = join(guide, 'tasks.md');
      await writeFile(
        tasks,
        `${await readFile(tasks, 'utf8')}\n## Zorbling\n\nA zorbling task glows in the dark.\n`,
      );
      await writeFile(join(guide, 'new-page.md'), '# New page\n\nWhat this version adds.\n');
      await unlink(join(guide, 'mcp.md'));
      const service = createKnowledgeService({
        repository: createKnowledgeRepository(database.db),
        clock: () => new Date(),
      });

      await syncUserGuide(service, { newDatabase: true }); // the template's guide made this checkout's
      expect(await syncUserGuide(service, { newDatabase: true, dir: guide })).toEqual({
        ingested: 2,
        removed: 1,
      });
      expect(Object.keys(await pages(database))).toEqual(await guidePaths(guide));
      const [best] = await service.search('zorbling glows', { limit: 1 });
      expect(best?.passage).toMatchObject({
        path: 'docs/tasks.md',
        headingPath: expect.arrayContaining(['Zorbling']),
      });
      // Once current, a start finds nothing to do.
      expect(await syncUserGuide(service, { dir: guide })).toEqual({ ingested: 0, removed: 0 });
    } finally {
      await database.close();
    }
  });
});

describe('the user guide in a knowledge base that holds documents of its own', () => {
  it('has its changed pages ingested again, but a page deleted or new to the guide is not added', async () => {
    const t = await createTestApp();
    const scratch = await mkdtemp(join(tmpdir(), 'doable-guide-'));
    try {
      const service = createKnowledgeService({
        repository: createKnowledgeRepository(t.database.db),
        clock: () => new Date(),
      });
      await syncUserGuide(service); // an empty knowledge base gets the whole guide
      await service.ingest([{ path: 'faq.md', content: '# FAQ\n\nOurs.' }]);
      await service.delete('guide:mcp');
      const guide = join(scratch, 'guide');
      await cp(USER_GUIDE_DIR, guide, { recursive: true });
      await writeFile(join(guide, 'tasks.md'), '# Tasks\n\nRewritten.\n');
      await writeFile(join(guide, 'new-page.md'), '# New page\n\nWhat this version adds.\n');

      expect(await syncUserGuide(service, { dir: guide })).toEqual({ ingested: 1, removed: 0 });
      const held = await pages(t.database);
      expect(held['docs/tasks.md']).toBe(1);
      expect(Object.keys(held)).not.toContain('docs/mcp.md');
      expect(Object.keys(held)).not.toContain('docs/new-page.md');
      expect(Object.keys(held)).toContain('faq.md');
    } finally {
      await t.close();
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
