import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHarness, CHROMIUM, gotoQuiet, SKIP_REASON, startBrowserHarness } from './browser.ts';
import { registerUser, type TestUser } from './helpers.ts';

/**
 * Live updates in the web page: one account in two browser contexts (two devices); what the API or the other page
 * changes shows on the first page within a second, without a reload. On the real app in Debian's Chromium.
 */
describe.skipIf(!CHROMIUM)(`live updates on the web page${SKIP_REASON}`, { timeout: 90_000 }, () => {
  let harness: BrowserHarness;
  let app: FastifyInstance;
  let base: string;
  let first: Page;
  let otherContext: BrowserContext;
  let second: Page;
  let user: TestUser;

  beforeAll(async () => {
    harness = await startBrowserHarness({ metricsName: 'metrics-live' });
    ({ app, base, page: first } = harness);
    otherContext = await harness.browser.newContext({ timezoneId: 'Europe/Paris', locale: 'en-GB' });
    second = await otherContext.newPage();
    user = await registerUser(app);
    for (const page of [first, second]) {
      await gotoQuiet(page, `${base}/signin`);
      await page.getByLabel('Email').fill(user.email);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('Add a task').waitFor();
      // The stream is open: the header's dot says so.
      await page.locator('.live-dot[data-live="live"]').waitFor();
    }
  }, 120_000);
  afterAll(async () => {
    await otherContext?.close();
    await harness?.close();
  });

  const row = (page: Page, title: string) => page.locator('.task').filter({ hasText: title });
  /**
   * How long after `change` is saved (its answer received) the row appears (or goes) on the first page, which is
   * not touched meanwhile.
   */
  async function shownAfter(change: () => Promise<unknown>, title: string, state: 'visible' | 'detached') {
    await change();
    const saved = performance.now();
    await row(first, title).waitFor({ state, timeout: 5_000 });
    return performance.now() - saved;
  }

  it('shows within a second a task added through the API, and one added on the other page', async () => {
    const navigations: string[] = [];
    first.on('framenavigated', (frame) => navigations.push(frame.url()));

    const byApi = await shownAfter(
      () =>
        app.inject({
          method: 'POST',
          url: '/api/me/tasks',
          headers: user.headers,
          payload: { title: 'Added by a script' },
        }),
      'Added by a script',
      'visible',
    );
    const byPage = await shownAfter(
      async () => {
        await second.getByLabel('Add a task').fill('Added on the other device');
        await second.getByLabel('Add a task').press('Enter');
      },
      'Added on the other device',
      'visible',
    );
    harness.metrics['task added by the API, shown on the page after (ms)'] = Math.round(byApi);
    harness.metrics['task added on another page, shown after (ms)'] = Math.round(byPage);
    expect(byApi).toBeLessThan(1_000);
    expect(byPage).toBeLessThan(1_000);
    // Without a reload: the page was never navigated.
    expect(navigations).toEqual([]);
  });

  it('takes away within a second a task deleted elsewhere, and keeps the dot accessible', async () => {
    const tasks = (await app.inject({ url: '/api/me/tasks', headers: user.headers })).json().tasks as Array<{
      id: number;
      title: string;
    }>;
    const task = tasks.find((one) => one.title === 'Added by a script');
    const gone = await shownAfter(
      () => app.inject({ method: 'DELETE', url: `/api/me/tasks/${task?.id}`, headers: user.headers }),
      'Added by a script',
      'detached',
    );
    harness.metrics['task deleted by the API, gone from the page after (ms)'] = Math.round(gone);
    expect(gone).toBeLessThan(1_000);
    await first.getByRole('img', { name: 'Live updates on' }).waitFor();
    await harness.expectAccessible('live updates');
  });

  it('keeps a box ticked when a read begun before the tick comes back afterwards', async () => {
    await gotoQuiet(first, `${base}/?status=all`);
    await app.inject({
      method: 'POST',
      url: '/api/me/tasks',
      headers: user.headers,
      payload: { title: 'Water the ferns' },
    });
    const box = row(first, 'Water the ferns').getByRole('checkbox');
    await box.waitFor();

    // The next read of the tasks is answered as the server had it then, but only once the tick has been saved:
    // the live update's read that was in flight when the box was ticked.
    let answerStaleRead: () => void = () => {};
    const staleReadAnswered = new Promise<void>((resolve) => {
      answerStaleRead = resolve;
    });
    let held = false;
    await first.route('**/api/me/tasks?*', async (route) => {
      if (held || route.request().method() !== 'GET') return route.fallback();
      held = true;
      const asItWas = await route.fetch();
      await staleReadAnswered;
      await route.fulfill({ response: asItWas });
    });
    await app.inject({
      method: 'POST',
      url: '/api/me/tasks',
      headers: user.headers,
      payload: { title: 'Something else' },
    });
    await expect.poll(() => held).toBe(true);
    const tickSaved = first.waitForResponse((response) => response.url().includes('/complete'));
    await box.click();
    await tickSaved;
    answerStaleRead();

    // Ticked it stays: never shown unticked again while the reads settle.
    const seen = new Set<boolean>();
    for (let i = 0; i < 40; i++) {
      seen.add(await box.isChecked());
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await first.unrouteAll({ behavior: 'wait' });
    expect([...seen]).toEqual([true]);
  });
});
