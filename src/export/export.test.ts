import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  expectProblem,
  registerUser,
  type TestApp,
  type TestUser,
} from '../../test/helpers.ts';
import { type Client, clientFor, withApiToken } from '../tasks/testing.ts';
import type { ExportDocument } from './export.schemas.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** A user with a bit of everything: tags, a recurring task completed once, a conversation with tool calls. */
async function userWithData(): Promise<{ user: TestUser; client: Client }> {
  const user = await registerUser(t.app);
  const client = clientFor(t, user);
  await client.create({ title: 'Water the plants', tags: ['Home', 'garden'], priority: 'high' });
  const weekly = await client.create({
    title: 'Team meeting',
    due_date: '2026-12-07T10:00:00+01:00',
    recurrence: 'FREQ=WEEKLY;BYDAY=MO',
    description: 'Room 3',
  });
  await client.patch(`/api/me/tasks/${weekly.id}/complete`, { completed: true });
  await client.create({ title: 'File taxes', completed: true, due_date: '2026-04-15' });
  const chat = await client.post('/api/me/chat', { message: 'add buy milk tomorrow #shopping' });
  expect(chat.statusCode).toBe(200);
  await client.post('/api/me/chat', { message: 'complete it', conversation_id: chat.json().conversation_id });
  expect((await client.post('/api/auth/tokens', { name: 'nightly export' })).statusCode).toBe(201);
  return { user, client };
}

async function exportOf(client: Client): Promise<ExportDocument> {
  const response = await client.get('/api/me/export');
  expect(response.statusCode).toBe(200);
  return response.json();
}

/** What must survive a move: everything but the ids this instance gave out and the moment of export. */
function content(document: ExportDocument) {
  const taskIds = new Map(document.tasks.map((task, index) => [task.id, index]));
  const listNames = new Map(document.lists.map((list) => [list.id, list.name]));
  return {
    tags: document.tags,
    lists: document.lists.map(({ id: _id, created_at: _c, updated_at: _u, ...list }) => list),
    // A task's list by its name: list ids are the instance's.
    tasks: document.tasks.map(({ id: _id, list_id, ...task }) => ({ ...task, list: listNames.get(list_id) })),
    conversations: document.conversations.map(({ id: _id, ...conversation }) => ({
      ...conversation,
      // Tool calls name tasks by id: compared by which task of the list they name.
      messages: JSON.parse(
        JSON.stringify(conversation.messages, (key, value) =>
          (key === 'task_id' || key === 'id') && typeof value === 'number'
            ? `task #${taskIds.get(value)}`
            : key === 'user_id'
              ? 'the owner'
              : value,
        ),
      ),
    })),
  };
}

describe('export', () => {
  it('gives everything the user owns as one versioned document, without secrets', async () => {
    const { user, client } = await userWithData();
    const response = await client.get('/api/me/export');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="doable-export-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const document = response.json() as ExportDocument;
    expect(document).toMatchObject({
      format: 'doable-export',
      version: 3,
      profile: { id: user.id, email: user.email, name: 'Test User', timezone: 'UTC' },
      tags: ['garden', 'Home', 'shopping'],
      api_tokens: [{ name: 'nightly export', last_used_at: null }],
    });
    expect(document.tasks.map((task) => task.title)).toEqual([
      'Water the plants',
      'Team meeting',
      'File taxes',
      'buy milk',
    ]);
    const meeting = document.tasks[1];
    expect(meeting).toMatchObject({
      recurrence: 'FREQ=WEEKLY;BYDAY=MO',
      completed: false,
      due_date: '2026-12-14T10:00:00+01:00',
      completions: [{ due_date: '2026-12-07T10:00:00+01:00', completed_at: expect.any(String) }],
    });
    expect(document.tasks[0]?.origin).toMatch(/^[0-9a-f-]{36}\/tasks\/\d+$/);
    const [conversation] = document.conversations;
    expect(conversation?.messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'assistant',
      'user',
      'assistant',
      'assistant',
    ]);
    expect(conversation?.messages[1]?.tool_calls[0]).toMatchObject({
      tool_name: 'add_task',
      result: { success: true },
    });

    // No password hash, token, token hash or other user field leaves.
    const text = response.body;
    expect(text).not.toMatch(/argon2|doable_pat_|password|token_hash/);
  });

  it('is open to a personal API token, which may read everything', async () => {
    const { user, client } = await userWithData();
    const scripted = clientFor(t, await withApiToken(t, user));
    expect(content(await exportOf(scripted))).toEqual(content(await exportOf(client)));
  });

  it('is refused for another user’s path and without a token', async () => {
    const { user } = await userWithData();
    const other = clientFor(t, await registerUser(t.app));
    expectProblem(await other.get(`/api/${user.id}/export`), 403, 'export.forbidden');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/me/export' }), 401, 'auth.missing_token');
  });
});

