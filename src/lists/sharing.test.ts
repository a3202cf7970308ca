import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  expectProblem,
  registerUser,
  type TestApp,
  type TestUser,
  uniqueEmail,
} from '../../test/helpers.ts';
import { type Client, clientFor, movableClock } from '../tasks/testing.ts';
import { LISTS_PER_ACCOUNT, listAudience } from './index.ts';

const time = movableClock('2026-12-03T10:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock: time.clock });
});
afterAll(() => t.close());

interface Person {
  user: TestUser;
  api: Client;
}

async function person(name = 'Test User'): Promise<Person> {
  const user = await registerUser(t.app, { name });
  return { user, api: clientFor(t, user) };
}

async function listOf(owner: Person, name: string): Promise<{ id: number; name: string }> {
  const response = await owner.api.post('/api/me/lists', { name });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/** Invites `member` to the owner's list with a role, and has them accept; returns the membership's id. */
async function share(owner: Person, listId: number, member: Person, role: 'viewer' | 'editor') {
  const invited = await owner.api.post(`/api/me/lists/${listId}/members`, { email: member.user.email, role });
  expect(invited.statusCode, invited.body).toBe(201);
  const accepted = await member.api.post(`/api/me/lists/${listId}/membership`);
  expect(accepted.statusCode, accepted.body).toBe(200);
  return invited.json().id as number;
}

const titles = (page: { tasks: Array<{ title: string }> }) => page.tasks.map((task) => task.title);

describe('inviting', () => {
  it('answers the same whether or not the address has an account, and the invitation waits for one', async () => {
    const owner = await person('Olive');
    const list = await listOf(owner, 'Family');
    const known = await person();
    const stranger = uniqueEmail('later');

    const toAccount = await owner.api.post(`/api/me/lists/${list.id}/members`, {
      email: known.user.email.toUpperCase(),
      role: 'editor',
    });
    const toNobody = await owner.api.post(`/api/me/lists/${list.id}/members`, {
      email: stranger,
      role: 'editor',
    });
    expect(toAccount.statusCode).toBe(201);
    expect(toNobody.statusCode).toBe(201);
    const shape = (body: Record<string, unknown>) => ({ ...body, id: 0, email: '', invited_at: '' });
    expect(shape(toAccount.json())).toEqual(shape(toNobody.json()));
    expect(toAccount.json()).toEqual({
      id: expect.any(Number),
      user_id: null,
      name: null,
      email: known.user.email.toLowerCase(),
      role: 'editor',
      status: 'invited',
      invited_at: '2026-12-03T10:00:00.000Z',
    });
    expect(Object.keys(toAccount.headers).sort()).toEqual(Object.keys(toNobody.headers).sort());

    // Nothing is pushed into the invitee's views before they accept.
    expect((await known.api.get('/api/me/lists')).json()).toHaveLength(1);
    expectProblem(await known.api.get(`/api/me/lists/${list.id}`), 404, 'lists.not_found');
    expect((await known.api.get('/api/me/invitations')).json()).toEqual([
      {
        list_id: list.id,
        list_name: 'Family',
        role: 'editor',
        invited_by: { name: 'Olive', email: owner.user.email },
        invited_at: '2026-12-03T10:00:00.000Z',
      },
    ]);

    // The address that registers later sees the invitation waiting for it, and accepts it.
    const later = await person();
    expect((await later.api.get('/api/me/invitations')).json()).toEqual([]);
    const registered = clientFor(t, await registerUser(t.app, { email: stranger.toUpperCase() }));
    expect((await registered.get('/api/me/invitations')).json()).toMatchObject([{ list_id: list.id }]);
    const accepted = await registered.post(`/api/me/lists/${list.id}/membership`);
    expect(accepted.json()).toMatchObject({
      id: list.id,
      name: 'Family',
      role: 'editor',
      owner: { id: owner.user.id, name: 'Olive' },
      shared: true,
    });
    expect((await registered.get('/api/me/invitations')).json()).toEqual([]);
  });

  it('changes the role of an address invited again, and refuses oneself, the Inbox and a full list', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Club');
    const email = uniqueEmail('friend');
    const first = await owner.api.post(`/api/me/lists/${list.id}/members`, { email, role: 'viewer' });
    const again = await owner.api.post(`/api/me/lists/${list.id}/members`, { email, role: 'editor' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, role: 'editor', status: 'invited' });

    expectProblem(
      await owner.api.post(`/api/me/lists/${list.id}/members`, { email: owner.user.email, role: 'viewer' }),
      400,
      'lists.invite_self',
    );
    const inbox = ((await owner.api.get('/api/me/lists')).json() as Array<{ id: number }>)[0] as {
      id: number;
    };
    expectProblem(
      await owner.api.post(`/api/me/lists/${inbox.id}/members`, { email, role: 'viewer' }),
      409,
      'lists.inbox_private',
    );
    expectProblem(
      await owner.api.post(`/api/me/lists/${list.id}/members`, { email: 'not an address', role: 'viewer' }),
      400,
      'request.invalid',
    );
    expectProblem(
      await owner.api.post(`/api/me/lists/${list.id}/members`, { email, role: 'owner' }),
      400,
      'request.invalid',
    );
    for (let i = 1; i < 50; i++)
      await owner.api.post(`/api/me/lists/${list.id}/members`, { email: `n${i}-${email}`, role: 'viewer' });
    expectProblem(
      await owner.api.post(`/api/me/lists/${list.id}/members`, {
        email: `one-more-${email}`,
        role: 'viewer',
      }),
      409,
      'lists.members_full',
    );
    // Still 200 for one already invited: a role change adds nobody.
    expect(
      (await owner.api.post(`/api/me/lists/${list.id}/members`, { email, role: 'viewer' })).statusCode,
    ).toBe(200);
  });

  it('lets an invitee decline, after which accepting is a 404', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Trip');
    const invitee = await person();
    await owner.api.post(`/api/me/lists/${list.id}/members`, { email: invitee.user.email, role: 'viewer' });
    expect((await invitee.api.delete(`/api/me/lists/${list.id}/membership`)).statusCode).toBe(204);
    expect((await invitee.api.get('/api/me/invitations')).json()).toEqual([]);
    expectProblem(
      await invitee.api.post(`/api/me/lists/${list.id}/membership`),
      404,
      'lists.invitation_not_found',
    );
    expect((await owner.api.get(`/api/me/lists/${list.id}/members`)).json()).toHaveLength(1);
  });
});

