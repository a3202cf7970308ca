import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHarness, CHROMIUM, DESKTOP, SKIP_REASON, startBrowserHarness } from './browser.ts';
import { registerUser, type TestUser } from './helpers.ts';

/**
 * Two people sharing a list, each in a browser of their own (two Chromium contexts, so two sessions): Ann shares
 * "Groceries" with Ben, Ben sees the invitation arrive and joins, Ann's task shows on Ben's page, Ben adds one and
 * assigns it, and each sees the other's changes appear without reloading: the live events stream at work. Then a
 * viewer's page has no controls to change the list, and leaving takes it away.
 */
describe.skipIf(!CHROMIUM)(`sharing a list on the web page${SKIP_REASON}`, { timeout: 120_000 }, () => {
  let harness: BrowserHarness;
  let app: FastifyInstance;
  let base: string;
  let ann: { user: TestUser; page: Page };
  let ben: { user: TestUser; page: Page; context: BrowserContext };

  async function signIn(page: Page, user: TestUser) {
    await page.goto(`${base}/signin`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Add a task').waitFor();
  }

  beforeAll(async () => {
    harness = await startBrowserHarness({ metricsName: 'metrics-sharing' });
    ({ app, base } = harness);
    const annUser = await registerUser(app, { name: 'Ann' });
    const benUser = await registerUser(app, { name: 'Ben' });
    ann = { user: annUser, page: harness.page };
    const context = await harness.browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
    ben = { user: benUser, page: await context.newPage(), context };
    await signIn(ann.page, annUser);
    await signIn(ben.page, benUser);
  }, 150_000);
  afterAll(async () => {
    await ben?.context.close();
    await harness?.close();
  });

  const row = (page: Page, title: string) => page.locator('.task').filter({ hasText: title });
  const listLink = (page: Page, name: string) =>
    page.getByRole('navigation', { name: 'Lists' }).getByRole('link', { name: new RegExp(`^${name}`) });
  /** Live: seen within a few seconds, with no reload in between (the page's own fetches only). */
  const LIVE = { timeout: 5_000 };

  it('shares a list, and each person sees the other’s changes appear without a reload', async () => {
    // Ann makes the list, adds a task and shares it.
    await ann.page.getByRole('button', { name: '+ New list' }).click();
    await ann.page.getByLabel('List name').fill('Groceries');
    await ann.page.getByRole('button', { name: 'Create list' }).click();
    await ann.page.getByRole('heading', { level: 2, name: /^Groceries/ }).waitFor();
    await ann.page.getByLabel('Add a task').fill('Oat milk');
    await ann.page.getByLabel('Add a task').press('Enter');
    await row(ann.page, 'Oat milk').waitFor();
    await ann.page.getByRole('button', { name: 'Share…' }).click();
    await ann.page.getByLabel('Invite by email').fill(ben.user.email);
    await ann.page.getByRole('button', { name: 'Invite' }).click();
    await ann.page
      .getByRole('status')
      .filter({ hasText: `Invited ${ben.user.email}` })
      .waitFor();
    await ann.page.getByRole('list', { name: 'Members' }).getByText('Invited').waitFor();
    await harness.expectAccessible('share panel');
    await ann.page.getByRole('button', { name: 'Done' }).click();

    // Ben's open page shows the invitation as it arrives; he joins and sees Ann's task.
    const invitation = ben.page.getByRole('region', { name: 'Invitations' });
    await invitation.filter({ hasText: 'Ann invited you to the list “Groceries”' }).waitFor(LIVE);
    await invitation.getByRole('button', { name: 'Join list' }).click();
    await ben.page.getByRole('heading', { level: 2, name: /^Groceries/ }).waitFor();
    await row(ben.page, 'Oat milk').waitFor(LIVE);
    await listLink(ben.page, 'Groceries').filter({ hasText: 'shared by Ann' }).waitFor();

    // Ben adds one; Ann's page shows it, named as Ben's, without a reload.
    let annReloaded = false;
    ann.page.once('load', () => {
      annReloaded = true;
    });
    await ben.page.getByLabel('Add a task').fill('Sourdough bread');
    await ben.page.getByLabel('Add a task').press('Enter');
    await row(ben.page, 'Sourdough bread').waitFor();
    await row(ann.page, 'Sourdough bread').waitFor(LIVE);
    await row(ann.page, 'Sourdough bread').filter({ hasText: 'added by Ben' }).waitFor();

    // Ann ticks Ben's task and assigns her own to Ben: Ben sees both.
    // A click, not check(): ticked, the task leaves Ann's list of tasks to do at once, and check() reads the box
    // again after its click (a box already gone makes it look for the row until it times out).
    await row(ann.page, 'Sourdough bread').getByRole('checkbox').click();
    await row(ann.page, 'Oat milk').getByRole('button', { name: 'Edit “Oat milk”' }).click();
    await ann.page.getByLabel('Assigned to').selectOption({ label: 'Ben' });
    await ann.page.getByRole('button', { name: 'Save' }).click();
    await row(ben.page, 'Oat milk').filter({ hasText: 'Assigned to you' }).waitFor(LIVE);
    await row(ben.page, 'Sourdough bread').waitFor({ state: 'detached', ...LIVE });
    expect(annReloaded).toBe(false);
    await harness.expectAccessible('shared list');

    // What is assigned to Ben, among the list's tasks: the filter shared lists bring.
    await ben.page.getByLabel('Add a task').fill('Paper towels');
    await ben.page.getByLabel('Add a task').press('Enter');
    await row(ben.page, 'Paper towels').waitFor();
    await ben.page.getByLabel('Assigned', { exact: true }).selectOption({ label: 'To me' });
    await ben.page.getByRole('heading', { level: 2, name: /^Groceries: Assigned to you/ }).waitFor();
    await row(ben.page, 'Paper towels').waitFor({ state: 'detached' });
    await row(ben.page, 'Oat milk').waitFor();
    expect(new URL(ben.page.url()).searchParams.get('assigned')).toBe('me');
  });

  it('a viewer reads the list without controls to change it, and leaving takes it away', async () => {
    const lists = (await app.inject({ url: '/api/me/lists', headers: ann.user.headers })).json() as {
      id: number;
      name: string;
    }[];
    const groceries = lists.find((list) => list.name === 'Groceries');
    const members = (
      await app.inject({ url: `/api/me/lists/${groceries?.id}/members`, headers: ann.user.headers })
    ).json() as { id: number | null; email: string }[];
    const benMember = members.find((member) => member.email === ben.user.email.toLowerCase());
    const changed = await app.inject({
      method: 'PATCH',
      url: `/api/me/lists/${groceries?.id}/members/${benMember?.id}`,
      headers: ann.user.headers,
      payload: { role: 'viewer' },
    });
    expect(changed.statusCode).toBe(200);

    await ben.page.reload();
    await row(ben.page, 'Oat milk').waitFor();
    // (The tasks may show before the list's role is known: the page is read once it says so.)
    await ben.page.getByText('You can view “Groceries” but not change it').waitFor();
    expect(await ben.page.getByLabel('Add a task').count()).toBe(0);
    expect(await row(ben.page, 'Oat milk').getByRole('checkbox').isDisabled()).toBe(true);
    expect(
      await row(ben.page, 'Oat milk')
        .getByRole('button', { name: /Edit|Delete/ })
        .count(),
    ).toBe(0);

    await ben.page.getByRole('button', { name: 'People…' }).click();
    await ben.page.getByRole('button', { name: 'Leave list…' }).click();
    await ben.page.getByRole('button', { name: 'Leave', exact: true }).click();
    await listLink(ben.page, 'Groceries').waitFor({ state: 'detached' });
    const after = await app.inject({ url: `/api/me/lists/${groceries?.id}`, headers: ben.user.headers });
    expect(after.statusCode).toBe(404);
  });

  it('a person removed from the list they are looking at is taken back to their tasks, told why', async () => {
    const call = async (
      headers: Record<string, string>,
      method: 'POST' | 'DELETE',
      url: string,
      payload?: object,
    ) => {
      const response = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.body ? response.json() : undefined;
    };
    const errands = await call(ann.user.headers, 'POST', '/api/me/lists', { name: 'Errands' });
    await call(ann.user.headers, 'POST', '/api/me/tasks', { title: 'Post office', list_id: errands.id });
    const member = await call(ann.user.headers, 'POST', `/api/me/lists/${errands.id}/members`, {
      email: ben.user.email,
      role: 'editor',
    });
    await call(ben.user.headers, 'POST', `/api/me/lists/${errands.id}/membership`);
    await ben.page.goto(`${base}/lists/${errands.id}`);
    await row(ben.page, 'Post office').waitFor();

    await call(ann.user.headers, 'DELETE', `/api/me/lists/${errands.id}/members/${member.id}`);
    await ben.page
      .getByRole('status')
      .filter({ hasText: 'That list is gone, or no longer shared with you.' })
      .waitFor(LIVE);
    await ben.page.waitForURL(`${base}/`);
    await row(ben.page, 'Post office').waitFor({ state: 'detached' });
  });
});
