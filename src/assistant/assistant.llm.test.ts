import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlm, startFakeLlm } from '../../test/fake-llm.ts';
import { createTestApp, expectProblem, registerUser, type TestApp } from '../../test/helpers.ts';
import { clientFor } from '../tasks/tasks.test-helpers.ts';

let llm: FakeLlm;
let t: TestApp;
beforeAll(async () => {
  llm = await startFakeLlm();
  t = await createTestApp({
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: llm.url,
      OPENAI_MODEL: 'scripted',
      ASSISTANT_TIMEOUT_SECONDS: '5',
    },
  });
});
afterAll(async () => {
  await t.close();
  await llm.close();
});

async function newUser() {
  const user = await registerUser(t.app);
  return { user, client: clientFor(t, user) };
}

/** The messages of the user's only conversation, as stored. */
async function stored(client: ReturnType<typeof clientFor>) {
  const [conversation] = (await client.get('/api/me/conversations')).json();
  return (await client.get(`/api/me/conversations/${conversation.id}/messages`)).json() as Array<{
    role: string;
    content: string;
  }>;
}

describe('the assistant with a model', () => {
  it('runs the tool calls the model asks for, then gives its final message, and sends it the history', async () => {
    const { user, client } = await newUser();
    llm.script(
      {
        toolCalls: [
          { name: 'add_task', arguments: JSON.stringify({ title: 'Call mum', due_date: '2026-12-03' }) },
        ],
      },
      { text: 'I added “Call mum” for 3 December.' },
    );
    const response = await client.post('/api/me/chat', { message: 'remind me to call mum on 3 Dec' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      response: 'I added “Call mum” for 3 December.',
      tool_calls: [
        {
          tool_name: 'add_task',
          parameters: { title: 'Call mum', due_date: '2026-12-03' },
          result: { success: true, data: { task: { title: 'Call mum', user_id: user.id } } },
        },
      ],
    });
    const tasks = (await client.get('/api/me/tasks')).json().tasks;
    expect(tasks).toHaveLength(1);

    // The second round carried the tool call and its result; every round offered the five tools.
    const second = llm.requests[1] as {
      messages: Array<{ role: string; tool_call_id?: string }>;
      tools: unknown[];
    };
    expect(second.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(second.tools).toHaveLength(5);

    // The next turn sends the whole conversation again.
    llm.script({ text: 'You have one task.' });
    await client.post('/api/me/chat', { message: 'how many tasks?', conversation_id: body.conversation_id });
    const third = llm.requests[0] as { messages: Array<{ role: string }> };
    expect(third.messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
      'user',
    ]);
  });

  it('hands a tool’s refusal back to the model as a result it can act on', async () => {
    const { client } = await newUser();
    llm.script(
      { toolCalls: [{ name: 'complete_task', arguments: '{"task_id": 424242}' }] },
      { text: 'I could not find that task.' },
    );
    const body = (await client.post('/api/me/chat', { message: 'complete task 424242' })).json();
    expect(body.tool_calls[0].result).toMatchObject({ success: false, code: 'tasks.not_found' });
    const toolMessage = (
      llm.requests[1] as { messages: Array<{ role: string; content: string }> }
    ).messages.at(-1);
    expect(toolMessage?.role).toBe('tool');
    expect(JSON.parse(toolMessage?.content ?? '{}')).toMatchObject({
      success: false,
      code: 'tasks.not_found',
    });
  });

  it('answers a malformed tool call with a tool error, and an unknown tool too, without acting', async () => {
    const { client } = await newUser();
    llm.script(
      {
        toolCalls: [
          { name: 'add_task', arguments: '{"title": "Broken' },
          { name: 'drop_database', arguments: '{}' },
        ],
      },
      { text: 'Sorry, something went wrong.' },
    );
    const body = (await client.post('/api/me/chat', { message: 'add something' })).json();
    expect(body.tool_calls.map((c: { result: { code: string } }) => c.result.code)).toEqual([
      'tool.invalid_arguments',
      'tool.unknown',
    ]);
    expect((await client.get('/api/me/tasks')).json().total).toBe(0);
  });

  it('answers 503 when the model is down, with the user’s message stored', async () => {
    const { client } = await newUser();
    llm.script({ status: 503 }, { status: 503 });
    const response = await client.post('/api/me/chat', { message: 'is anyone there?' });
    expectProblem(response, 503, 'assistant.provider_unavailable');
    expect((await stored(client)).map((m) => m.content)).toEqual(['is anyone there?']);
  });

  it('answers 502 when the model refuses the request', async () => {
    const { client } = await newUser();
    llm.script({ status: 400 });
    expectProblem(await client.post('/api/me/chat', { message: 'hello' }), 502, 'assistant.provider_failed');
  });

  it('answers 503 when the model is too slow, within the time bound', async () => {
    const { client } = await newUser();
    llm.script({ delayMs: 30_000, reply: { text: 'too late' } });
    const started = Date.now();
    const response = await client.post('/api/me/chat', { message: 'take your time' });
    expectProblem(response, 503, 'assistant.provider_timeout');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await stored(client)).map((m) => m.content)).toEqual(['take your time']);
  });

  it('stops after 8 rounds of tool calls', async () => {
    const { client } = await newUser();
    const listing = { toolCalls: [{ name: 'list_tasks', arguments: '{}' }] };
    llm.script(...Array.from({ length: 8 }, () => listing));
    const body = (await client.post('/api/me/chat', { message: 'loop forever' })).json();
    expect(body.tool_calls).toHaveLength(8);
    expect(body.response).toMatch(/stopped after 8 steps/);
  });

  it('streams the text and each tool call as server-sent events', async () => {
    const { client } = await newUser();
    llm.script(
      { toolCalls: [{ name: 'add_task', arguments: '{"title": "Stream me"}' }] },
      { text: 'Added it for you.' },
    );
    const response = await client.post(
      '/api/me/chat',
      { message: 'add stream me' },
      { accept: 'text/event-stream' },
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = response.body
      .trim()
      .split('\n\n')
      .map((block) => {
        const [event, data] = block.split('\n');
        return {
          event: event?.replace('event: ', ''),
          data: JSON.parse(data?.replace('data: ', '') ?? 'null'),
        };
      });
    expect(events.map((e) => e.event)).toEqual([
      'conversation',
      'tool_call',
      'text',
      'text',
      'text',
      'text',
      'done',
    ]);
    expect(events[1]?.data).toMatchObject({ tool_name: 'add_task', result: { success: true } });
    expect(
      events
        .filter((e) => e.event === 'text')
        .map((e) => e.data.delta)
        .join(''),
    ).toBe('Added it for you.');
    expect(events.at(-1)?.data).toMatchObject({
      response: 'Added it for you.',
      tool_calls: [{ tool_name: 'add_task' }],
    });
  });

  it('streams a failure as an error event', async () => {
    const { client } = await newUser();
    llm.script({ status: 500 }, { status: 500 });
    const response = await client.post('/api/me/chat', { message: 'hello' }, { accept: 'text/event-stream' });
    expect(response.body).toMatch(/event: error\ndata: .*"code":"assistant.provider_unavailable"/);
  });
});