describe('members', () => {
  it('are listed owner first to every member, and managed by the owner only', async () => {
    const owner = await person('Olive');
    const list = await listOf(owner, 'House');
    const editor = await person('Ed');
    const viewer = await person('Vi');
    const editorId = await share(owner, list.id, editor, 'editor');
    const viewerId = await share(owner, list.id, viewer, 'viewer');
    const pending = uniqueEmail('pending');
    await owner.api.post(`/api/me/lists/${list.id}/members`, { email: pending, role: 'viewer' });

    const expected = [
      {
        id: null,
        user_id: owner.user.id,
        name: 'Olive',
        email: owner.user.email,
        role: 'owner',
        status: 'active',
        invited_at: null,
      },
      expect.objectContaining({ id: editorId, user_id: editor.user.id, name: 'Ed', role: 'editor' }),
      expect.objectContaining({ id: viewerId, user_id: viewer.user.id, name: 'Vi', role: 'viewer' }),
      expect.objectContaining({ user_id: null, name: null, email: pending, status: 'invited' }),
    ];
    for (const who of [owner, editor, viewer])
      expect((await who.api.get(`/api/me/lists/${list.id}/members`)).json()).toEqual(expected);

    for (const member of [editor, viewer]) {
      const refusals = [
        await member.api.post(`/api/me/lists/${list.id}/members`, { email: uniqueEmail(), role: 'viewer' }),
        await member.api.patch(`/api/me/lists/${list.id}/members/${viewerId}`, { role: 'editor' }),
        await member.api.delete(`/api/me/lists/${list.id}/members/${viewerId}`),
        await member.api.patch(`/api/me/lists/${list.id}`, { name: 'Mine now' }),
        await member.api.delete(`/api/me/lists/${list.id}`),
      ];
      for (const refusal of refusals) expectProblem(refusal, 403, 'lists.owner_only');
    }
    const promoted = await owner.api.patch(`/api/me/lists/${list.id}/members/${viewerId}`, {
      role: 'editor',
    });
    expect(promoted.json()).toMatchObject({ id: viewerId, role: 'editor', status: 'active' });
    expectProblem(
      await owner.api.patch(`/api/me/lists/${list.id}/members/99999999`, { role: 'editor' }),
      404,
      'lists.member_not_found',
    );
    expect((await viewer.api.get('/api/me/lists')).json()[1]).toMatchObject({ id: list.id, role: 'editor' });
  });

  it('may leave; the owner may not, and a former member gets the 404 of a missing list', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Band');
    const task = await owner.api.create({ title: 'Rehearse', list_id: list.id });
    const leaving = await person();
    const removed = await person();
    await share(owner, list.id, leaving, 'editor');
    const removedId = await share(owner, list.id, removed, 'viewer');

    expectProblem(
      await owner.api.delete(`/api/me/lists/${list.id}/membership`),
      409,
      'lists.owner_cannot_leave',
    );
    expect((await leaving.api.delete(`/api/me/lists/${list.id}/membership`)).statusCode).toBe(204);
    expect((await owner.api.delete(`/api/me/lists/${list.id}/members/${removedId}`)).statusCode).toBe(204);

    const missing = await leaving.api.get('/api/me/lists/2147483647');
    for (const former of [leaving, removed]) {
      const gone = await former.api.get(`/api/me/lists/${list.id}`);
      expectProblem(gone, 404, 'lists.not_found');
      const { request_id: _a, instance: _b, ...body } = gone.json();
      const { request_id: _c, instance: _d, ...missingBody } = missing.json();
      expect(body).toEqual(missingBody);
      expectProblem(await former.api.get(`/api/me/tasks/${task.id}`), 404, 'tasks.not_found');
      expectProblem(await former.api.get(`/api/me/tasks?list_id=${list.id}`), 404, 'lists.not_found');
      expectProblem(await former.api.get(`/api/me/lists/${list.id}/members`), 404, 'lists.not_found');
      expect(titles((await former.api.get('/api/me/tasks')).json())).toEqual([]);
      expectProblem(await former.api.delete(`/api/me/lists/${list.id}/membership`), 404, 'lists.not_found');
    }
  });
});

