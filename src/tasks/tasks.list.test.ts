import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, registerUser, type TestApp } from '../../test/helpers.ts';
import { type Client, clientFor, movableClock } from './tasks.test-helpers.ts';

// Thursday 3 December 2026, 10:00 UTC; the user's time zone is UTC (the default).
const time = movableClock('2026-12-03T10:00:00Z');
let t: TestApp;
let api: Client;
/** Number in the data set → task id. */
const ids: Record<number, number> = {};

const DATA = [
  {
    n: 1,
    title: 'Alpha report',
    description: 'quarterly numbers for taxes',
    priority: 'high',
    tags: ['work'],
    due_date: '2026-12-01',
  },
  {
    n: 2,
    title: 'buy groceries',
    description: 'milk and eggs',
    tags: ['home', 'errands'],
    due_date: '2026-12-03',
  },
  {
    n: 3,
    title: 'Call plumber',
    description: 'kitchen sink leaking',
    priority: 'urgent',
    tags: ['Home'],
    due_date: '2026-12-03T15:00:00Z',
  },
  { n: 4, title: 'Dentist appointment', priority: 'low', tags: ['health'], due_date: '2026-12-08' },
  { n: 5, title: 'Exercise', description: 'running in the park', tags: ['health', 'home'] },
  { n: 6, title: 'file taxes', priority: 'high', tags: ['work', 'errands'], due_date: '2026-12-20' },
  {
    n: 7,
    title: 'Garden planning',
    description: 'plan spring planting',
    priority: 'low',
    due_date: '2026-12-03T08:00:00Z',
  },
  { n: 8, title: 'Holiday gifts', priority: 'urgent', tags: ['errands'], due_date: '2026-12-02' },
];

beforeAll(async () => {
  t = await createTestApp({ clock: time.clock });
  api = clientFor(t, await registerUser(t.app));
  for (const { n, ...task } of DATA) {
    ids[n] = (await api.create(task)).id;
    time.advance(60_000);
  }
  for (const n of [5, 8]) {
    await api.patch(`/api/me/tasks/${ids[n]}/complete`);
    time.advance(60_000);
  }
  await api.patch(`/api/me/tasks/${ids[4]}`, { description: 'Bring the card' });
  time.set('2026-12-03T10:00:00Z');
});
afterAll(() => t.close());

