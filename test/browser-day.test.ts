import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserHarness,
  CHROMIUM,
  DESKTOP,
  PHONE,
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

  beforeAll(async () => {
    harness = await startBrowserHarness({ metricsName: 'metrics-day' });
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
    await page.goto(`${base}/signin`, { waitUntil: 'networkidle' });
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
});