describe('deleting a list with members', () => {
  it('takes it from its members, and moves its tasks only to another list of the owner', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Old');
    await owner.api.create({ title: 'Left over', list_id: list.id });
    const member = await person();
    const theirs = await listOf(member, 'Theirs');
    await share(member, theirs.id, owner, 'editor');
    await share(owner, list.id, member, 'editor');
    expectProblem(
      await owner.api.delete(`/api/me/lists/${list.id}?move_to=${theirs.id}`),
      400,
      'lists.move_to_shared',
    );
    expect((await owner.api.delete(`/api/me/lists/${list.id}?delete_tasks=true`)).statusCode).toBe(204);
    expectProblem(await member.api.get(`/api/me/lists/${list.id}`), 404, 'lists.not_found');
    expect((await member.api.get('/api/me/lists')).json()).toHaveLength(2);
  });
});

describe('roles over the tasks of a shared list', () => {
  it('lets an editor add, change, complete and delete, each task staying the owner’s', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Garden');
    const editor = await person();
    await share(owner, list.id, editor, 'editor');

    const added = await editor.api.create({ title: 'Plant tulips', list_id: list.id, tags: ['Spring'] });
    expect(added).toMatchObject({
      user_id: owner.user.id,
      list_id: list.id,
      created_by: editor.user.id,
      updated_by: editor.user.id,
    });
    const ownerTask = await owner.api.create({ title: 'Mow', list_id: list.id });
    const changed = await editor.api.patch(`/api/me/tasks/${ownerTask.id}`, { priority: 'high' });
    expect(changed.json()).toMatchObject({
      priority: 'high',
      user_id: owner.user.id,
      created_by: owner.user.id,
      updated_by: editor.user.id,
    });
    expect(
      (await editor.api.put(`/api/me/tasks/${ownerTask.id}`, { title: 'Mow the lawn' })).statusCode,
    ).toBe(200);
    const completed = await editor.api.patch(`/api/me/tasks/${ownerTask.id}/complete`, {});
    expect(completed.json()).toMatchObject({ completed: true, updated_by: editor.user.id });
    // The owner's counts and quota: the editor's task is the owner's.
    expect((await owner.api.get('/api/me/tasks')).json().total).toBe(2);
    expect((await owner.api.get(`/api/me/lists/${list.id}`)).json()).toMatchObject({
      open_tasks: 1,
      total_tasks: 2,
    });
    expect((await editor.api.delete(`/api/me/tasks/${added.id}`)).statusCode).toBe(204);
    expectProblem(await owner.api.get(`/api/me/tasks/${added.id}`), 404, 'tasks.not_found');
  });

  it('refuses a viewer every change with 403 lists.read_only, and changes nothing', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Recipes');
    const task = await owner.api.create({ title: 'Bake bread', list_id: list.id });
    const viewer = await person();
    await share(owner, list.id, viewer, 'viewer');
    const own = await viewer.api.create({ title: 'Mine' });

    expect((await viewer.api.get(`/api/me/tasks/${task.id}`)).json().title).toBe('Bake bread');
    const refusals = [
      await viewer.api.patch(`/api/me/tasks/${task.id}`, { title: 'Burn bread' }),
      await viewer.api.put(`/api/me/tasks/${task.id}`, { title: 'Burn bread' }),
      await viewer.api.patch(`/api/me/tasks/${task.id}/complete`, {}),
      await viewer.api.delete(`/api/me/tasks/${task.id}`),
      await viewer.api.post('/api/me/tasks', { title: 'Sneak in', list_id: list.id }),
      await viewer.api.post('/api/me/tasks/quick', { text: 'Sneak in', list_id: list.id }),
      await viewer.api.post('/api/me/tasks/quick', { text: 'Sneak in +recipes' }),
      await viewer.api.patch(`/api/me/tasks/${own.id}`, { list_id: list.id }),
    ];
    for (const refusal of refusals) {
      const problem = expectProblem(refusal, 403, 'lists.read_only');
      expect(problem.detail).toBe(
        'You can view this list but not change it; ask its owner to make you an editor.',
      );
    }
    expect((await owner.api.get(`/api/me/tasks?list_id=${list.id}`)).json()).toMatchObject({
      total: 1,
      tasks: [{ title: 'Bake bread', completed: false, updated_by: owner.user.id }],
    });
    expect((await viewer.api.get(`/api/me/tasks/${own.id}`)).json().list_id).not.toBe(list.id);
  });

  it('moves a task into another owner’s list and out again, its owner, count and tags following', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Shared');
    await owner.api.create({ title: 'Tagged', tags: ['Work'] });
    const editor = await person();
    await share(owner, list.id, editor, 'editor');
    const task = await editor.api.create({ title: 'Mine first', tags: ['work', 'extra'] });
    expect((await editor.api.get('/api/me/tasks')).json().total).toBe(1);

    const moved = await editor.api.patch(`/api/me/tasks/${task.id}`, { list_id: list.id });
    // Spelled as the owner's vocabulary has it, and the owner's now.
    expect(moved.json()).toMatchObject({ user_id: owner.user.id, list_id: list.id, tags: ['Work', 'extra'] });
    expect((await owner.api.get('/api/me/tasks')).json().total).toBe(2);
    expect((await editor.api.get('/api/me/tasks')).json().total).toBe(1);
    expect((await owner.api.get('/api/me/tasks?tags=extra')).json().total).toBe(1);

    const inbox = (
      (await editor.api.get('/api/me/lists')).json() as Array<{ id: number; is_inbox: boolean }>
    ).find((each) => each.is_inbox) as { id: number };
    // Out again into the editor's own list would take it from its owner now: only its owner gives a task away.
    expectProblem(
      await editor.api.patch(`/api/me/tasks/${task.id}`, { list_id: inbox.id }),
      403,
      'tasks.move_not_yours',
    );
    const own = await editor.api.create({ title: 'Mine again', list_id: list.id });
    const back = await editor.api.patch(`/api/me/tasks/${own.id}`, { list_id: inbox.id });
    expectProblem(back, 403, 'tasks.move_not_yours');
    expect((await owner.api.get('/api/me/tasks')).json().total).toBe(3);
    expect((await editor.api.get(`/api/me/tasks`)).json().total).toBe(2);
    // The count kept by the trigger agrees with a count of the rows.
    const counts = await t.database.db.execute(sql`
      select c.user_id, sum(c.count)::int as kept, (select count(*)::int from tasks where user_id = c.user_id) as real
      from task_counts c where c.user_id in (${owner.user.id}, ${editor.user.id}) group by c.user_id`);
    for (const row of (counts as unknown as { rows: Array<{ kept: number; real: number }> }).rows)
      expect(row.kept).toBe(row.real);
  });

  it('brings a deleted task back for the one who deleted it: into the list while they may write it', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Chores');
    const editor = await person();
    const membership = await share(owner, list.id, editor, 'editor');
    const first = await owner.api.create({ title: 'Dishes', list_id: list.id });
    const second = await owner.api.create({ title: 'Laundry', list_id: list.id });
    await editor.api.delete(`/api/me/tasks/${first.id}`);
    await editor.api.delete(`/api/me/tasks/${second.id}`);
    // Kept for who deleted it: the owner has nothing to restore.
    expectProblem(await owner.api.post(`/api/me/tasks/${first.id}/restore`), 404, 'tasks.not_found');
    const restored = await editor.api.post(`/api/me/tasks/${first.id}/restore`);
    expect(restored.json()).toMatchObject({
      list_id: list.id,
      user_id: owner.user.id,
      updated_by: editor.user.id,
    });

    // Once they may no longer change the list, the task stays deleted: it is the owner's, not theirs to take.
    await owner.api.patch(`/api/me/lists/${list.id}/members/${membership}`, { role: 'viewer' });
    expectProblem(
      await editor.api.post(`/api/me/tasks/${second.id}/restore`),
      409,
      'tasks.restore_not_yours',
    );
  });
});

