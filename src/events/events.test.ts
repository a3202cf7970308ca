import { connect } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventStream, openEventStream, type StreamBlock } from '../../bench/lib.ts';
import {
  captureLogs,
  createTestApp,
  expectProblem,
  registerUser,
  type TestApp,
  type TestUser,
} from '../../test/helpers.ts';
import { connectApp, listeningTestApp } from '../auth/testing.ts';
import { type Client, clientFor, movableClock } from '../tasks/testing.ts';
import { createEventsRepository, publishEvent, usersAudience } from './events.repository.ts';

/**
 * Live updates over a real socket (a stream never ends, which app.inject would wait for): who gets which event,
 * from every path that changes tasks and lists, resuming, heartbeats, caps, expiry, slow readers and shutdown.
 */

const time = movableClock(new Date().toISOString());
const logs = captureLogs();
let t: TestApp;
let base: string;
let owner: TestUser;
let api: Client;
const streams: EventStream[] = [];

beforeAll(async () => {
  t = await createTestApp({
    clock: time.clock,
    logStream: logs.stream,
    env: {
      LOG_LEVEL: 'info',
      EVENTS_HEARTBEAT_SECONDS: '1',
      EVENTS_STREAMS_PER_USER: '3',
      EVENTS_CREDENTIAL_CHECK_SECONDS: '1',
    },
  });
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  owner = await registerUser(t.app, { name: 'Ada' });
  api = clientFor(t, owner);
});
afterAll(async () => {
  for (const stream of streams) stream.close();
  await t?.close();
});

/** A stream of the user's, closed after the test file. */
async function follow(
  user: Pick<TestUser, 'headers'>,
  headers: Record<string, string> = {},
  query = '',
): Promise<EventStream> {
  const stream = await openEventStream(`${base}/api/me/events${query}`, { ...user.headers, ...headers });
  streams.push(stream);
  return stream;
}

const payload = (block: StreamBlock) => JSON.parse(block.data);
const isEvent =
  (type: string, check: (data: Record<string, unknown>) => boolean = () => true) =>
  (block: StreamBlock) =>
    block.event === type && check(payload(block));
/** The stream's beginning has been read: it is live from here on. */
const opened = (stream: EventStream) => stream.next((block) => block.id !== undefined && block.event === '');

