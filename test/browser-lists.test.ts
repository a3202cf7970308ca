import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserHarness,
  CHROMIUM,
  DESKTOP,
  gotoQuiet,
  PHONE,
  SKIP_REASON,
  startBrowserHarness,
} from './browser.ts';
import { registerUser, type TestUser } from './helpers.ts';

/**
 * Lists in the web page: the column of lists (a section that opens on a phone), creating one, adding to it,
 * moving a task by the edit form, renaming, and deleting a list with tasks by moving them to the Inbox; on the
 * real app in Debian's Chromium, with axe, at desktop and phone width.
 */
const WIDTHS = [
  ['1280 px', DESKTOP],
  ['390 px', PHONE],
] as const;

interface ListRow {
  id: number;
  name: string;
  is_inbox: boolean;
  open_tasks: number;
  total_tasks: number;
}

describe.skipIf(!CHROMIUM)(`lists on the web page${SKIP_REASON}`, { timeout: 90_000 }, () => {
  let harness: BrowserHarness;
  let app: FastifyInstance;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    harness = await startBrowserHarness({ metricsName: 'metrics-lists' });
    ({ app, page, base } = harness);
  }, 120_000);
  afterAll(async () => harness?.close());

  async function signedIn(viewport: { width: number; height: number }): Promise<TestUser> {
    const user = await registerUser(app);
    await page.setViewportSize(viewport);
    await gotoQuiet(page, `${base}/signin`);
    await page.evaluate('localStorage.clear()');
    await page.goto(`${base}/signin`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Add a task').waitFor();
    return user;
  }

  const listsOf = async (user: TestUser) =>
    (await app.inject({ url: '/api/me/lists', headers: user.headers })).json() as ListRow[];
  const tasksOf = async (user: TestUser) =>
    (
      (await app.inject({ url: '/api/me/tasks?status=all&limit=200', headers: user.headers })).json() as {
        tasks: { id: number; title: string; list_id: number }[];
      }
    ).tasks;
  const row = (title: string) => page.locator('.task').filter({ hasText: title });
  const nav = () => page.getByRole('navigation', { name: 'Lists' });

  /** On a phone the lists are behind one button; on a wide window they are always shown. */
  async function openLists(viewport: { width: number }) {
    if (viewport.width >= 1280) return;
    const toggle = nav().getByRole('button', { name: /^Lists/ });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }
  async function chooseList(viewport: { width: number }, name: string) {
    await openLists(viewport);
    await nav()
      .getByRole('link', { name: new RegExp(`^${name} \\d+ to do$`) })
      .click();
    await page.getByRole('heading', { level: 2, name: new RegExp(`^${name} `) }).waitFor();
  }

  describe.each(WIDTHS)('at %s', (width, viewport) => {
    it('creates a list, adds to it, moves a task by the edit form, renames and deletes it', async () => {
      const user = await signedIn(viewport);
      await app.inject({
        method: 'POST',
        url: '/api/me/tasks',
        headers: user.headers,
        payload: { title: 'Call the bank' },
      });
      await page.reload();
      await row('Call the bank').waitFor();

      // Create a list in the page: a name already used is refused in words, under the field.
      await openLists(viewport);
      await nav().getByRole('button', { name: 'New list' }).click();
      const name = nav().getByLabel('List name');
      await name.fill('inbox');
      await nav().getByRole('button', { name: 'Create list' }).click();
      await nav()
        .getByText(/You already have a list named/)
        .waitFor();
      await name.fill('Groceries');
      await nav().getByRole('button', { name: 'Create list' }).click();
      await expect.poll(() => page.evaluate('location.pathname')).toMatch(/^\/lists\/\d+$/);
      const groceries = (await listsOf(user)).find((list) => list.name === 'Groceries');
      expect(groceries).toBeDefined();
      expect(await page.evaluate('location.pathname')).toBe(`/lists/${groceries?.id}`);
      await page.getByRole('heading', { level: 2, name: /^Groceries / }).waitFor();

      // Adding while the list is shown puts the task in it; +list in the text still chooses another.
      const input = page.getByLabel('Add a task');
      await input.fill('Buy milk tomorrow');
      await input.press('Enter');
      await row('Buy milk').waitFor();
      await input.fill('Pay rent +inbox');
      await input.press('Enter');
      await page.getByText('Added “Pay rent” to Inbox.').waitFor();
      await expect
        .poll(async () => (await tasksOf(user)).map((t) => [t.title, t.list_id === groceries?.id]).sort())
        .toEqual([
          ['Buy milk', true],
          ['Call the bank', false],
          ['Pay rent', false],
        ]);
      expect(await row('Call the bank').count()).toBe(0);
      expect(await row('Pay rent').count()).toBe(0);
      // The count beside the list follows.
      await openLists(viewport);
      await nav().getByRole('link', { name: 'Groceries 1 to do' }).waitFor();
      await harness.expectAccessible(`a list ${width}`);
      await harness.expectNoHorizontalScroll(`a list ${width}`);
      await harness.screenshots(`lists-${viewport.width}`);
      await page.setViewportSize(viewport);

      // A reload, and Back, land on the same list.
      await page.reload();
      await row('Buy milk').waitFor();

      // In the Inbox, the list's task is not there; the Inbox offers no rename or delete.
      await chooseList(viewport, 'Inbox');
      await row('Call the bank').waitFor();
      expect(await row('Buy milk').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Rename list' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: /Delete list/ }).count()).toBe(0);
      await page.goBack();
      await row('Buy milk').waitFor();

      // Move a task by the edit form: it leaves the Inbox for Groceries.
      await chooseList(viewport, 'Inbox');
      await page.getByRole('button', { name: 'Edit “Call the bank”' }).click();
      const form = page.getByRole('form', { name: 'Edit “Call the bank”' });
      await form.getByLabel('List').selectOption({ label: 'Groceries' });
      await harness.expectAccessible(`edit form with a list ${width}`);
      await form.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => row('Call the bank').count()).toBe(0);
      await expect
        .poll(async () => (await tasksOf(user)).find((t) => t.title === 'Call the bank')?.list_id)
        .toBe(groceries?.id);

      // Rename.
      await chooseList(viewport, 'Groceries');
      await row('Call the bank').waitFor();
      await page.getByRole('button', { name: 'Rename list' }).click();
      await page.getByLabel('New name').fill('Errands');
      await page.getByRole('button', { name: 'Save name' }).click();
      await page.getByRole('heading', { level: 2, name: /^Errands / }).waitFor();
      expect((await listsOf(user)).map((list) => list.name)).toEqual(['Inbox', 'Errands']);

      // Delete a list with tasks: asked first, its tasks moved to the Inbox, which is then shown.
      await page.getByRole('button', { name: 'Delete list…' }).click();
      const confirm = page.getByRole('form', { name: 'Delete “Errands”' });
      await confirm.getByText('“Errands” has 2 tasks.').waitFor();
      expect(await confirm.getByLabel('List to move the tasks to').inputValue()).toBe(
        String((await listsOf(user))[0]?.id),
      );
      await harness.expectAccessible(`delete a list ${width}`);
      await harness.expectNoHorizontalScroll(`delete a list ${width}`);
      await confirm.getByRole('button', { name: 'Delete list' }).click();
      await page.getByRole('heading', { level: 2, name: /^Inbox / }).waitFor();
      await row('Buy milk').waitFor();
      await row('Call the bank').waitFor();
      expect((await listsOf(user)).map((list) => [list.name, list.open_tasks])).toEqual([['Inbox', 3]]);
      await harness.expectAccessible(`after deleting a list ${width}`);
    });
  });

  it('keeps the task column where it was: the lists sit in the room on its left at 1280 px', async () => {
    const user = await signedIn(DESKTOP);
    await app.inject({
      method: 'POST',
      url: '/api/me/tasks',
      headers: user.headers,
      payload: { title: 'Water the plants' },
    });
    await page.reload();
    const first = row('Water the plants');
    await first.waitFor();
    const listsBox = await nav().boundingBox();
    const rowBox = await first.boundingBox();
    expect((listsBox?.x ?? 0) + (listsBox?.width ?? 0)).toBeLessThanOrEqual(rowBox?.x ?? 0);
    expect(listsBox?.x).toBeGreaterThanOrEqual(0);
    // The assistant opens on the right and moves neither.
    await page.getByRole('button', { name: 'Assistant', exact: true }).click();
    await page.locator('#side-panel').waitFor();
    expect(await first.boundingBox()).toEqual(rowBox);
    expect(await nav().boundingBox()).toEqual(listsBox);
    await page.getByRole('button', { name: 'Assistant', exact: true }).click();
  });
});