describe('tasks of shared lists in the views', () => {
  it('lists, pages, sorts, searches and counts the tasks of lists shared with the user among theirs', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Groceries');
    const member = await person();
    time.set('2026-12-03T10:00:00Z');
    await member.api.create({ title: 'apples mine', tags: ['fruit'] });
    time.set('2026-12-03T10:01:00Z');
    await owner.api.create({ title: 'Bananas shared', list_id: list.id, tags: ['Fruit', 'yellow'] });
    time.set('2026-12-03T10:02:00Z');
    await member.api.create({ title: 'cherries mine', tags: ['FRUIT'] });
    time.set('2026-12-03T10:03:00Z');
    await owner.api.create({ title: 'Owner alone' });
    await share(owner, list.id, member, 'viewer');

    const all = (await member.api.get('/api/me/tasks')).json();
    expect(titles(all)).toEqual(['cherries mine', 'Bananas shared', 'apples mine']);
    expect(all.total).toBe(3);
    expect(titles((await member.api.get('/api/me/tasks?sort_by=title')).json())).toEqual([
      'apples mine',
      'Bananas shared',
      'cherries mine',
    ]);
    const second = (await member.api.get('/api/me/tasks?limit=1&offset=1')).json();
    expect([titles(second), second.total]).toEqual([['Bananas shared'], 3]);
    expect((await member.api.get('/api/me/tasks?limit=2&offset=5')).json()).toMatchObject({
      tasks: [],
      total: 3,
    });
    expect(titles((await member.api.get(`/api/me/tasks?list_id=${list.id}`)).json())).toEqual([
      'Bananas shared',
    ]);
    expect(titles((await member.api.get('/api/me/tasks?search=banan')).json())).toEqual(['Bananas shared']);
    expect(titles((await member.api.get('/api/me/tasks?tags=fruit,yellow&tags_mode=all')).json())).toEqual([
      'Bananas shared',
    ]);
    expect(titles((await member.api.get('/api/me/tasks?tags=FRUIT&sort_by=title')).json())).toEqual([
      'apples mine',
      'Bananas shared',
      'cherries mine',
    ]);
    // One tag whatever its case, named as the member spells it; the owner's task of no shared list is not seen.
    expect((await member.api.get('/api/me/tags')).json()).toEqual([
      { name: 'fruit', count: 3, total: 3 },
      { name: 'yellow', count: 1, total: 1 },
    ]);
    expect((await member.api.get('/api/me/lists')).json()).toMatchObject([
      { is_inbox: true, role: 'owner', total_tasks: 2 },
      { id: list.id, role: 'viewer', owner: { id: owner.user.id }, shared: true, total_tasks: 1 },
    ]);
    expect((await owner.api.get('/api/me/lists')).json()[1]).toMatchObject({
      id: list.id,
      role: 'owner',
      owner: null,
      shared: true,
    });
  });

  it('files quick add’s +name in a shared list the user edits, their own list first on a shared name', async () => {
    const owner = await person();
    const shared = await listOf(owner, 'Weekend');
    const errands = await listOf(owner, 'Errands');
    const editor = await person();
    await share(owner, shared.id, editor, 'editor');
    await share(owner, errands.id, editor, 'editor');
    const mine = await listOf(editor, 'errands');

    const quick = await editor.api.post('/api/me/tasks/quick', { text: 'hike +weekend saturday' });
    expect(quick.json()).toMatchObject({ title: 'hike', list_id: shared.id, user_id: owner.user.id });
    const collision = await editor.api.post('/api/me/tasks/quick', { text: 'post office +errands' });
    expect(collision.json()).toMatchObject({ list_id: mine.id, user_id: editor.user.id });
    const preview = await editor.api.post('/api/me/tasks/quick/preview', { text: 'x +Weekend' });
    expect(preview.json().list_id).toBe(shared.id);
  });

  it('lets the assistant’s tools name a shared list, as MCP does', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Family');
    await owner.api.create({ title: 'Call grandma', list_id: list.id });
    const editor = await person();
    await share(owner, list.id, editor, 'editor');
    const call = async (name: string, args: Record<string, unknown>) => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/mcp',
        headers: { ...editor.user.headers, accept: 'application/json, text/event-stream' },
        payload: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
      });
      return response.json().result;
    };
    const added = await call('add_task', { title: 'Buy a cake', list: 'family' });
    expect(added.isError).toBeFalsy();
    expect(added.structuredContent.task).toMatchObject({
      title: 'Buy a cake',
      list: 'Family',
      list_id: list.id,
    });
    const listed = await call('list_tasks', { list: 'Family' });
    expect(listed.structuredContent.tasks.map((task: { title: string }) => task.title).sort()).toEqual([
      'Buy a cake',
      'Call grandma',
    ]);
    expect((await owner.api.get(`/api/me/tasks?list_id=${list.id}`)).json().total).toBe(2);
  });
});

