import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countEventLoopTurns,
  createTestApp,
  expectProblem,
  registerUser,
  type TestApp,
} from '../../test/helpers.ts';
import { clientFor } from '../tasks/testing.ts';
import { MESSAGE_MAX } from './assistant.schemas.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('chat and conversations', () => {
  it('gives the event loop turns between the steps of a chat turn', async () => {
    const user = await registerUser(t.app);
    const client = clientFor(t, user);
    await client.post('/api/me/chat', { message: 'add warm up' });
    // On the embedded database every statement resolves without a turn of the event loop; counted here, the
    // turn's steps (setup, the provider, the tool call, the reply) each give one.
    const counter = countEventLoopTurns();
    const reply = await client.post('/api/me/chat', { message: 'add water the plants every monday' });
    const turns = counter.stop();
    expect(reply.statusCode).toBe(200);
    expect(turns).toBeGreaterThanOrEqual(6);
  });

  it('answers with the conversation id, the reply and the tool calls, and keeps every message', async () => {
    const user = await registerUser(t.app);
    const client = clientFor(t, user);
    const first = await client.post(`/api/${user.id}/chat`, { message: 'add buy milk' });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body).toMatchObject({
      conversation_id: expect.any(Number),
      response: expect.stringContaining('buy milk'),
      tool_calls: [
        {
          tool_name: 'add_task',
          parameters: { title: 'buy milk' },
          result: { success: true, data: { task: { title: 'buy milk', user_id: user.id } } },
        },
      ],
    });
    const second = await client.post(`/api/users/${user.id}/chat`, {
      message: 'complete it',
      conversation_id: body.conversation_id,
    });
    expect(second.json().conversation_id).toBe(body.conversation_id);

    const conversations = (await client.get('/api/me/conversations')).json();
    expect(conversations).toEqual([
      expect.objectContaining({ id: body.conversation_id, title: 'add buy milk' }),
    ]);
    const messages = (await client.get(`/api/me/conversations/${body.conversation_id}/messages`)).json();
    expect(messages.map((m: { role: string }) => m.role)).toEqual([
      'user',
      'assistant',
      'assistant',
      'user',
      'assistant',
      'assistant',
    ]);
    expect(messages[1].tool_calls[0]).toMatchObject({ tool_name: 'add_task' });

    expect((await client.delete(`/api/me/conversations/${body.conversation_id}`)).statusCode).toBe(204);
    expectProblem(
      await client.get(`/api/me/conversations/${body.conversation_id}/messages`),
      404,
      'assistant.conversation_not_found',
    );
  });

  it('treats another user’s conversation as missing, and their path as forbidden', async () => {
    const owner = await registerUser(t.app);
    const intruder = clientFor(t, await registerUser(t.app));
    const { conversation_id } = (
      await clientFor(t, owner).post('/api/me/chat', { message: 'add secret' })
    ).json();
    expectProblem(
      await intruder.post('/api/me/chat', { message: 'delete secret', conversation_id }),
      404,
      'assistant.conversation_not_found',
    );
    expectProblem(
      await intruder.get(`/api/me/conversations/${conversation_id}/messages`),
      404,
      'assistant.conversation_not_found',
    );
    expectProblem(
      await intruder.delete(`/api/me/conversations/${conversation_id}`),
      404,
      'assistant.conversation_not_found',
    );
    expectProblem(await intruder.get(`/api/${owner.id}/conversations`), 403, 'assistant.forbidden');
    // Nothing a message says reaches another user's tasks.
    await intruder.post('/api/me/chat', { message: 'delete secret' });
    expect((await clientFor(t, owner).get('/api/me/tasks')).json().total).toBe(1);
  });

  it('refuses an empty, an overlong or an unknown field, and a missing token', async () => {
    const client = clientFor(t, await registerUser(t.app));
    expectProblem(await client.post('/api/me/chat', { message: '   ' }), 400, 'request.invalid');
    expectProblem(
      await client.post('/api/me/chat', { message: 'x'.repeat(MESSAGE_MAX + 1) }),
      400,
      'request.invalid',
    );
    expectProblem(
      await client.post('/api/me/chat', { message: 'hi', user_id: 'someone' }),
      400,
      'request.invalid',
    );
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/me/chat', payload: { message: 'hi' } });
    expectProblem(anonymous, 401, 'auth.missing_token');
  });

  it('limits each user to CHAT_RATE_LIMIT_PER_MINUTE messages', async () => {
    const limited = await createTestApp({
      env: { RATE_LIMIT_ENABLED: 'true', CHAT_RATE_LIMIT_PER_MINUTE: '3' },
    });
    try {
      const [a, b] = [await registerUser(limited.app), await registerUser(limited.app)];
      const send = (user: typeof a) => clientFor(limited, user).post('/api/me/chat', { message: 'hello' });
      for (let i = 0; i < 3; i++) expect((await send(a)).statusCode).toBe(200);
      const refused = await send(a);
      expectProblem(refused, 429, 'request.rate_limited');
      expect(refused.headers['retry-after']).toBeDefined();
      expect((await send(b)).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('documents the chat and conversation routes in the OpenAPI document, and keeps /mcp out of it', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/{user_id}/chat',
        '/api/{user_id}/conversations',
        '/api/{user_id}/conversations/{conversation_id}/messages',
        '/api/{user_id}/conversations/{conversation_id}',
      ]),
    );
    expect(Object.keys(spec.paths)).not.toContain('/mcp');
  });

  it('has no routes when the assistant is switched off', async () => {
    const off = await createTestApp({ env: { FEATURES: 'tasks' } });
    try {
      const user = await registerUser(off.app);
      expect((await clientFor(off, user).post('/api/me/chat', { message: 'hi' })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
