import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countEventLoopTurns, createTestApp, registerUser, type TestApp } from '../../test/helpers.ts';
import { clientFor } from '../tasks/testing.ts';
import type { ExportDocument } from './export.schemas.ts';
import { IMPORT_BATCH } from './export.service.ts';
import { exportedTask } from './export.test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const at = '2026-01-01T00:00:00.000Z';
const TASKS = 6 * IMPORT_BATCH.tasks;
const MESSAGES = 3 * IMPORT_BATCH.messages;

function file() {
  return {
    format: 'doable-export',
    version: 1,
    exported_at: at,
    profile: { id: 'x', email: null, name: 'x', timezone: 'UTC', created_at: at },
    tags: ['Home'],
    tasks: Array.from({ length: TASKS }, (_, i) =>
      exportedTask(i, at, { tags: ['home', `tag ${i % 7}`], due_date: '2026-03-02' }),
    ),
    conversations: [
      {
        origin: 'elsewhere/conversations/1',
        id: 1,
        title: 'long',
        created_at: at,
        updated_at: at,
        messages: Array.from({ length: MESSAGES }, (_, i) => ({
          role: i % 2 === 0 ? 'user' : 'assistant',
          content: `message ${i}`,
          tool_calls:
            i % 2 === 0
              ? []
              : [{ id: `c${i}`, tool_name: 'complete_task', parameters: { task_id: i }, result: {} }],
          created_at: at,
        })),
      },
    ],
    api_tokens: [],
  };
}

describe('a large import', () => {
  it('is written in batches with turns of the event loop between them, to the same result', async () => {
    const user = await registerUser(t.app);
    const client = clientFor(t, user);
    // Counts the turns of the event loop while the import runs: one statement per table took a handful.
    const counter = countEventLoopTurns();
    const imported = await client.post('/api/me/import', file());
    const turns = counter.stop();
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toEqual({
      tasks: { created: TASKS, skipped: 0 },
      conversations: { created: 1, skipped: 0 },
      messages: MESSAGES,
      tags: 8,
      lists: 0,
      invitations: 0,
    });
    // A turn before each statement: more than 12 for the tasks alone (the first batches are smaller), 6 for the messages.
    expect(turns).toBeGreaterThan(2 * (TASKS / IMPORT_BATCH.tasks + MESSAGES / IMPORT_BATCH.messages));

    const exported: ExportDocument = (await client.get('/api/me/export')).json();
    expect(exported.tasks.map((task) => task.origin)).toEqual(file().tasks.map((task) => task.origin));
    expect(exported.tasks.every((task) => task.tags[0] === 'Home' && task.completions.length === 1)).toBe(
      true,
    );
    const [conversation] = exported.conversations;
    expect(conversation?.messages.map((message) => message.content)).toEqual(
      file().conversations[0]?.messages.map((message) => message.content),
    );
    // Task ids in tool calls are the ids here: the task the file numbered i.
    const byFileId = new Map(exported.tasks.map((task, index) => [index + 1, task.id]));
    const call = conversation?.messages[1]?.tool_calls[0];
    expect(call?.parameters).toEqual({ task_id: byFileId.get(1) });

    const again = await client.post('/api/me/import', file());
    expect(again.json().tasks).toEqual({ created: 0, skipped: TASKS });
  });
});