describe('GET /api/{user_id}/events', () => {
  it('refuses a request without a token, and another user’s path, before any stream', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/me/events' });
    expectProblem(anonymous, 401, 'auth.missing_token');
    const other = await registerUser(t.app);
    const theirs = await t.app.inject({
      method: 'GET',
      url: `/api/${owner.id}/events`,
      headers: other.headers,
    });
    expectProblem(theirs, 403, 'events.forbidden');
  });

  it('answers an event stream that no proxy buffers, transforms or caches, with the request id', async () => {
    const stream = await follow(owner, { 'x-request-id': 'live-updates-1' });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('x-request-id')).toBe('live-updates-1');
    expect(stream.headers.get('content-encoding')).toBeNull();
    const first = await stream.next(() => true);
    expect(first.retry).toBe(3000);
    const start = await opened(stream);
    expect(Number(start.id)).toBeGreaterThanOrEqual(0);
    stream.close();
  });

  it('sends a change to the owner’s streams, each tab, and not to another user’s', async () => {
    const other = await registerUser(t.app);
    const [tab1, tab2, theirs] = await Promise.all([follow(owner), follow(owner), follow(other)]);
    await Promise.all([opened(tab1), opened(tab2), opened(theirs)]);
    const task = await api.create({ title: 'Water the plants' });
    for (const tab of [tab1, tab2]) {
      const event = await tab.next(isEvent('task.created'));
      expect(Number(event.id)).toBeGreaterThan(0);
      expect(payload(event)).toEqual({
        type: 'task.created',
        id: Number(event.id),
        list_id: task.list_id,
        task_id: task.id,
        actor: { id: owner.id, name: 'Ada' },
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    }
    // The other user's stream is live (it gets its own change) and got nothing of the owner's before it.
    await clientFor(t, other).create({ title: 'Theirs' });
    await theirs.next(isEvent('task.created'));
    expect(theirs.events().map(payload)).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ id: other.id }) }),
    ]);
    for (const stream of [tab1, tab2, theirs]) stream.close();
  });

  it('tells of every change to tasks and lists made through the API', async () => {
    const stream = await follow(owner);
    await opened(stream);
    const task = await api.create({ title: 'Pay rent' });
    await api.patch(`/api/me/tasks/${task.id}`, { priority: 'high' });
    await api.patch(`/api/me/tasks/${task.id}/complete`, {});
    await api.put(`/api/me/tasks/${task.id}`, { title: 'Pay the rent' });
    // A change that changes nothing is not news.
    await api.patch(`/api/me/tasks/${task.id}`, {});
    const list = (await api.post('/api/me/lists', { name: 'Home' })).json();
    await api.patch(`/api/me/lists/${list.id}`, { name: 'House' });
    await api.patch(`/api/me/tasks/${task.id}`, { list_id: list.id });
    await api.delete(`/api/me/tasks/${task.id}`);
    await api.post(`/api/me/tasks/${task.id}/restore`);
    const inbox = task.list_id;
    expect((await api.delete(`/api/me/lists/${list.id}?move_to=${inbox}`)).statusCode).toBe(204);
    await stream.next(isEvent('list.updated', (data) => data.list_id === inbox));
    expect(
      stream.events().map((block) => [block.event, payload(block).task_id, payload(block).list_id]),
    ).toEqual([
      ['task.created', task.id, inbox],
      ['task.updated', task.id, inbox],
      ['task.updated', task.id, inbox],
      ['task.updated', task.id, inbox],
      ['list.created', null, list.id],
      ['list.updated', null, list.id],
      // Moved: the Inbox's people are told with its id, the list's with the list's; the owner is both.
      ['task.updated', task.id, inbox],
      ['task.updated', task.id, list.id],
      ['task.deleted', task.id, list.id],
      ['task.restored', task.id, list.id],
      ['list.deleted', null, list.id],
      ['list.updated', null, inbox],
    ]);
    // In the order they happened, each with a larger id.
    const ids = stream.events().map((block) => Number(block.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    stream.close();
  });

  it('tells of tasks added by quick add, the assistant’s tools and MCP, and of an import as one reset', async () => {
    const stream = await follow(owner);
    await opened(stream);
    const quick = await api.post('/api/me/tasks/quick', { text: 'Call mum tomorrow 5pm p1' });
    expect(quick.statusCode).toBe(201);
    const chat = await api.post('/api/me/chat', { message: 'add buy milk' });
    expect(chat.json().tool_calls[0].tool_name).toBe('add_task');
    const mcp = await t.app.inject({
      method: 'POST',
      url: '/mcp',
      headers: { ...owner.headers, accept: 'application/json, text/event-stream' },
      payload: {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'add_task', arguments: { title: 'From an MCP client' } },
      },
    });
    expect(mcp.statusCode).toBe(200);
    const exported = (await api.get('/api/me/export')).json();
    const fresh = await registerUser(t.app);
    const freshStream = await follow(fresh);
    await opened(freshStream);
    const imported = await clientFor(t, fresh).post('/api/me/import', exported);
    expect(imported.statusCode, imported.body).toBe(200);
    await freshStream.next(isEvent('tasks.reset'));
    expect(freshStream.events().map((block) => block.event)).toEqual(['tasks.reset']);

    await stream.next((block) => stream.events().length >= 3 && block === stream.events()[2]);
    const tasks = (await api.get('/api/me/tasks?status=all&limit=200')).json().tasks as Array<{
      id: number;
      title: string;
    }>;
    const titled = (title: string) => tasks.find((one) => one.title === title)?.id;
    expect(stream.events().map((block) => [block.event, payload(block).task_id])).toEqual([
      ['task.created', quick.json().id],
      ['task.created', titled('buy milk')],
      ['task.created', titled('From an MCP client')],
    ]);
    stream.close();
    freshStream.close();
  });

  it('announces nothing of a change that was rolled back', async () => {
    const stream = await follow(owner);
    await opened(stream);
    await t.database.db
      .transaction(async (tx) => {
        await publishEvent(tx, {
          type: 'tasks.reset',
          audience: usersAudience([owner.id]),
          actorId: owner.id,
        });
        throw new Error('roll back');
      })
      .catch(() => {});
    await api.create({ title: 'After the rollback' });
    await stream.next(isEvent('task.created'));
    expect(stream.events().map((block) => block.event)).toEqual(['task.created']);
    stream.close();
  });
});