describe('assignment', () => {
  it('gives a task to the owner or a member only, filters with ?assigned=me, and unassigns who leaves', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Office');
    const other = await listOf(owner, 'Private');
    const member = await person();
    const removed = await person();
    await share(owner, list.id, member, 'editor');
    const removedId = await share(owner, list.id, removed, 'viewer');
    const stranger = await person();

    const task = await owner.api.create({
      title: 'Order chairs',
      list_id: list.id,
      assignee_id: member.user.id,
    });
    expect(task.assignee_id).toBe(member.user.id);
    expectProblem(
      await owner.api.post('/api/me/tasks', { title: 'x', list_id: list.id, assignee_id: stranger.user.id }),
      422,
      'tasks.assignee_not_member',
    );
    expectProblem(
      await owner.api.patch(`/api/me/tasks/${task.id}`, { assignee_id: stranger.user.id }),
      422,
      'tasks.assignee_not_member',
    );
    const toRemoved = await owner.api.create({
      title: 'Water plants',
      list_id: list.id,
      assignee_id: removed.user.id,
    });
    const own = await member.api.create({ title: 'Own', assignee_id: member.user.id });
    expect(titles((await member.api.get('/api/me/tasks?assigned=me')).json()).sort()).toEqual([
      'Order chairs',
      'Own',
    ]);
    expect(titles((await owner.api.get('/api/me/tasks?assigned=me')).json())).toEqual([]);
    expectProblem(await owner.api.get('/api/me/tasks?assigned=you'), 400, 'request.invalid');

    // PUT without assignee_id keeps it; moving to a list the assignee is not of drops it.
    expect(
      (await owner.api.put(`/api/me/tasks/${task.id}`, { title: 'Order chairs' })).json().assignee_id,
    ).toBe(member.user.id);
    const moved = await owner.api.patch(`/api/me/tasks/${task.id}`, { list_id: other.id });
    expect(moved.json().assignee_id).toBeNull();
    await owner.api.patch(`/api/me/tasks/${task.id}`, { list_id: list.id, assignee_id: member.user.id });

    await owner.api.delete(`/api/me/lists/${list.id}/members/${removedId}`);
    expect((await owner.api.get(`/api/me/tasks/${toRemoved.id}`)).json().assignee_id).toBeNull();
    expect((await member.api.delete(`/api/me/lists/${list.id}/membership`)).statusCode).toBe(204);
    expect((await owner.api.get(`/api/me/tasks/${task.id}`)).json().assignee_id).toBeNull();
    expect((await member.api.get(`/api/me/tasks/${own.id}`)).json().assignee_id).toBe(member.user.id);
  });
});