describe('import', () => {
  it('moves everything into another account with equal content, and importing twice adds nothing', async () => {
    const { client } = await userWithData();
    const exported = await exportOf(client);
    const target = clientFor(t, await registerUser(t.app));

    const first = await target.post('/api/me/import', exported);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      tasks: { created: 4, skipped: 0 },
      conversations: { created: 1, skipped: 0 },
      messages: 6,
      tags: 3,
      lists: 0,
      invitations: 0,
    });
    const moved = await exportOf(target);
    expect(content(moved)).toEqual(content(exported));
    // The tasks work as tasks: listed, filtered by tag, completed again with their history kept.
    const listed = (await target.get('/api/me/tasks?tags=home')).json();
    expect(listed.tasks.map((task: { title: string }) => task.title)).toEqual(['Water the plants']);

    const second = await target.post('/api/me/import', exported);
    expect(second.json()).toEqual({
      tasks: { created: 0, skipped: 4 },
      conversations: { created: 0, skipped: 1 },
      messages: 0,
      tags: 0,
      lists: 0,
      invitations: 0,
    });
    // A file that went there and came back is recognised too, and so is the owner's own file.
    expect((await client.post('/api/me/import', moved)).json().tasks).toEqual({ created: 0, skipped: 4 });
    expect((await client.post('/api/me/import', exported)).json().conversations).toEqual({
      created: 0,
      skipped: 1,
    });
    expect(content(await exportOf(target))).toEqual(content(exported));
    expect(content(await exportOf(client))).toEqual(content(exported));
  });

  it('carries lists: made again by name in another account, the Inbox as its Inbox, tasks in theirs', async () => {
    const { client } = await userWithData();
    const work = (await client.post('/api/me/lists', { name: 'Work' })).json();
    await client.create({ title: 'Quarterly report', list_id: work.id });
    const exported = await exportOf(client);
    expect(exported.lists.map((list) => [list.name, list.is_inbox])).toEqual([
      ['Inbox', true],
      ['Work', false],
    ]);

    const target = clientFor(t, await registerUser(t.app));
    const already = (await target.post('/api/me/lists', { name: 'work' })).json();
    const result = (await target.post('/api/me/import', exported)).json();
    expect(result).toMatchObject({ tasks: { created: 5, skipped: 0 }, lists: 0 });
    const report = (await target.get(`/api/me/tasks?list_id=${already.id}`)).json();
    expect(report.tasks.map((task: { title: string }) => task.title)).toEqual(['Quarterly report']);
    const third = clientFor(t, await registerUser(t.app));
    expect((await third.post('/api/me/import', exported)).json().lists).toBe(1);
    const lists = (await third.get('/api/me/lists')).json();
    expect(lists.map((list: { name: string; total_tasks: number }) => [list.name, list.total_tasks])).toEqual(
      [
        ['Inbox', 4],
        ['Work', 1],
      ],
    );
  });

  it('reads a version 1 file, made before lists, into the Inbox', async () => {
    const { client } = await userWithData();
    const { lists: _lists, ...current } = await exportOf(client);
    const old = {
      ...current,
      version: 1,
      tasks: current.tasks.map(({ list_id: _list, ...task }) => task),
    };
    const target = clientFor(t, await registerUser(t.app));
    const response = await target.post('/api/me/import', old);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ tasks: { created: 4, skipped: 0 }, lists: 0 });
    const lists = (await target.get('/api/me/lists')).json();
    expect(lists).toEqual([expect.objectContaining({ name: 'Inbox', total_tasks: 4 })]);
  });

  it('gives back what the owner deleted since the export, once', async () => {
    const { client } = await userWithData();
    const exported = await exportOf(client);
    const gone = exported.tasks[0] as ExportDocument['tasks'][number];
    expect((await client.delete(`/api/me/tasks/${gone.id}`)).statusCode).toBe(204);
    expect((await client.post('/api/me/import', exported)).json().tasks).toEqual({ created: 1, skipped: 3 });
    expect((await client.post('/api/me/import', exported)).json().tasks).toEqual({ created: 0, skipped: 4 });
    expect(content(await exportOf(client))).toEqual(content(exported));
  });

  it('spells imported tags as the account already does, so that its tag filters find them', async () => {
    const { client } = await userWithData();
    const exported = await exportOf(client);
    const target = clientFor(t, await registerUser(t.app));
    await target.create({ title: 'Mine already', tags: ['HOME'] });
    expect((await target.post('/api/me/import', exported)).statusCode).toBe(200);
    const listed = (await target.get('/api/me/tasks?tags=home&sort_by=title&order=asc')).json();
    expect(listed.tasks.map((task: { title: string; tags: string[] }) => [task.title, task.tags])).toEqual([
      ['Mine already', ['HOME']],
      ['Water the plants', ['HOME', 'garden']],
    ]);
  });

  it('continues an imported conversation with the assistant, about the tasks as they are here', async () => {
    const { client } = await userWithData();
    const target = clientFor(t, await registerUser(t.app));
    await target.post('/api/me/import', await exportOf(client));
    const [conversation] = (await exportOf(target)).conversations;
    const reply = await target.post('/api/me/chat', { message: 'undo', conversation_id: conversation?.id });
    expect(reply.statusCode).toBe(200);
    expect(reply.json().tool_calls).toEqual([
      expect.objectContaining({
        tool_name: 'complete_task',
        result: expect.objectContaining({ success: true }),
      }),
    ]);
    const milk = (await target.get('/api/me/tasks?search=milk')).json().tasks[0];
    expect(milk).toMatchObject({ title: 'buy milk', completed: false });
  });
});

