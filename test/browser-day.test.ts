import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserHarness,
  CHROMIUM,
  DESKTOP,
  gotoQuiet,
  PHONE,
  SCREENSHOTS,
  SKIP_REASON,
  startBrowserHarness,
} from './browser.ts';
import { registerUser, type TestUser } from './helpers.ts';

/**
 * Issue 20, "the page covers a day, not only a list": the edit form, the settings page, the views and the
 * assistant panel, each at desktop and phone width, on the real app in Debian's Chromium, with axe.
 */
const WIDTHS = [
  ['1280 px', DESKTOP],
  ['390 px', PHONE],
] as const;
const ZONE = 'America/New_York';

describe.skipIf(!CHROMIUM)(`a person's day on the web page${SKIP_REASON}`, { timeout: 60_000 }, () => {
  let harness: BrowserHarness;
  let app: FastifyInstance;
  let page: Page;
  let base: string;

  // The app's clock runs this far ahead of the real one: moved to make a sign-in more than 10 minutes old.
  let clockAhead = 0;

  beforeAll(async () => {
    harness = await startBrowserHarness({
      metricsName: 'metrics-day',
      clock: () => new Date(Date.now() + clockAhead),
    });
    ({ app, page, base } = harness);
  }, 120_000);
  afterAll(async () => harness?.close());

  /** A new account in New York, signed in through the page at this width. */
  async function signedIn(viewport: { width: number; height: number }): Promise<TestUser> {
    const user = await registerUser(app);
    await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: user.headers,
      payload: { timezone: ZONE },
    });
    await page.setViewportSize(viewport);
    // The account before signs out: once the page is idle, so that no call of its own writes the session back.
    await gotoQuiet(page, `${base}/signin`);
    await page.evaluate('localStorage.clear()');
    await page.goto(`${base}/signin`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Add a task').waitFor();
    return user;
  }

  async function createTask(user: TestUser, task: Record<string, unknown>) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/me/tasks',
      headers: user.headers,
      payload: task,
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: number };
  }
  const readTask = async (user: TestUser, id: number) =>
    (await app.inject({ url: `/api/me/tasks/${id}`, headers: user.headers })).json() as Record<
      string,
      unknown
    >;
  const row = (title: string) => page.locator('.task').filter({ hasText: title });
  async function openEditor(title: string) {
    await page.getByRole('button', { name: `Edit “${title}”` }).click();
    return page.getByRole('form', { name: `Edit “${title}”` });
  }

  describe.each(WIDTHS)('the edit form at %s', (width, viewport) => {
    it('keeps a task’s time when its day changes, and edits notes and repeat', async () => {
      const user = await signedIn(viewport);
      const dentist = await createTask(user, {
        title: 'Dentist',
        due_date: '2030-01-08T15:00:00-05:00',
        priority: 'high',
        tags: ['health'],
      });
      await page.reload();
      const form = await openEditor('Dentist');
      expect(await form.getByLabel('Due').inputValue()).toBe('2030-01-08');
      expect(await form.getByLabel('Time').inputValue()).toBe('15:00');
      await form.getByLabel('Due').fill('2030-01-10');
      await form.getByRole('button', { name: 'Save' }).click();
      await expect
        .poll(async () => (await readTask(user, dentist.id)).due_date)
        .toBe('2030-01-10T15:00:00-05:00');
      await expect.poll(() => row('Dentist').locator('time').textContent()).toMatch(/15:00/);

      await openEditor('Dentist');
      await form.getByLabel('Notes').fill('Bring the insurance card');
      await form.getByLabel('Repeat').selectOption({ label: 'Every week' });
      await harness.screenshots(`edit-form-${viewport.width}`);
      await page.setViewportSize(viewport);
      await form.getByRole('button', { name: 'Save' }).click();
      await row('Dentist').getByText('Bring the insurance card').waitFor();
      await row('Dentist')
        .getByText(/every week/)
        .waitFor();
      // The page shows an edit at once and saves it behind; wait for the save itself.
      await expect
        .poll(async () => (await readTask(user, dentist.id)).description)
        .toBe('Bring the insurance card');
      const saved = await readTask(user, dentist.id);
      expect(saved).toMatchObject({
        description: 'Bring the insurance card',
        recurrence: 'FREQ=WEEKLY',
        due_date: '2030-01-10T15:00:00-05:00',
        priority: 'high',
        tags: ['health'],
      });
      await harness.expectAccessible(`edited task ${width}`);
    });

    it('changes only what was changed: a date-time written in another offset is left as written', async () => {
      const user = await signedIn(viewport);
      const flight = await createTask(user, {
        title: 'Flight home',
        due_date: '2030-01-08T09:05:00+09:00',
        recurrence: 'FREQ=MONTHLY;BYMONTHDAY=8',
      });
      await page.reload();
      const form = await openEditor('Flight home');
      // A rule the menu has no entry for is offered as it is, and kept.
      expect(await form.getByLabel('Repeat').inputValue()).toBe('FREQ=MONTHLY;BYMONTHDAY=8');
      await form.getByLabel('Title').fill('Flight home from Tokyo');
      await form.getByLabel('Title').press('Enter');
      await row('Flight home from Tokyo').waitFor();
      await expect.poll(async () => (await readTask(user, flight.id)).title).toBe('Flight home from Tokyo');
      expect(await readTask(user, flight.id)).toMatchObject({
        due_date: '2030-01-08T09:05:00+09:00',
        recurrence: 'FREQ=MONTHLY;BYMONTHDAY=8',
      });

      // A time with no day is not silently dropped: the form says what it needs.
      const again = await openEditor('Flight home from Tokyo');
      await again.getByLabel('Due').fill('');
      await again.getByRole('button', { name: 'Save' }).click();
      await again.getByText('Choose a day for this time, or clear the time.').waitFor();
      expect(await again.getByLabel('Time').getAttribute('aria-invalid')).toBe('true');
      await again.getByLabel('Time').fill('');
      await again.getByRole('button', { name: 'Save' }).click();
      await expect.poll(async () => (await readTask(user, flight.id)).due_date).toBeNull();
    });
  });

  describe.each(WIDTHS)('the settings page at %s', (width, viewport) => {
    async function openSettings() {
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    }
    const tokens = () => page.getByRole('region', { name: 'API tokens' });
    const call = (token: string, path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });

    it('makes a token that works with a plain HTTP request, shows it once, fills in the MCP set-up, and revokes it', async () => {
      await signedIn(viewport);
      await openSettings();
      await tokens().getByLabel('Token name').fill('laptop MCP');
      await tokens().getByRole('button', { name: 'Make token' }).click();
      const shown = tokens().getByLabel('New API token');
      await shown.waitFor();
      const token = await shown.inputValue();
      expect(token).toMatch(/^doable_pat_/);
      const listed = await call(token, '/api/me/tasks');
      expect(listed.status).toBe(200);
      const added = await call(token, '/api/me/tasks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Made by a script' }),
      });
      expect(added.status).toBe(201);
      const mcp = page.getByRole('region', { name: 'Connect an AI assistant (MCP)' });
      expect(await mcp.locator('pre').textContent()).toContain(`"Authorization": "Bearer ${token}"`);
      expect(await mcp.locator('pre').textContent()).toContain(`"url": "${base}/mcp"`);
      await tokens().getByRole('listitem').filter({ hasText: 'laptop MCP' }).waitFor();
      await harness.screenshots(`settings-${viewport.width}`);
      await page.setViewportSize(viewport);

      // Shown once: after a reload the list names it, and nothing shows the secret again.
      await page.reload();
      await tokens().getByRole('listitem').filter({ hasText: 'laptop MCP' }).waitFor();
      expect(await page.content()).not.toContain(token);

      await tokens().getByRole('button', { name: 'Revoke “laptop MCP”…' }).click();
      await tokens().getByRole('button', { name: 'Revoke “laptop MCP”', exact: true }).click();
      await tokens().getByText('You have no API tokens.').waitFor();
      expect((await call(token, '/api/me/tasks')).status).toBe(401);
    });

    it('asks for the password, or a new sign-in, when the sign-in is no longer recent', async () => {
      const user = await signedIn(viewport);
      await openSettings();
      clockAhead = 11 * 60_000;
      try {
        await tokens().getByLabel('Token name').fill('nightly backup');
        await tokens()
          .getByLabel(/Everything a token may do/)
          .check();
        await tokens().getByRole('button', { name: 'Make token' }).click();
        await expect.poll(() => tokens().getByRole('alert').textContent()).toMatch(/needs a recent sign-in/);
        await tokens().getByRole('button', { name: 'Sign in again instead' }).waitFor();
        await tokens().getByLabel('Your password').fill('not my password');
        await tokens().getByRole('button', { name: 'Make token' }).click();
        await expect
          .poll(() => tokens().getByLabel('Your password').getAttribute('aria-invalid'))
          .toBe('true');
        await harness.expectAccessible(`settings sudo ${width}`);
        await tokens().getByLabel('Your password').fill(user.password);
        await tokens().getByRole('button', { name: 'Make token' }).click();
        const token = await tokens().getByLabel('New API token').inputValue();
        // The account scope was asked for: this token may export.
        expect((await call(token, '/api/me/export')).status).toBe(200);
      } finally {
        clockAhead = 0;
      }
    });

    it('changes name, time zone and password, and downloads an export that imports back', async () => {
      const user = await signedIn(viewport);
      await createTask(user, { title: 'Keep the receipts' });
      await openSettings();
      const profile = page.getByRole('region', { name: 'Profile' });
      await profile.getByLabel('Name').fill('Grace');
      await profile.getByLabel('Time zone').selectOption('Asia/Tokyo');
      await profile.getByRole('button', { name: 'Save profile' }).click();
      await profile.getByText('Saved.').waitFor();
      const me = (await app.inject({ url: '/api/auth/me', headers: user.headers })).json();
      expect(me).toMatchObject({ name: 'Grace', timezone: 'Asia/Tokyo' });

      const data = page.getByRole('region', { name: 'Export and import' });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        data.getByRole('button', { name: 'Download export' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^doable-export-\d{4}-\d{2}-\d{2}\.json$/);
      const file = await download.path();
      const exported = JSON.parse(await readFile(file, 'utf8'));
      expect(exported.format).toBe('doable-export');
      expect(exported.tasks.map((t: { title: string }) => t.title)).toContain('Keep the receipts');

      // Deleted here, then brought back from the file.
      const list = (await app.inject({ url: '/api/me/tasks', headers: user.headers })).json();
      for (const task of list.tasks) {
        await app.inject({ method: 'DELETE', url: `/api/me/tasks/${task.id}`, headers: user.headers });
      }
      await data.getByLabel('File to import').setInputFiles(file);
      await data.getByRole('button', { name: 'Import file', exact: true }).click();
      await expect
        .poll(() => data.getByRole('status').last().textContent())
        .toMatch(/Added 1 task and 0 conversations/);

      const password = page.getByRole('region', { name: 'Password' });
      // Refusals in people's words, each said once: under its field, and a sentence that repeats none of them.
      const said = () => password.locator('.field-error').allTextContents();
      await password.getByLabel('Current password').fill('not my password');
      await password.getByLabel('New password').fill('a much newer passphrase');
      await password.getByRole('button', { name: 'Change password' }).click();
      await expect
        .poll(said)
        .toEqual(['Your current password is wrong.', 'Please correct the field marked above.']);
      await password.getByLabel('Current password').fill(user.password);
      await password.getByLabel('New password').fill('short');
      await password.getByRole('button', { name: 'Change password' }).click();
      await expect
        .poll(said)
        .toEqual(['Must be at least 8 characters.', 'Please correct the field marked above.']);
      expect(await password.textContent()).not.toMatch(/_|\/api\/|request is invalid/i);
      await data.getByLabel('File to import').setInputFiles({
        name: 'notes.json',
        mimeType: 'application/json',
        buffer: Buffer.from('{"tasks": [{"title": ""}]}'),
      });
      await data.getByRole('button', { name: 'Import file', exact: true }).click();
      await expect
        .poll(() => data.getByRole('alert').textContent())
        .toBe('notes.json is not a Doable export; make one with Download export.');
      expect(await data.getByRole('alert').textContent()).not.toMatch(/_|`|\/api\/|request is invalid/i);

      await password.getByLabel('Current password').fill(user.password);
      await password.getByLabel('New password').fill('a much newer passphrase');
      await password.getByLabel('New password').fill('a much newer passphrase');
      await password.getByRole('button', { name: 'Change password' }).click();
      await password.getByText(/Password changed/).waitFor();
      // Still signed in here, on a new session: a reload keeps the page.
      await page.reload();
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password: 'a much newer passphrase' },
      });
      expect(login.statusCode).toBe(200);
    });
  });

  /** A calendar date `days` from today in New York, as the page and the API read "today" for this account. */
  const dayFromToday = (days: number) => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
    return new Date(Date.parse(`${today}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  };
  const titles = (scope: Locator) => scope.locator('.task-title').allTextContents();
  const group = (name: RegExp) => page.getByRole('region', { name });

  describe.each(WIDTHS)('the views at %s', (width, viewport) => {
    it('Today shows what is overdue and due today; Upcoming the next seven days by day; All everything to do', async () => {
      const user = await signedIn(viewport);
      await createTask(user, { title: 'Pay the overdue bill', due_date: dayFromToday(-2) });
      await createTask(user, { title: 'Water the plants', due_date: dayFromToday(0) });
      await createTask(user, { title: 'Call the plumber', due_date: dayFromToday(1) });
      await createTask(user, { title: 'Book the train', due_date: dayFromToday(5) });
      await createTask(user, { title: 'Renew the passport', due_date: dayFromToday(30) });
      await createTask(user, { title: 'Learn the banjo' });
      const done = await createTask(user, { title: 'Already done today', due_date: dayFromToday(0) });
      await app.inject({ method: 'PATCH', url: `/api/me/tasks/${done.id}/complete`, headers: user.headers });

      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Today' }).click();
      expect(new URL(page.url()).pathname).toBe('/today');
      await group(/^Overdue/).waitFor();
      expect(await titles(group(/^Overdue/))).toEqual(['Pay the overdue bill']);
      expect(await titles(group(/^Today ·/))).toEqual(['Water the plants']);
      expect(await titles(page.locator('.list-section'))).toHaveLength(2);
      await harness.screenshots(`today-${viewport.width}`);
      await page.setViewportSize(viewport);

      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Upcoming' }).click();
      await group(/^Tomorrow ·/).waitFor();
      expect(await page.locator('.day-heading').count()).toBe(8);
      // The days are drawn before their tasks arrive: wait for the tasks, not only the headings.
      await expect
        .poll(() => titles(group(/^Tomorrow ·/)), { timeout: 10_000 })
        .toEqual(['Call the plumber']);
      const fifth = page.locator('.day-group').nth(6);
      expect(await titles(fifth)).toEqual(['Book the train']);
      expect(await titles(page.locator('.list-section'))).toEqual([
        'Pay the overdue bill',
        'Water the plants',
        'Call the plumber',
        'Book the train',
      ]);
      await harness.screenshots(`upcoming-${viewport.width}`);
      await page.setViewportSize(viewport);

      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'All tasks' }).click();
      await row('Learn the banjo').waitFor();
      expect(await titles(page.locator('.list-section'))).toHaveLength(6);
      await page.reload();
      await row('Renew the passport').waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      await harness.expectAccessible(`all tasks ${width}`);
    });

    it('shows a repeating task on each later day of Upcoming it comes back, as lines to read', async () => {
      const user = await signedIn(viewport);
      await createTask(user, {
        title: 'Water the plants',
        due_date: dayFromToday(0),
        recurrence: 'FREQ=DAILY',
      });
      await createTask(user, {
        title: 'Take out the bins',
        due_date: dayFromToday(1),
        recurrence: 'FREQ=WEEKLY',
      });
      await page.goto(`${base}/upcoming`);
      await group(/^Tomorrow ·/).waitFor();
      const repeats = (day: number) =>
        page.locator('.day-group').nth(day).locator('.repeat-line').allTextContents();
      await expect.poll(() => titles(group(/^Today ·/))).toEqual(['Water the plants']);
      expect(await repeats(0)).toEqual([]);
      for (let day = 1; day < 7; day++)
        await expect
          .poll(() => repeats(day), { message: `day ${day}` })
          .toEqual(['↻ Repeats: Water the plants']);
      // A weekly task comes back after the seven days; the lines are to read, with nothing to press.
      expect(await page.locator('.repeat-line').filter({ hasText: 'bins' }).count()).toBe(0);
      expect(await page.locator('.repeat-list input, .repeat-list button').count()).toBe(0);
      await harness.expectAccessible(`upcoming with repeats ${width}`);

      // Done today, it moves to tomorrow, and its later days follow.
      await row('Water the plants').getByRole('checkbox').click();
      await expect
        .poll(() => titles(group(/^Tomorrow ·/)))
        .toEqual(['Water the plants', 'Take out the bins']);
      await expect.poll(() => repeats(1)).toEqual([]);
      expect(await repeats(2)).toEqual(['↻ Repeats: Water the plants']);
      expect(await titles(group(/^Today ·/))).toEqual([]);
    });

    it('pages through a list of more than 200 tasks as it is scrolled', async () => {
      const user = await signedIn(viewport);
      for (let n = 1; n <= 230; n++) await createTask(user, { title: `Chore ${n}` });
      await page.reload();
      await expect.poll(() => page.locator('.task').count()).toBe(200);
      expect(await page.locator('.count-badge').textContent()).toMatch(/^230/);
      await page.getByRole('button', { name: /Show more \(30 tasks left\)/ }).scrollIntoViewIfNeeded();
      await expect.poll(() => page.locator('.task').count()).toBe(230);
      await row('Chore 1').first().waitFor();
      expect(await page.getByRole('button', { name: /Show more/ }).count()).toBe(0);
    });
  });

  describe.each(WIDTHS)('small things at %s', (_width, viewport) => {
    it('counts one task as “1 task”, leads a tag to the tasks it counts, and suits the empty state to the filter', async () => {
      const user = await signedIn(viewport);
      await createTask(user, { title: 'Water the plants', due_date: dayFromToday(0) });
      const filed = await createTask(user, { title: 'File the taxes', tags: ['paperwork'] });
      await createTask(user, { title: 'Buy stamps', tags: ['errands'] });
      const posted = await createTask(user, { title: 'Post the parcel', tags: ['errands'] });
      for (const done of [filed, posted])
        await app.inject({
          method: 'PATCH',
          url: `/api/me/tasks/${done.id}/complete`,
          headers: user.headers,
        });

      await page.goto(`${base}/today`);
      await row('Water the plants').waitFor();
      expect(await page.locator('.list-heading .count-badge').textContent()).toBe('1 task');

      // A chip counts the tasks to do; a tag whose tasks are all done has none. Pressing one narrows the list
      // shown (still the tasks to do), and pressing it again widens it back.
      await page.goto(`${base}/`);
      const chips = page.getByRole('navigation', { name: 'Tags' }).getByRole('button');
      await chips.first().waitFor();
      expect(await chips.allTextContents()).toEqual(['#errands 1 task']);
      await chips.first().click();
      await expect.poll(() => titles(page.locator('.list-section'))).toEqual(['Buy stamps']);
      expect(new URL(page.url()).search).toBe('?tag=errands');
      expect(await page.locator('.list-heading .count-badge').textContent()).toBe('1 task');
      await chips.first().click();
      await expect
        .poll(() => titles(page.locator('.list-section')))
        .toEqual(['Buy stamps', 'Water the plants']);

      await page.goto(`${base}/?due=overdue`);
      await page.getByText('No tasks match these filters.').waitFor();
      expect(await page.locator('.empty').textContent()).toMatch(/Try other filters/);
      expect(await page.locator('.empty').textContent()).not.toMatch(/other words/);
      await page.goto(`${base}/?search=zebra`);
      await page.getByText('Try other words, or show everything again.').waitFor();

      // Neither the search nor the quick-add box cuts its own hint off.
      for (const id of ['task-search', 'quick-add-input']) {
        const fits = await harness.inPage<boolean>(
          `(() => { const input = document.getElementById('${id}'); const probe = document.createElement('span');
            const style = getComputedStyle(input); probe.style.font = style.font; probe.style.position = 'absolute';
            probe.textContent = input.placeholder; document.body.append(probe);
            const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            const fits = probe.getBoundingClientRect().width <= room; probe.remove(); return fits; })()`,
        );
        expect(fits, `${id} placeholder fits`).toBe(true);
      }
    });
  });

  it('lists time zones by their current names, with UTC, and keeps a saved older name', async () => {
    const user = await signedIn(PHONE);
    await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: user.headers,
      payload: { timezone: 'Asia/Calcutta' },
    });
    await page.goto(`${base}/settings`);
    const zone = page.getByRole('region', { name: 'Profile' }).getByLabel('Time zone');
    await zone.waitFor();
    const optionValues = () =>
      zone
        .locator('option')
        .evaluateAll((list) => list.map((option) => (option as unknown as { value: string }).value));
    const options = await optionValues();
    expect(options).toEqual(
      expect.arrayContaining(['UTC', 'Asia/Kolkata', 'Europe/Kyiv', 'Asia/Ho_Chi_Minh']),
    );
    for (const old of ['Europe/Kiev', 'Asia/Saigon']) expect(options).not.toContain(old);
    // The saved zone, an older name, is shown as it is and not changed unasked (once the page has read the
    // account again: it changed after this page signed in).
    await expect.poll(() => zone.inputValue()).toBe('Asia/Calcutta');
    // (Its option comes with the account read again: the options are read once it is shown.)
    const shown = await optionValues();
    expect(shown.filter((name) => name === 'Asia/Calcutta')).toHaveLength(1);
    for (const timezone of ['UTC', 'Asia/Kolkata']) {
      await zone.selectOption(timezone);
      await page.getByRole('button', { name: 'Save profile' }).click();
      await expect
        .poll(async () => (await app.inject({ url: '/api/auth/me', headers: user.headers })).json().timezone)
        .toBe(timezone);
    }
  });

  it('fits a 320 px screen: no sideways scroll, every header link in view, the quick-add hint whole', async () => {
    const user = await signedIn({ width: 320, height: 640 });
    await createTask(user, { title: 'Water the plants', tags: ['home'] });
    const fits = (label: string) =>
      expect
        .poll(
          () =>
            harness.inPage<number>(
              'document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth',
            ),
          { message: `${label}: page wider than the screen` },
        )
        .toBeLessThanOrEqual(0);
    const inView = (selector: string) =>
      harness.inPage<boolean>(
        `[...document.querySelectorAll(${JSON.stringify(selector)})].every((el) => {
          const box = el.getBoundingClientRect(); return box.left >= 0 && box.right <= innerWidth; })`,
      );
    await page.reload();
    await row('Water the plants').waitFor();
    await fits('tasks');
    expect(await inView('.top-bar a, .top-bar button')).toBe(true);
    const hint = await harness.inPage<boolean>(
      `(() => { const input = document.getElementById('quick-add-input'); const probe = document.createElement('span');
        const style = getComputedStyle(input); probe.style.font = style.font; probe.style.position = 'absolute';
        probe.textContent = input.placeholder; document.body.append(probe);
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        const fits = probe.getBoundingClientRect().width <= room; probe.remove(); return fits; })()`,
    );
    await page.screenshot({ path: `${SCREENSHOTS}/tasks-320.png`, fullPage: true });
    expect(hint, 'quick-add placeholder fits').toBe(true);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await fits('settings');
    expect(await inView('.top-bar a, .top-bar button')).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/settings-320.png`, fullPage: true });
    await harness.expectAccessible('320 px settings');
  });

  describe.each(WIDTHS)('the assistant panel at %s', (width, viewport) => {
    /** Whether an element is inside the window and is what a tap at its middle reaches (nothing covers it). */
    const reachable = (selector: string) =>
      harness.inPage<boolean>(
        `(() => { const el = document.querySelector(${JSON.stringify(selector)}); const box = el.getBoundingClientRect();
          const inside = box.top >= 0 && box.bottom <= innerHeight && box.left >= 0 && box.right <= innerWidth;
          const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
          return inside && (hit === el || el.contains(hit)); })()`,
      );

    it('keeps the message box and the header in view after ten exchanges, and opening it moves nothing', async () => {
      const user = await signedIn(viewport);
      for (let n = 1; n <= 40; n++) await createTask(user, { title: `Errand ${n}` });
      await page.reload();
      await row('Errand 1').first().waitFor();
      await page.mouse.wheel(0, 900);
      await expect.poll(() => harness.inPage<number>('scrollY')).toBeGreaterThan(300);
      const scrolled = await harness.inPage<number>('scrollY');

      await page.getByRole('button', { name: 'Assistant' }).click();
      const message = page.getByLabel('Message the assistant');
      await expect.poll(() => harness.inPage('document.activeElement?.tagName')).toBe('TEXTAREA');
      expect(await harness.inPage<number>('scrollY')).toBe(scrolled);

      for (let n = 1; n <= 10; n++) {
        await message.fill(n % 2 ? "what's due today?" : `add Errand extra ${n} tomorrow`);
        await message.press('Enter');
        await expect.poll(() => page.locator('.bubble-assistant p').count()).toBe(n);
        // The reply is done when its bubble is no longer busy ("Thinking…" is text too). It can take seconds on a
        // loaded machine, and the page takes no new message while a reply is still coming.
        await expect
          .poll(() => page.locator('.bubble-assistant p[aria-busy="true"]').count(), { timeout: 20_000 })
          .toBe(0);
        await expect
          .poll(() =>
            page
              .locator('.bubble-assistant p')
              .nth(n - 1)
              .textContent(),
          )
          .toMatch(/\S/);
      }
      expect(await reachable('#side-panel textarea')).toBe(true);
      expect(await reachable('#side-panel button[type=submit]')).toBe(true);
      // The header, and the way out of the panel, are still there to press.
      expect(await reachable('.top-bar a[href="/settings"]')).toBe(true);
      expect(await reachable('.top-bar button[aria-pressed="true"]')).toBe(true);
      // The newest reply is in view in the conversation, which scrolled on its own.
      expect(await reachable('.bubble-assistant:last-child')).toBe(true);
      await page.screenshot({ path: `${SCREENSHOTS}/assistant-ten-${viewport.width}.png` });
      await harness.expectAccessible(`assistant after ten exchanges ${width}`);

      await page.getByRole('button', { name: 'Assistant' }).click();
      await expect.poll(() => page.locator('#side-panel').count()).toBe(0);
      // On a phone the panel covers the page: it says how to close it.
      await page.getByRole('button', { name: 'Assistant' }).click();
      await page.locator('#side-panel').getByRole('button', { name: 'Close' }).click();
      await expect.poll(() => page.locator('#side-panel').count()).toBe(0);
    });

    it('gives a refused message back to the box instead of leaving it unanswered in the conversation', async () => {
      await signedIn(viewport);
      await page.getByRole('button', { name: 'Assistant' }).click();
      const message = page.getByLabel('Message the assistant');
      // As the chat's rate limit answers: refused before anything is kept.
      await page.route('**/api/me/chat', (route) =>
        route.fulfill({
          status: 429,
          contentType: 'application/problem+json',
          body: JSON.stringify({
            status: 429,
            title: 'Too Many Requests',
            detail: 'Too many requests; try again in 10 seconds.',
          }),
        }),
      );
      await message.fill('add water the ferns');
      await message.press('Enter');
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/try again in 10 seconds/);
      expect(await page.locator('.bubble-user').count()).toBe(0);
      expect(await message.inputValue()).toBe('add water the ferns');
      await page.unroute('**/api/me/chat');
    });
  });

  describe.each([1280, 1440])('a panel opened at %i px', (width) => {
    it('leaves the list and the header where they were, and takes the room on their right', async () => {
      const user = await signedIn({ width, height: 800 });
      await createTask(user, { title: 'Water the plants' });
      await page.reload();
      const first = page.locator('.task').first();
      await first.waitFor();
      const places = async () => ({
        row: await first.boundingBox(),
        settings: await page.locator('.top-bar a[href="/settings"]').boundingBox(),
      });
      const before = await places();
      for (const name of ['Assistant', 'Docs']) {
        await page.getByRole('button', { name, exact: true }).click();
        const panel = page.locator('#side-panel');
        await panel.waitFor();
        expect(await places(), `${name} open`).toEqual(before);
        const box = await panel.boundingBox();
        expect(box?.x).toBeGreaterThanOrEqual((before.row?.x ?? 0) + (before.row?.width ?? 0));
        expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width);
        await harness.expectNoHorizontalScroll(`${name} panel at ${width}`);
        await page.getByRole('button', { name, exact: true }).click();
        await expect.poll(() => panel.count()).toBe(0);
      }
    });
  });
});