describe('export and import', () => {
  it('exports the lists one owns with who shares them, not the tasks of lists shared with one', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Holiday');
    await owner.api.create({ title: 'Book flights', list_id: list.id });
    const member = await person();
    await share(owner, list.id, member, 'editor');
    const pending = uniqueEmail('pending');
    await owner.api.post(`/api/me/lists/${list.id}/members`, { email: pending, role: 'viewer' });
    await member.api.create({ title: 'Pack', list_id: list.id });
    await member.api.create({ title: 'Member alone' });

    const memberExport = (await member.api.get('/api/me/export')).json();
    expect(memberExport.lists.map((each: { name: string }) => each.name)).toEqual(['Inbox']);
    expect(memberExport.tasks.map((task: { title: string }) => task.title)).toEqual(['Member alone']);
    const exported = (await owner.api.get('/api/me/export')).json();
    expect(exported.version).toBe(3);
    expect(exported.tasks.map((task: { title: string }) => task.title)).toEqual(['Book flights', 'Pack']);
    expect(exported.tasks[1]).not.toHaveProperty('created_by');
    expect(exported.lists[1]).toMatchObject({
      name: 'Holiday',
      members: [
        { email: member.user.email.toLowerCase(), role: 'editor' },
        { email: pending, role: 'viewer' },
      ],
    });

    // Into another account: invitations only, which the people accept again.
    const target = await person();
    const imported = await target.api.post('/api/me/import', {
      ...exported,
      lists: exported.lists.map((each: { members: unknown[] }, i: number) =>
        i === 1
          ? { ...each, members: [...each.members, { email: target.user.email, role: 'editor' }] }
          : each,
      ),
    });
    expect(imported.json()).toMatchObject({ lists: 1, invitations: 2 });
    const holiday = (
      (await target.api.get('/api/me/lists')).json() as Array<{ id: number; name: string }>
    ).find((each) => each.name === 'Holiday') as { id: number };
    const members = (await target.api.get(`/api/me/lists/${holiday.id}/members`)).json();
    expect(members.map((each: { email: string; status: string }) => [each.email, each.status])).toEqual([
      [target.user.email, 'active'],
      [member.user.email.toLowerCase(), 'invited'],
      [pending, 'invited'],
    ]);
    expect((await member.api.get('/api/me/invitations')).json()).toMatchObject([{ list_id: holiday.id }]);
    expectProblem(await member.api.get(`/api/me/tasks?list_id=${holiday.id}`), 404, 'lists.not_found');
    // Importing again invites nobody twice.
    expect((await target.api.post('/api/me/import', exported)).json().invitations).toBe(0);
  });
});