describe('a hostile import', () => {
  it('changes nothing, whatever the file holds', async () => {
    const victim = await userWithData();
    const attacker = await userWithData();
    const victimBefore = content(await exportOf(victim.client));
    const attackerBefore = content(await exportOf(attacker.client));
    const file = await exportOf(attacker.client);
    const task = file.tasks[0] as ExportDocument['tasks'][number];
    const tampered = (change: (document: Record<string, unknown>) => void) => {
      const copy = structuredClone(file) as unknown as Record<string, unknown>;
      change(copy);
      return copy;
    };

    // A field naming another owner is not a field of the format.
    const owned = await attacker.client.post(
      '/api/me/import',
      tampered((d) => {
        (d.tasks as Array<Record<string, unknown>>)[0] = { ...task, user_id: victim.user.id };
      }),
    );
    expect(expectProblem(owned, 400, 'request.invalid').errors).toEqual([
      { field: 'body.tasks[0].user_id', message: 'is not a field of this request' },
    ]);
    // Wrong types, anywhere in the file.
    const typed = await attacker.client.post(
      '/api/me/import',
      tampered((d) => {
        (d.tasks as Array<Record<string, unknown>>)[1] = { ...task, title: 42, completed: 'yes' };
      }),
    );
    expect(expectProblem(typed, 400, 'request.invalid').errors?.map((e) => e.field)).toEqual([
      'body.tasks[1].title',
      'body.tasks[1].completed',
    ]);
    // Deeply nested tool calls (written out: too deep for JSON.stringify).
    const text = JSON.stringify(file).replace(
      '"tool_calls":[]',
      `"tool_calls":[{"id":"x","tool_name":"add_task","parameters":${'['.repeat(5_000)}${']'.repeat(5_000)},"result":{}}]`,
    );
    const nested = await attacker.client.post('/api/me/import', text, { 'content-type': 'application/json' });
    expectProblem(nested, 400, 'request.invalid');
    // Dates JSON and ISO 8601 allow but PostgreSQL does not store.
    const dated = await attacker.client.post(
      '/api/me/import',
      tampered((d) => {
        (d.tasks as Array<Record<string, unknown>>)[0] = {
          ...task,
          created_at: '0000-01-01T00:00:00Z',
          updated_at: '2026-01-01T00:00:00-23:59',
          due_date: '0000-06-01',
        };
      }),
    );
    expect(expectProblem(dated, 400, 'request.invalid').errors?.map((e) => e.field)).toEqual([
      'body.tasks[0].due_date',
      'body.tasks[0].created_at',
      'body.tasks[0].updated_at',
    ]);
    // Nor past the year 9999 in UTC: stored, they were written back as +010000, which no import reads.
    const late = await attacker.client.post(
      '/api/me/import',
      tampered((d) => {
        (d.tasks as Array<Record<string, unknown>>)[0] = {
          ...task,
          completed_at: '9999-12-31T23:59:59-14:00',
          due_date: '9999-12-31T23:59:00-14:00',
        };
      }),
    );
    expect(
      expectProblem(late, 400, 'request.invalid')
        .errors?.map((e) => e.field)
        .sort(),
    ).toEqual(['body.tasks[0].completed_at', 'body.tasks[0].due_date']);
    // A newer format, and not an export at all.
    const newer = expectProblem(
      await attacker.client.post('/api/me/import', { ...file, version: 4 }),
      400,
      'export.unsupported_version',
    );
    expect(newer.detail).toMatch(/newer than this Doable reads \(version 3\); upgrade this Doable/);
    expectProblem(await attacker.client.post('/api/me/import', [1, 2, 3]), 400, 'request.invalid');
    // Into another user's account.
    expectProblem(await attacker.client.post(`/api/${victim.user.id}/import`, file), 403, 'export.forbidden');

    expect(content(await exportOf(victim.client))).toEqual(victimBefore);
    expect(content(await exportOf(attacker.client))).toEqual(attackerBefore);

    // Origins naming the victim's tasks and conversations only make copies in the attacker's own account.
    const victimFile = await exportOf(victim.client);
    const copied = await attacker.client.post('/api/me/import', victimFile);
    expect(copied.json().tasks).toEqual({ created: 4, skipped: 0 });
    expect(content(await exportOf(victim.client))).toEqual(victimBefore);
  });

  it('stores text JSON can carry but PostgreSQL cannot (a lone surrogate) as a replacement character', async () => {
    const { client } = await userWithData();
    const file = await exportOf(client);
    const target = clientFor(t, await registerUser(t.app));
    const text = JSON.stringify(file).replace('"Water the plants"', '"Water \\ud800 the plants"');
    const imported = await target.post('/api/me/import', text, { 'content-type': 'application/json' });
    expect(imported.statusCode).toBe(200);
    const [task] = (await exportOf(target)).tasks;
    expect(task?.title).toBe('Water \ufffd the plants');
  });

  it('is refused above the size limit, and rate limited per user', async () => {
    const small = await createTestApp({
      env: { IMPORT_BODY_LIMIT_BYTES: '4096', RATE_LIMIT_ENABLED: 'true' },
      database: t.database,
    });
    try {
      const user = await registerUser(small.app);
      const client = clientFor(small, user);
      const document = await exportOf(client);
      const huge = { ...document, tags: Array.from({ length: 500 }, (_, i) => `tag ${i}`) };
      expectProblem(await client.post('/api/me/import', huge), 413, 'request.body_too_large');
      // The refused one counted too: the budget is taken before the body is read.
      for (let i = 0; i < 4; i++)
        expect((await client.post('/api/me/import', document)).statusCode).toBe(200);
      expectProblem(await client.post('/api/me/import', document), 429, 'request.rate_limited');
      expect((await client.get('/api/me/tags')).json()).toEqual([]);
    } finally {
      await small.close();
    }
  });
});