describe('a shared list', () => {
  it('tells its members of each other’s changes, the invitee of the invitation, and a former member nothing more', async () => {
    const ann = await registerUser(t.app, { name: 'Ann' });
    const ben = await registerUser(t.app, { name: 'Ben' });
    const inject = (user: TestUser, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
    const list = (await inject(ann, 'POST', '/api/me/lists', { name: 'Groceries' })).json() as { id: number };
    const [annStream, benStream] = await Promise.all([follow(ann), follow(ben)]);
    await Promise.all([opened(annStream), opened(benStream)]);

    // Ben's page hears of the invitation (so it shows it), though nothing of the list is his yet.
    expect(
      (await inject(ann, 'POST', `/api/me/lists/${list.id}/members`, { email: ben.email, role: 'editor' }))
        .statusCode,
    ).toBe(201);
    await benStream.next(isEvent('list.updated', (data) => data.list_id === list.id));
    expect((await inject(ben, 'POST', `/api/me/lists/${list.id}/membership`)).statusCode).toBe(200);
    await annStream.next(
      isEvent('list.updated', (data) => data.actor !== null && (data.actor as { id: string }).id === ben.id),
    );

    // A member's change reaches the owner, and the owner's the member.
    const byBen = await inject(ben, 'POST', '/api/me/tasks', { title: 'Oat milk', list_id: list.id });
    expect(byBen.statusCode).toBe(201);
    const taskId = (byBen.json() as { id: number }).id;
    await annStream.next(isEvent('task.created', (data) => data.task_id === taskId));
    await inject(ann, 'POST', '/api/me/tasks', { title: 'Bread', list_id: list.id });
    await benStream.next(isEvent('task.created', (data) => (data.actor as { id: string }).id === ann.id));

    // Ben leaves: he hears of it (his page drops the list), and of nothing in the list after.
    expect((await inject(ben, 'DELETE', `/api/me/lists/${list.id}/membership`)).statusCode).toBe(204);
    await benStream.next(isEvent('list.updated', (data) => (data.actor as { id: string }).id === ben.id));
    const later = await inject(ann, 'POST', '/api/me/tasks', { title: 'After Ben left', list_id: list.id });
    const laterId = (later.json() as { id: number }).id;
    await annStream.next(isEvent('task.created', (data) => data.task_id === laterId));
    // Ben's own change is the mark that his stream is caught up: nothing of Ann's came before it.
    await clientFor(t, ben).create({ title: 'Ben’s own' });
    await benStream.next(
      isEvent(
        'task.created',
        (data) => (data.actor as { id: string }).id === ben.id && data.list_id !== list.id,
      ),
    );
    expect(
      benStream
        .events()
        .map(payload)
        .filter((data) => data.task_id === laterId),
    ).toEqual([]);
    annStream.close();
    benStream.close();
  });
});

describe('a list deleted', () => {
  it('is told to the accounts invited to it, whose pages show the invitation, and not to others', async () => {
    const ann = await registerUser(t.app, { name: 'Ann' });
    const ben = await registerUser(t.app, { name: 'Ben' });
    const dan = await registerUser(t.app, { name: 'Dan' });
    const annApi = clientFor(t, ann);
    const list = (await annApi.post('/api/me/lists', { name: 'Book club' })).json() as { id: number };
    const other = (await annApi.post('/api/me/lists', { name: 'Garden' })).json() as { id: number };
    // Ben's address is invited in other capitals than his account's; Dan is invited to another list.
    for (const [id, email] of [
      [list.id, ben.email.toUpperCase()],
      [other.id, dan.email],
    ] as const)
      expect((await annApi.post(`/api/me/lists/${id}/members`, { email, role: 'viewer' })).statusCode).toBe(
        201,
      );
    const [benStream, danStream] = [await follow(ben), await follow(dan)];
    await Promise.all([opened(benStream), opened(danStream)]);

    // A new name reaches the invitee too, whose invitation shows it.
    expect((await annApi.patch(`/api/me/lists/${list.id}`, { name: 'Reading club' })).statusCode).toBe(200);
    expect(payload(await benStream.next(isEvent('list.updated')))).toMatchObject({ list_id: list.id });
    expect((await clientFor(t, ben).get('/api/me/invitations')).json()).toMatchObject([
      { list_id: list.id, list_name: 'Reading club' },
    ]);

    expect((await annApi.delete(`/api/me/lists/${list.id}`)).statusCode).toBe(204);
    const deleted = await benStream.next(isEvent('list.deleted'));
    expect(payload(deleted)).toMatchObject({ list_id: list.id, actor: { id: ann.id, name: 'Ann' } });
    // Dan's own change is the mark that his stream is caught up: nothing of the other list came before it.
    const own = await clientFor(t, dan).create({ title: 'Dan’s own' });
    await danStream.next(isEvent('task.created', (data) => data.task_id === own.id));
    expect(danStream.events().map((block) => block.event)).toEqual(['task.created']);
    // The invitation is gone with the list.
    expect((await clientFor(t, ben).get('/api/me/invitations')).json()).toEqual([]);
    benStream.close();
    danStream.close();
  });
});

describe('a task moved out of a shared list', () => {
  it('is told to the shared list’s members with that list’s id, never the private list’s it went to', async () => {
    const ann = await registerUser(t.app, { name: 'Ann' });
    const ben = await registerUser(t.app, { name: 'Ben' });
    const annApi = clientFor(t, ann);
    const benApi = clientFor(t, ben);
    const shared = (await annApi.post('/api/me/lists', { name: 'Team' })).json() as { id: number };
    const secret = (await annApi.post('/api/me/lists', { name: 'Private plans' })).json() as { id: number };
    await annApi.post(`/api/me/lists/${shared.id}/members`, { email: ben.email, role: 'editor' });
    expect((await benApi.post(`/api/me/lists/${shared.id}/membership`)).statusCode).toBe(200);
    const task = await annApi.create({ title: 'Plan the offsite', list_id: shared.id });
    const [annStream, benStream] = [await follow(ann), await follow(ben)];
    await Promise.all([opened(annStream), opened(benStream)]);

    const moved = await annApi.patch(`/api/me/tasks/${task.id}`, { list_id: secret.id });
    expect(moved.statusCode, moved.body).toBe(200);
    // Ben hears that the task left the shared list; Ann, in both, hears of both lists.
    await benStream.next(isEvent('task.updated', (data) => data.task_id === task.id));
    await annStream.next(isEvent('task.updated', (data) => data.list_id === secret.id));
    // (Updates only: a stream opened just after the task was made may still hear of its making.)
    const updates = (stream: typeof annStream) =>
      stream
        .events()
        .filter((block) => block.event === 'task.updated')
        .map(payload)
        .filter((data) => data.task_id === task.id)
        .map((data) => data.list_id);
    expect(updates(annStream)).toEqual([shared.id, secret.id]);
    // Ben's own change is the mark that his stream is caught up: nothing named the private list before it.
    const own = await benApi.create({ title: 'Ben’s own' });
    await benStream.next(isEvent('task.created', (data) => data.task_id === own.id));
    const seen = benStream.events().map(payload);
    expect(updates(benStream)).toEqual([shared.id]);
    expect(seen.some((data) => data.list_id === secret.id)).toBe(false);
    // And back: Ben is told the task came into the shared list, with its id, and again nothing of the other.
    const mark = benStream.blocks.length;
    await annApi.patch(`/api/me/tasks/${task.id}`, { list_id: shared.id });
    const back = await benStream.next(isEvent('task.updated'), 5_000, mark);
    expect(payload(back)).toMatchObject({ task_id: task.id, list_id: shared.id });
    expect(benStream.events().some((block) => payload(block).list_id === secret.id)).toBe(false);
    annStream.close();
    benStream.close();
  });
});

describe('resuming', () => {
  it('replays, in order, only the events after Last-Event-ID, then goes on live', async () => {
    const first = await follow(owner);
    await opened(first);
    await api.create({ title: 'Seen' });
    const seen = await first.next(isEvent('task.created'));
    first.close();
    const missed = [await api.create({ title: 'Missed 1' }), await api.create({ title: 'Missed 2' })];
    const again = await follow(owner, { 'last-event-id': String(seen.id) });
    const replayed = await again.next(isEvent('task.created', (data) => data.task_id === missed[1].id));
    expect(again.events().map((block) => payload(block).task_id)).toEqual(missed.map((task) => task.id));
    expect(Number(replayed.id)).toBeGreaterThan(Number(seen.id));
    const live = await api.create({ title: 'Live again' });
    await again.next(isEvent('task.created', (data) => data.task_id === live.id));
    again.close();

    // The same with the query parameter, for clients that cannot set the header.
    const byQuery = await follow(owner, {}, `?last_event_id=${seen.id}`);
    await byQuery.next(isEvent('task.created', (data) => data.task_id === live.id));
    expect(byQuery.events().map((block) => payload(block).task_id)).toEqual(
      [...missed, live].map((task) => task.id),
    );
    byQuery.close();
  });

  it('sends one reset for an id older than what is kept, or one this server never gave', async () => {
    const stream = await follow(owner);
    await opened(stream);
    await api.create({ title: 'Soon forgotten' });
    const old = await stream.next(isEvent('task.created'));
    stream.close();
    await api.create({ title: 'Missed and forgotten' });
    await api.create({ title: 'Kept' });
    // Every event ages past the retention and is pruned, but the newest: the one after the old id is gone.
    await t.database.db.execute(sql`update events set created_at = now() - interval '1 hour'`);
    expect(await createEventsRepository(t.database.db).prune()).toBeGreaterThan(0);
    const expired = await follow(owner, { 'last-event-id': String(old.id) });
    const reset = await expired.next(isEvent('reset'));
    expect(payload(reset)).toEqual({ type: 'reset', reason: 'expired_id' });
    expect(Number(reset.id)).toBeGreaterThan(Number(old.id));
    expect(expired.events()).toHaveLength(1);
    expired.close();

    const unknown = await follow(owner, { 'last-event-id': '99999999999' });
    expect(payload(await unknown.next(isEvent('reset')))).toEqual({ type: 'reset', reason: 'unknown_id' });
    unknown.close();
  });

  it('takes a Last-Event-ID it cannot read for unknown, and refuses such a query parameter; never a 5xx', async () => {
    for (const id of ['garbage', '-5', '1e3', '12345678901234567890123', ' ', '0x10', '\u00e9']) {
      const stream = await follow(owner, { 'last-event-id': id });
      expect(stream.status, id).toBe(200);
      if (id.trim()) expect(payload(await stream.next(isEvent('reset'))).reason, id).toBe('unknown_id');
      else await opened(stream);
      stream.close();
    }
    for (const id of ['garbage', '-5', '', '1.5']) {
      const response = await api.get(`/api/me/events?last_event_id=${encodeURIComponent(id)}`);
      expectProblem(response, 400, 'request.invalid');
    }
    const huge = await follow(owner, {}, '?last_event_id=123456789012345678901234567890');
    expect(payload(await huge.next(isEvent('reset'))).reason).toBe('unknown_id');
    huge.close();
  });
});

describe('keeping a stream', () => {
  it('sends a heartbeat comment, with the id to resume from', async () => {
    const stream = await follow(owner);
    const start = await opened(stream);
    const beat = await stream.next((block) => block.comments.includes('keep-alive'), 3_000);
    expect(Number(beat.id)).toBeGreaterThanOrEqual(Number(start.id));
    stream.close();
  });

  it('refuses a stream beyond the per-account cap with a 429 that says to close other tabs', async () => {
    const user = await registerUser(t.app);
    const open = [await follow(user), await follow(user), await follow(user)];
    await Promise.all(open.map(opened));
    const fourth = await t.app.inject({ method: 'GET', url: '/api/me/events', headers: user.headers });
    const problem = expectProblem(fourth, 429, 'events.too_many_streams');
    expect(problem.detail).toMatch(/close other Doable tabs/);
    expect(fourth.headers['retry-after']).toBe('30');
    // A tab closed frees its place.
    open[0]?.close();
    await open[0]?.ended;
    let again: EventStream | undefined;
    for (let tries = 0; tries < 50 && again?.status !== 200; tries++) {
      again?.close();
      again = await follow(user);
      if (again.status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(again?.status).toBe(200);
    for (const stream of [...open, again]) stream?.close();
  });

  it('ends the stream when the access token expires, so that the client comes back with a fresh one', async () => {
    const user = await registerUser(t.app);
    // The token was issued now, for 15 minutes: a second before it expires, a stream opens, and ends a second later.
    const issued = time.clock().getTime();
    time.set(new Date(issued + 15 * 60_000 - 1_000).toISOString());
    try {
      const stream = await follow(user);
      expect(stream.status).toBe(200);
      const started = performance.now();
      expect(await stream.ended).toBe(true);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(stream.blocks.at(-1)?.comments.join()).toMatch(/access token expired/);
    } finally {
      time.set(new Date(issued).toISOString());
    }
  });
});

describe('a revoked credential', () => {
  /** A personal API token of the user's, as its bearer header, and its id. */
  async function personalToken(user: TestUser) {
    const created = await clientFor(t, user).post('/api/auth/tokens', {
      name: 'follower',
      scopes: ['tasks:read'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, token } = created.json() as { id: string; token: string };
    return { id, headers: { authorization: `Bearer ${token}` } };
  }

  /** The stream ends within the check's interval (1 s here) and some slack, saying why. */
  async function endsRevoked(stream: EventStream) {
    const started = performance.now();
    expect(await stream.ended).toBe(true);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(stream.blocks.at(-1)?.comments.join()).toMatch(/no longer works/);
  }

  it('ends a personal API token’s stream soon after the token is revoked, and only that one', async () => {
    const user = await registerUser(t.app);
    const [revoked, kept] = [await personalToken(user), await personalToken(user)];
    const [doomed, other, session] = [await follow(revoked), await follow(kept), await follow(user)];
    await Promise.all([opened(doomed), opened(other), opened(session)]);
    const before = await clientFor(t, user).create({ title: 'Before the revocation' });
    await doomed.next(isEvent('task.created', (data) => data.task_id === before.id));

    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/auth/tokens/${revoked.id}`,
      headers: user.headers,
    });
    expect(revoke.statusCode).toBe(204);
    await endsRevoked(doomed);
    expect(doomed.events().map((block) => payload(block).task_id)).toEqual([before.id]);

    // The other token and the session, checked again meanwhile, still follow.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await clientFor(t, user).create({ title: 'After the revocation' });
    for (const stream of [other, session])
      await stream.next(isEvent('task.created', (data) => data.task_id === after.id));
    other.close();
    session.close();
  });

  it('ends a personal API token’s stream soon after its account is deleted', async () => {
    const user = await registerUser(t.app);
    const stream = await follow(await personalToken(user));
    await opened(stream);
    await t.database.db.execute(sql`delete from users where id = ${user.id}`);
    await endsRevoked(stream);
  });

  it('ends a connected app’s stream soon after the app is disconnected', async () => {
    const oauth = await listeningTestApp({ env: { EVENTS_CREDENTIAL_CHECK_SECONDS: '1' } });
    try {
      const user = await registerUser(oauth.app);
      const app = await connectApp(oauth.base, user.accessToken, { scope: 'tasks:read' });
      const stream = await openEventStream(`${oauth.base}/api/me/events`, {
        authorization: `Bearer ${app.accessToken}`,
      });
      streams.push(stream);
      expect(stream.status).toBe(200);
      await opened(stream);
      const apps = await oauth.app.inject({ url: '/api/auth/connected-apps', headers: user.headers });
      const gone = await oauth.app.inject({
        method: 'DELETE',
        url: `/api/auth/connected-apps/${apps.json()[0].id}`,
        headers: user.headers,
      });
      expect(gone.statusCode).toBe(204);
      await endsRevoked(stream);
    } finally {
      await oauth.close();
    }
  });
});

describe('a client that does not read', () => {
  it('is disconnected once its backlog passes the bound, instead of being buffered without end', async () => {
    const user = await registerUser(t.app);
    const { port } = new URL(base);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write(
      `GET /api/me/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${user.headers.authorization}\r\nAccept: text/event-stream\r\n\r\n`,
    );
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.pause();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    // Far more than the kernel's socket buffers take (a few MB), in one statement: 40,000 events of 230 bytes.
    await t.database.db.execute(sql`
      select pg_notify('doable_events', json_build_object('id', 2000000000 + g, 'audience', array[${user.id}::text],
        'type', 'task.updated', 'list_id', 1, 'task_id', g, 'actor_id', ${user.id}::text,
        'actor_name', 'Someone with a name', 'at', now())::text)
      from generate_series(1, 40000) g`);
    // On PostgreSQL the notifications reach the server after the statement returns: the client reads nothing
    // until the server has given up on it, whenever that is.
    const dropping = () => logs.lines.some((line) => String(line.msg).includes('takes too long to read'));
    while (!dropping()) await new Promise((resolve) => setTimeout(resolve, 50));
    socket.resume();
    socket.on('data', () => {});
    await closed;
    const dropped = logs.lines.find((line) => String(line.msg).includes('takes too long to read'));
    expect(dropped).toMatchObject({ request_id: expect.any(String), backlog_bytes: expect.any(Number) });
  }, 60_000);
});

describe('a shutdown', () => {
  it('ends the open streams, and does not wait for their clients', async () => {
    const other = await createTestApp({ database: t.database });
    const url = await other.app.listen({ host: '127.0.0.1', port: 0 });
    const user = await registerUser(other.app);
    const stream = await openEventStream(`${url}/api/me/events`, user.headers);
    await opened(stream);
    const started = performance.now();
    await other.app.close();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await stream.ended).toBe(true);
    expect(stream.blocks.at(-1)?.comments.join()).toMatch(/stopping/);
  });
});