/** The data-set numbers of the tasks a query lists, in order. */
async function listed(query: string): Promise<number[]> {
  const response = await api.get(`/api/me/tasks?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  const byId = Object.fromEntries(Object.entries(ids).map(([n, id]) => [id, Number(n)]));
  return response.json().tasks.map((task: { id: number }) => byId[task.id]);
}

describe('listing', () => {
  it('lists every task, newest first, with the total, limit and offset', async () => {
    const response = await api.get('/api/me/tasks');
    expect(response.json()).toMatchObject({ total: 8, limit: 50, offset: 0 });
    expect(await listed('')).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('includes each task’s tags, in the order given', async () => {
    const response = await api.get('/api/me/tasks?sort_by=title&order=asc&limit=2&offset=1');
    expect(response.json().tasks[0]).toMatchObject({ title: 'buy groceries', tags: ['home', 'errands'] });
  });

  it('pages with limit and offset, keeping the total, also past the end', async () => {
    expect(await listed('limit=3')).toEqual([8, 7, 6]);
    expect(await listed('limit=3&offset=3')).toEqual([5, 4, 3]);
    expect(await listed('limit=3&offset=6')).toEqual([2, 1]);
    const past = await api.get('/api/me/tasks?limit=3&offset=8');
    expect(past.json()).toEqual({ tasks: [], total: 8, limit: 3, offset: 8 });
    const filtered = await api.get('/api/me/tasks?limit=2&status=pending');
    expect(filtered.json()).toMatchObject({ total: 6, limit: 2 });
  });
});

describe('filters', () => {
  it('filters by status, also spelled completed=true|false', async () => {
    expect(await listed('status=completed')).toEqual([8, 5]);
    expect(await listed('status=pending')).toEqual([7, 6, 4, 3, 2, 1]);
    expect(await listed('status=all')).toHaveLength(8);
    expect(await listed('completed=true')).toEqual([8, 5]);
    expect(await listed('completed=false')).toHaveLength(6);
  });

  it('filters by one or several priorities', async () => {
    expect(await listed('priority=low')).toEqual([7, 4]);
    expect(await listed('priority=high,urgent')).toEqual([8, 6, 3, 1]);
    expect(await listed('priority=high&priority=urgent')).toEqual([8, 6, 3, 1]);
  });

  it('filters by tags case-insensitively: any of them by default, all of them with tags_mode=all', async () => {
    expect(await listed('tags=HOME')).toEqual([5, 3, 2]);
    expect(await listed('tags=home,work')).toEqual([6, 5, 3, 2, 1]);
    expect(await listed('tags=home&tags=work')).toEqual([6, 5, 3, 2, 1]);
    expect(await listed('tags=home,errands&tags_mode=all')).toEqual([2]);
    expect(await listed('tags=nothing')).toEqual([]);
  });

  it('finds overdue tasks: pending and due before today, or due before now when timed', async () => {
    expect(await listed('due=overdue')).toEqual([7, 1]);
    expect(await listed('due=overdue&status=completed')).toEqual([]);
  });

  it('finds tasks due today, dated or timed', async () => {
    expect(await listed('due=today')).toEqual([7, 3, 2]);
  });

  it('finds tasks due this week: today and the six days after', async () => {
    expect(await listed('due=week')).toEqual([7, 4, 3, 2]);
  });

  it('finds tasks without a due date', async () => {
    expect(await listed('due=none')).toEqual([5]);
  });

  it('filters by due_before and due_after, with dates or date-times', async () => {
    expect(await listed('due_before=2026-12-03')).toEqual([8, 1]);
    expect(await listed('due_after=2026-12-08')).toEqual([6]);
    expect(await listed('due_before=2026-12-03T12:00:00Z')).toEqual([8, 7, 1]);
    expect(await listed('due_after=2026-12-03T12:00:00%2B01:00')).toEqual([6, 4, 3]);
    expect(await listed('due_after=2026-12-02&due_before=2026-12-09&sort_by=due_date')).toEqual([7, 2, 3, 4]);
  });

  it('refuses a bound beyond the years a day can start and end in, with a 400 rather than a 500', async () => {
    // Found from outside: year 1 came out as a timestamp PostgreSQL cannot hold.
    for (const query of ['due_after=0001-01-01', 'due_before=0001-01-01', 'due_after=9999-12-31T00:00:00Z']) {
      const response = await api.get(`/api/me/tasks?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().detail).toMatch(/between the years 1000 and 9998/);
    }
  });

  it('combines filters with AND', async () => {
    expect(await listed('status=pending&tags=home&sort_by=due_date')).toEqual([2, 3]);
    expect(await listed('priority=urgent&due=today')).toEqual([3]);
  });
});

describe('search', () => {
  it('finds words in title and description, including unfinished ones', async () => {
    expect(await listed('search=milk')).toEqual([2]);
    expect(await listed('search=plan')).toEqual([7]);
    expect(await listed('search=sink%20leak')).toEqual([3]);
    expect(await listed('search=GROCER')).toEqual([2]);
  });

  it('matches English word forms', async () => {
    expect(await listed('search=runs')).toEqual([5]);
    expect(await listed('search=appointments')).toEqual([4]);
  });

  it('ranks a match in the title above one in the description', async () => {
    expect(await listed('search=taxes')).toEqual([6, 1]);
  });

  it('sorts search results by another field when asked', async () => {
    expect(await listed('search=taxes&sort_by=title&order=asc')).toEqual([1, 6]);
  });

  it('ignores punctuation and treats a query without words as no search', async () => {
    expect(await listed("search=milk!!%20%26%20'eggs")).toEqual([2]);
    expect(await listed('search=%21%3F')).toHaveLength(8);
  });

  it('combines search with filters and counts only the matches', async () => {
    const response = await api.get('/api/me/tasks?search=taxes&priority=high&limit=1');
    expect(response.json()).toMatchObject({ total: 2, tasks: [{ title: 'file taxes' }] });
  });
});

