import { describe, expect, it } from 'vitest';
import { HttpProblem } from '../http/problem.ts';
import { fieldErrors, type IssueLike, invalidRequest } from '../http/validation.ts';
import { importBody } from './export.schemas.ts';
import { exportedTask } from './export.test-helpers.ts';
import { MAX_RULES_PER_IMPORT, validateImport } from './import-validation.ts';

const at = '2026-01-01T00:00:00Z';
const task = (i: number, extra: Record<string, unknown> = {}) =>
  exportedTask(i, at, { recurrence: 'rrule:freq=weekly;byday=mo', ...extra });
const conversation = (i: number, extra: Record<string, unknown> = {}) => ({
  origin: `elsewhere/conversations/${i}`,
  id: i + 1,
  title: 'hello',
  created_at: at,
  updated_at: at,
  messages: [
    { role: 'user', content: 'add milk', tool_calls: [], created_at: at },
    {
      role: 'assistant',
      content: '',
      tool_calls: [{ id: 'c', tool_name: 'add_task', parameters: { title: 'milk' }, result: {} }],
      created_at: at,
    },
  ],
  ...extra,
});
const file = (extra: Record<string, unknown> = {}) => ({
  format: 'doable-export',
  version: 1,
  exported_at: at,
  profile: { id: 'x', email: null, name: 'x', timezone: 'UTC', created_at: at },
  tags: ['home'],
  tasks: [task(0), task(1)],
  conversations: [conversation(0)],
  api_tokens: [],
  ...extra,
});

/** What the route's schema alone would answer: the document, or the 400's errors. */
function whole(body: unknown) {
  const result = importBody.safeParse(body);
  if (result.success) return { data: result.data };
  return {
    errors: invalidRequest(fieldErrors(result.error.issues as IssueLike[], 'body', importBody)).errors,
  };
}

async function sliced(body: unknown) {
  try {
    return { data: await validateImport(body) };
  } catch (error) {
    if (!(error instanceof HttpProblem)) throw error;
    return { errors: error.errors };
  }
}

describe('the import validated in slices', () => {
  it('gives the document or the errors the whole schema gives, in the same order', async () => {
    const deep = (depth: number): unknown => (depth === 0 ? 1 : [deep(depth - 1)]);
    const bodies: unknown[] = [
      file(),
      [1, 2, 3],
      null,
      'text',
      file({ extra: 1, format: 'other', api_tokens: [{ name: 1 }] }),
      file({ tasks: 'none', conversations: {} }),
      file({ tasks: Array.from({ length: 100_001 }, () => 1) }),
      file({
        tasks: [
          task(0, { title: '', unknown: 1, completions: [{ due_date: 'soon', completed_at: at, x: 1 }, 5] }),
          7,
          task(2, { recurrence: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', completions: 'no' }),
          task(3, { completions: Array.from({ length: 10_001 }, () => ({})) }),
          task(4, { due_date: '0000-01-01', completed: 'yes' }),
        ],
        conversations: [
          conversation(0, {
            messages: [{ role: 'robot', content: 1, tool_calls: [], created_at: at, y: 2 }],
          }),
          conversation(1, {
            title: 5,
            messages: [
              {
                role: 'user',
                content: '',
                tool_calls: [{ id: 'c', tool_name: 'x', parameters: deep(30), result: null }],
                created_at: at,
              },
            ],
          }),
          conversation(2, { messages: null, z: 1 }),
        ],
        tags: [5],
        surplus: true,
      }),
    ];
    for (const body of bodies) expect(await sliced(body)).toEqual(whole(body));
  });

  it('refuses a file with more different recurrence rules than an import takes, before walking any', async () => {
    const rules = Array.from(
      { length: MAX_RULES_PER_IMPORT + 1 },
      (_, i) => ` freq=daily;bymonth=12;bymonthday=31;byday=mo;interval=${i + 1} `,
    );
    const refused = await validateImport(
      file({ tasks: rules.map((recurrence, i) => task(i, { recurrence })) }),
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpProblem);
    expect((refused as HttpProblem).errors).toEqual([
      { field: 'body.tasks', message: expect.stringMatching(/201 different recurrence rules/) },
    ]);
    // The same rule written in many ways is one rule.
    const padded = Array.from(
      { length: 300 },
      (_, i) => `${' '.repeat(i % 7)}FREQ=WEEKLY;BYDAY=MO${' '.repeat(i)}`,
    );
    const accepted = await validateImport(
      file({ tasks: padded.map((recurrence, i) => task(i, { recurrence })) }),
    );
    expect(accepted.tasks).toHaveLength(300);
  });

  it('gives the event loop turns while it validates a long file', async () => {
    let turns = 0;
    // As many distinct rules as an import takes, each walked: checks that one stretch of the loop would hold.
    const tasks = Array.from({ length: 3_000 }, (_, i) =>
      task(i, { recurrence: `FREQ=DAILY;BYDAY=FR;BYMONTHDAY=13;COUNT=${(i % MAX_RULES_PER_IMPORT) + 1}` }),
    );
    const body = file({ tasks });
    const document = await validateImport(body, () => turns++);
    expect(turns).toBeGreaterThan(0);
    expect(document).toEqual(importBody.parse(body));
  });
});