describe('account deletion and the audience of a list', () => {
  it('ends the memberships of a deleted account, unassigns its tasks, and forgets who made them', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Team');
    const member = await person();
    const other = await person();
    await share(owner, list.id, member, 'editor');
    await share(owner, list.id, other, 'viewer');
    expect((await listAudience(t.database.db, list.id)).sort()).toEqual(
      [owner.user.id, member.user.id, other.user.id].sort(),
    );
    const task = await member.api.create({ title: 'Made by the member', list_id: list.id });
    await owner.api.patch(`/api/me/tasks/${task.id}`, { assignee_id: member.user.id });

    await t.database.db.execute(sql`delete from users where id = ${member.user.id}`);
    expect((await owner.api.get(`/api/me/tasks/${task.id}`)).json()).toMatchObject({
      user_id: owner.user.id,
      created_by: null,
      updated_by: owner.user.id,
      assignee_id: null,
    });
    expect((await owner.api.get(`/api/me/lists/${list.id}/members`)).json()).toHaveLength(2);
    expect((await listAudience(t.database.db, list.id)).sort()).toEqual(
      [owner.user.id, other.user.id].sort(),
    );

    await t.database.db.execute(sql`delete from users where id = ${owner.user.id}`);
    expectProblem(await other.api.get(`/api/me/lists/${list.id}`), 404, 'lists.not_found');
    expect(await listAudience(t.database.db, list.id)).toEqual([]);
  });
});

describe('the budget of invitations', () => {
  it('is 100 an hour for each user, refused with 429 before anything is written', async () => {
    const limited = await createTestApp({ env: { RATE_LIMIT_ENABLED: 'true' }, database: t.database });
    try {
      const user = await registerUser(limited.app);
      const api = clientFor(limited, user);
      const list = (await api.post('/api/me/lists', { name: 'Party' })).json();
      const invite = (email: string) =>
        api.post(`/api/me/lists/${list.id}/members`, { email, role: 'viewer' });
      // Inviting the same address again changes nothing, but counts: each try names an address.
      for (let i = 0; i < 100; i++) expect((await invite('guest@example.com')).statusCode).toBeLessThan(300);
      const refused = expectProblem(await invite('another@example.com'), 429, 'request.rate_limited');
      expect(refused.detail).toMatch(
        /^You have sent 100 invitations in the last hour.*try again in \d+ minutes?\.$/,
      );
      expect((await api.get(`/api/me/lists/${list.id}/members`)).json()).toHaveLength(2);
      // Another user's budget is their own.
      const other = clientFor(limited, await registerUser(limited.app));
      const theirs = (await other.post('/api/me/lists', { name: 'Party' })).json();
      expect(
        (
          await other.post(`/api/me/lists/${theirs.id}/members`, {
            email: 'guest@example.com',
            role: 'viewer',
          })
        ).statusCode,
      ).toBe(201);
    } finally {
      await limited.close();
    }
  });
});