describe('sorting', () => {
  it('sorts by priority rank, not alphabetically, ties by id', async () => {
    expect(await listed('sort_by=priority')).toEqual([8, 3, 6, 1, 5, 2, 7, 4]);
    expect(await listed('sort_by=priority&order=asc')).toEqual([4, 7, 2, 5, 1, 6, 3, 8]);
  });

  it('takes `sort`, the name in the web page’s address (`/?sort=priority`), for sort_by', async () => {
    expect(await listed('sort=priority')).toEqual([8, 3, 6, 1, 5, 2, 7, 4]);
    expect(await listed('sort=title&order=desc')).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('sorts by title ignoring case', async () => {
    expect(await listed('sort_by=title')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await listed('sort_by=title&order=desc')).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('sorts by due date with dated tasks among the timed ones of their day, undated last', async () => {
    expect(await listed('sort_by=due_date')).toEqual([1, 8, 7, 2, 3, 4, 6, 5]);
    expect(await listed('sort_by=due_date&order=desc')).toEqual([5, 6, 4, 3, 2, 7, 8, 1]);
  });

  it('sorts by creation and by last change, either way, also spelled sort_order', async () => {
    expect(await listed('sort_by=created_at&order=asc')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await listed('sort_by=updated_at')).toEqual([4, 8, 5, 7, 6, 3, 2, 1]);
    expect(await listed('sort_by=updated_at&sort_order=asc')).toEqual([1, 2, 3, 6, 7, 5, 8, 4]);
  });

  it('breaks ties by id in the direction asked, so pages never overlap', async () => {
    const other = clientFor(t, await registerUser(t.app));
    const made: number[] = [];
    for (const title of ['c', 'a', 'b']) made.push((await other.create({ title })).id);
    const page = async (query: string) =>
      (await other.get(`/api/me/tasks?${query}`)).json().tasks.map((task: { id: number }) => task.id);
    expect(await page('sort_by=created_at&order=asc')).toEqual(made);
    expect(await page('sort_by=created_at&order=desc')).toEqual([...made].reverse());
    expect([...(await page('limit=2')), ...(await page('limit=2&offset=2'))]).toEqual([...made].reverse());
  });
});

describe('the total of the unfiltered list', () => {
  /** What the trigger-kept count must always equal: the user's tasks, counted. */
  const counted = async (userId: string) => {
    const result = await t.database.db.execute(
      sql`select cast(count(*) as integer) as n from tasks where user_id = ${userId}`,
    );
    return (result as unknown as { rows: Array<{ n: number }> }).rows[0]?.n;
  };

  it('stays exact through concurrent creates, bulk and single deletes, and equals the filtered totals summed', async () => {
    const user = await registerUser(t.app);
    const other = clientFor(t, user);
    const made = await Promise.all(
      Array.from({ length: 24 }, (_, i) => other.create({ title: `task ${i}`, tags: [`t${i % 3}`] })),
    );
    await Promise.all(made.slice(0, 5).map((task) => other.delete(`/api/me/tasks/${task.id}`)));
    await other.patch(`/api/me/tasks/${made[10].id}/complete`);
    const total = async (query = '') => (await other.get(`/api/me/tasks?limit=1${query}`)).json().total;
    expect(await total()).toBe(19);
    expect(await total()).toBe(await counted(user.id));
    expect((await total('&status=pending')) + (await total('&status=completed'))).toBe(19);
    // A statement deleting many rows at once is counted as well as one row at a time.
    await t.database.db.execute(sql`delete from tasks where user_id = ${user.id} and title like 'task 1%'`);
    expect(await total()).toBe(await counted(user.id));
  });

  it('goes with the user: deleting an account deletes its tasks and their count without an error', async () => {
    const user = await registerUser(t.app);
    await clientFor(t, user).create({ title: 'soon gone' });
    await t.database.db.execute(sql`delete from users where id = ${user.id}`);
    const left = await t.database.db.execute(
      sql`select count(*) as n from task_counts where user_id = ${user.id}`,
    );
    expect(Number((left as unknown as { rows: Array<{ n: number }> }).rows[0]?.n)).toBe(0);
  });
});