describe('what an import may make', () => {
  it('invitations within the budget of the hour, which those of the share dialog count against too', async () => {
    const user = await person();
    const document = (await user.api.get('/api/me/export')).json();
    const members = (list: number) =>
      Array.from({ length: 50 }, (_, i) => ({ email: `guest-${list}-${i}@example.com`, role: 'viewer' }));
    const withLists = (names: string[]) => ({
      ...document,
      lists: [
        ...document.lists,
        ...names.map((name, i) => ({
          ...document.lists[0],
          id: 1000 + i,
          name,
          is_inbox: false,
          members: members(i),
        })),
      ],
    });
    const first = await user.api.post('/api/me/import', withLists(['One', 'Two', 'Three']));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ lists: 3, invitations: 100 });
    const again = await user.api.post('/api/me/import', withLists(['Four']));
    expect(again.json()).toMatchObject({ lists: 1, invitations: 0 });
  });

  it('lists up to the most an account has, the rest of its tasks in the Inbox; then creating one is a 409', async () => {
    const user = await person();
    const document = (await user.api.get('/api/me/export')).json();
    const names = Array.from({ length: LISTS_PER_ACCOUNT + 5 }, (_, i) => `List ${i}`);
    const imported = await user.api.post('/api/me/import', {
      ...document,
      lists: [
        ...document.lists,
        ...names.map((name, i) => ({ ...document.lists[0], id: 1000 + i, name, is_inbox: false })),
      ],
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect((await user.api.get('/api/me/lists')).json()).toHaveLength(LISTS_PER_ACCOUNT);
    expectProblem(await user.api.post('/api/me/lists', { name: 'One more' }), 409, 'lists.too_many');
  });
});

describe('tokens and sharing', () => {
  it('takes the account scope to invite, change a role or join; a token of tasks:write is refused', async () => {
    const owner = await person();
    const list = await listOf(owner, 'Team');
    const guest = await person();
    const tokenOf = async (who: Person, scopes: string[]) => {
      const created = await who.api.post('/api/auth/tokens', { name: scopes.join(' '), scopes });
      expect(created.statusCode, created.body).toBe(201);
      return { authorization: `Bearer ${created.json().token}` };
    };
    const writer = await tokenOf(owner, ['tasks:read', 'tasks:write']);
    const invite = { email: guest.user.email, role: 'editor' };
    expectProblem(
      await owner.api.post(`/api/me/lists/${list.id}/members`, invite, writer),
      403,
      'auth.insufficient_scope',
    );
    const invited = await owner.api.post(
      `/api/me/lists/${list.id}/members`,
      invite,
      await tokenOf(owner, ['account']),
    );
    expect(invited.statusCode, invited.body).toBe(201);
    expectProblem(
      await owner.api.patch(
        `/api/me/lists/${list.id}/members/${invited.json().id}`,
        { role: 'viewer' },
        writer,
      ),
      403,
      'auth.insufficient_scope',
    );
    expectProblem(
      await guest.api.post(
        `/api/me/lists/${list.id}/membership`,
        undefined,
        await tokenOf(guest, ['tasks:write']),
      ),
      403,
      'auth.insufficient_scope',
    );
    // Taking sharing back needs no more than writing: removing someone, or leaving.
    expect(
      (await owner.api.delete(`/api/me/lists/${list.id}/members/${invited.json().id}`, writer)).statusCode,
    ).toBe(204);
  });
});

describe('people changing one list at the same instant', () => {
  it('never answers 5xx: a member leaving, an editor changing tasks and the owner deleting the list', async () => {
    // Found from outside on PostgreSQL: the leave and the deletion locked the membership and the tasks in opposite
    // orders, and the one PostgreSQL made give way was a 500.
    const statuses: number[] = [];
    for (let round = 0; round < 8; round++) {
      const owner = await person('Ann');
      const leaver = await person('Cy');
      const editor = await person('Di');
      const list = await listOf(owner, 'Chores');
      await share(owner, list.id, leaver, 'editor');
      await share(owner, list.id, editor, 'editor');
      const ids: number[] = [];
      for (let i = 0; i < 3; i++)
        ids.push(
          (await leaver.api.create({ title: `Chore ${i}`, list_id: list.id, assignee_id: leaver.user.id }))
            .id,
        );
      const answers = await Promise.all([
        leaver.api.delete(`/api/me/lists/${list.id}/membership`),
        owner.api.delete(`/api/me/lists/${list.id}?delete_tasks=true`),
        ...ids.map((id) => editor.api.patch(`/api/me/tasks/${id}`, { title: `Chore ${id} again` })),
      ]);
      statuses.push(...answers.map((answer) => answer.statusCode));
      expect((await owner.api.get(`/api/me/lists/${list.id}`)).statusCode).toBe(404);
    }
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });

  it('a double click on Join: every accept of one invitation answers 200', async () => {
    const owner = await person('Ann');
    const list = await listOf(owner, 'Trip');
    const invitee = await person('Bo');
    const invited = await owner.api.post(`/api/me/lists/${list.id}/members`, {
      email: invitee.user.email,
      role: 'viewer',
    });
    expect(invited.statusCode).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => invitee.api.post(`/api/me/lists/${list.id}/membership`)),
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 200, 200]);
  });
});
