import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserHarness,
  CHROMIUM,
  DESKTOP,
  SCREENSHOTS,
  SKIP_REASON,
  startBrowserHarness,
} from './browser.ts';
import { registerUser, uniqueEmail } from './helpers.ts';

/**
 * The web page in a real browser, against the real app on a fresh database: what a new user does, from signing up
 * to a reload. Runs wherever a Chromium is installed (`.ci/run` installs Debian's); screenshots of every run land in
 * test/screenshots/ (git-ignored) at desktop and phone width, light and dark.
 */
describe.skipIf(!CHROMIUM)(`the web page in a real browser${SKIP_REASON}`, { timeout: 60_000 }, () => {
  let harness: BrowserHarness;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  let issuer: string;
  const providerServer = createServer();

  beforeAll(async () => {
    // A real OpenID provider (oidc-provider, its development login form taking any login as the email).
    await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;
    const clientSecret = randomBytes(24).toString('hex');
    // The user guide is ingested, so that the docs panel has something to answer from.
    harness = await startBrowserHarness({
      metricsName: 'metrics',
      env: {
        KNOWLEDGE_SEED_DOCS: 'true',
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: 'doable',
        OIDC_CLIENT_SECRET: clientSecret,
        OIDC_NAME: 'Company login',
      },
    });
    ({ app, browser, page, base } = harness);
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'doable',
          client_secret: clientSecret,
          redirect_uris: [`${base}/api/auth/oauth/oidc/callback`],
        },
      ],
      jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }] },
      cookies: { keys: [randomBytes(16).toString('hex')] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      findAccount: (_ctx, login) => ({
        accountId: login,
        claims: () => ({
          sub: login,
          email: login,
          email_verified: true,
          name: `Person ${login.split('@')[0]}`,
        }),
      }),
    });
    providerServer.on('request', provider.callback());
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
    providerServer.close();
  });

  const inPage = <T>(expression: string) => harness.inPage<T>(expression);
  const screenshots = (name: string) => harness.screenshots(name);
  const storedSession = async () =>
    JSON.parse((await inPage<string | null>("localStorage.getItem('doable.session')")) ?? '{}') as Record<
      string,
      unknown
    >;

  const row = (title: string) => page.getByRole('listitem').filter({ hasText: title });
  const toast = () => page.getByRole('status');
  /** The server's answer to the page's next write to a task with this method. */
  const answered = (method: string) =>
    page.waitForResponse((r) => r.request().method() === method && /\/api\/me\/tasks\/\d+/.test(r.url()));

  it('loads cold and is ready to sign in quickly, on a small bundle', async () => {
    const started = performance.now();
    await page.goto(`${base}/`);
    // Measured in the page, from the start of navigation to the first frame with the form ready to use.
    const interactive = await page.waitForFunction(
      `(() => {
        const button = document.querySelector('form button[type=submit]');
        return button && !button.disabled ? performance.now() : false;
      })()`,
      undefined,
      { polling: 'raf' },
    );
    harness.metrics['cold load to interactive, in the page (ms)'] = Math.round(
      (await interactive.jsonValue()) as number,
    );
    harness.metrics['cold load to interactive, as the test saw it (ms)'] = Math.round(
      performance.now() - started,
    );
    const timing = await inPage<Record<string, number>>(
      `(() => { const n = performance.getEntriesByType('navigation')[0]; return { html: n.responseEnd, domContentLoaded: n.domContentLoadedEventEnd }; })()`,
    );
    harness.metrics['cold load: index.html received (ms)'] = Math.round(timing.html ?? 0);
    harness.metrics['cold load: scripts run, DOMContentLoaded (ms)'] = Math.round(
      timing.domContentLoaded ?? 0,
    );
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(page.url()).toBe(`${base}/signin`);

    let gzip = 0;
    let raw = 0;
    for (const file of await readdir(join(harness.webRoot, 'assets'))) {
      const content = await readFile(join(harness.webRoot, 'assets', file));
      raw += content.length;
      gzip += gzipSync(content, { level: 9 }).length;
    }
    harness.metrics['bundle JS+CSS (kB)'] = Math.round(raw / 100) / 10;
    harness.metrics['bundle JS+CSS gzip (kB)'] = Math.round(gzip / 100) / 10;
    expect(gzip).toBeLessThan(150_000);
    await screenshots('sign-in');
  });

  it('signs up, with the server’s words next to the field they concern', async () => {
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Email').fill(`ada-${Date.now()}@example.com`);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    const password = page.getByLabel('Password');
    await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.locator('.field-error').textContent()).toMatch(/at least 8 characters/);
    await screenshots('sign-up-error');

    await password.fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Nothing to do here.').waitFor();
    expect(page.url()).toBe(`${base}/`);
    await screenshots('empty');
  });

  it('quick-adds with a live preview of what was understood', async () => {
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('q');
    const input = page.getByLabel('Add a task');
    await expect.poll(() => inPage('document.activeElement?.id')).toBe('quick-add-input');
    await page.keyboard.type('Call mum tomorrow 5pm p1 #family');
    const preview = page.locator('#quick-add-preview');
    await expect.poll(() => preview.textContent()).toMatch(/Tomorrow 17:00/);
    const shown = await preview.textContent();
    expect(shown).toMatch(/Call mum/);
    expect(shown).toMatch(/urgent/);
    expect(shown).toMatch(/#family/);
    await screenshots('quick-add-preview');
    await page.keyboard.press('Enter');
    await row('Call mum').waitFor();

    await input.fill('Water plants every friday #home');
    await expect.poll(() => preview.textContent()).toMatch(/every week on Fri/);
    await input.press('Enter');
    await row('Water plants').waitFor();
    await input.fill('Pay rent yesterday p2 #home // before noon');
    await input.press('Enter');
    await row('Pay rent').waitFor();
    await expect.poll(() => row('Pay rent').locator('.due-overdue').textContent()).toMatch(/Overdue/);
    await expect
      .poll(() => page.getByRole('navigation', { name: 'Tags' }).textContent())
      .toMatch(/#home\s*2/);
  });

  it('filters by priority, tag and words', async () => {
    await page.getByLabel('Priority').selectOption('urgent');
    await expect.poll(() => page.locator('.task').count()).toBe(1);
    expect(await row('Call mum').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(() => page.locator('.task').count()).toBe(3);

    await page.getByRole('navigation', { name: 'Tags' }).getByRole('button', { name: /#home/ }).click();
    await expect.poll(() => page.locator('.task').count()).toBe(2);
    expect(page.url()).toContain('tag=home');
    await page.getByRole('navigation', { name: 'Tags' }).getByRole('button', { name: /#home/ }).click();

    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('/');
    await page.keyboard.type('rent');
    await expect.poll(() => page.locator('.task').count()).toBe(1);
    expect(await row('Pay rent').count()).toBe(1);
    await screenshots('filtered');
    await page.getByLabel('Search').fill('');
    await expect.poll(() => page.locator('.task').count()).toBe(3);
  });

  it('completes a task, and finds it among the done ones', async () => {
    await row('Call mum').getByRole('checkbox').check();
    await expect.poll(() => row('Call mum').getAttribute('class')).toContain('done');
    await page.getByLabel('Show').selectOption('completed');
    await expect.poll(() => page.locator('.task').count()).toBe(1);
    expect(await row('Call mum').count()).toBe(1);
    await page.getByLabel('Show').selectOption('pending');
    await expect.poll(() => page.locator('.task').count()).toBe(2);
  });

  it('edits a task in place', async () => {
    await page.getByRole('button', { name: 'Edit “Pay rent”' }).click();
    const title = page.getByLabel('Title');
    await title.fill('Pay the rent');
    // The row shows the new title at once; the reload waits for the server to have saved it.
    const saved = answered('PATCH');
    await title.press('Enter');
    await row('Pay the rent').waitFor();
    await saved;
    await page.reload();
    await row('Pay the rent').waitFor();
  });

  it('deletes with undo, and deletes for good once the undo window has passed', async () => {
    await page.getByRole('button', { name: 'Delete “Pay the rent”' }).click();
    await expect.poll(() => row('Pay the rent').count()).toBe(0);
    // One quick picture: the undo window is short, and a loaded machine takes a while over the full set.
    await page.screenshot({ path: join(SCREENSHOTS, 'undo-desktop-light.png') });
    await toast().getByRole('button', { name: 'Undo' }).click();
    await row('Pay the rent').waitFor();

    const deleted = answered('DELETE');
    await page.getByRole('button', { name: 'Delete “Water plants”' }).click();
    await expect.poll(() => row('Water plants').count()).toBe(0);
    await expect
      .poll(() => toast().getByRole('button', { name: 'Undo' }).count(), { timeout: 10_000 })
      .toBe(0);
    await deleted;
    await page.reload();
    await row('Pay the rent').waitFor();
    expect(await row('Water plants').count()).toBe(0);
  });

  it('puts a change back, and says why, when the server refuses it', async () => {
    await page.getByRole('button', { name: 'Edit “Pay the rent”' }).click();
    await page.getByLabel('Title').fill('x'.repeat(201));
    await page.getByLabel('Title').press('Enter');
    await expect
      .poll(() => toast().textContent())
      .toMatch(/Could not save “Pay the rent”: .*at most 200 characters/);
    await row('Pay the rent').waitFor();
    await screenshots('rolled-back');
  });

  it('drops a task deleted on another device when it is changed here, and says so', async () => {
    // Live updates take a task deleted elsewhere off the page within a second (test/browser-live.test.ts); a page
    // whose stream is down (offline a moment, a proxy that cuts it) still learns of it when it changes the task.
    const liveUpdates = (url: URL) => url.pathname.endsWith('/events');
    await page.route(liveUpdates, (route) => route.abort());
    await page.reload();
    await row('Pay the rent').waitFor();
    // The task is deleted behind the page's back (another device), then ticked here.
    const token = (await storedSession()).access_token;
    const list = await app.inject({ url: '/api/me/tasks', headers: { authorization: `Bearer ${token}` } });
    const rent = list.json().tasks.find((t: { title: string }) => t.title === 'Pay the rent');
    await app.inject({
      method: 'DELETE',
      url: `/api/me/tasks/${rent.id}`,
      headers: { authorization: `Bearer ${token}` },
    });

    await row('Pay the rent').getByRole('checkbox').click();
    await expect.poll(() => toast().textContent()).toMatch(/“Pay the rent” no longer exists/);
    expect(await row('Pay the rent').count()).toBe(0);
    await page.unroute(liveUpdates);
  });

  it('keeps the session across a reload, refreshing an expired token without a word', async () => {
    const session = await storedSession();
    const refreshes: string[] = [];
    const countRefresh = (request: { url(): string }) => {
      if (request.url().endsWith('/api/auth/refresh')) refreshes.push(request.url());
    };
    page.on('request', countRefresh);
    await page.evaluate(
      `localStorage.setItem('doable.session', ${JSON.stringify(JSON.stringify({ ...session, access_token: 'expired' }))})`,
    );
    await page.reload();
    // Nothing is left to do: the list loaded, through the refreshed token.
    await page.getByText('Nothing to do here.').waitFor();
    expect(page.url()).toBe(`${base}/`);
    const stored = await storedSession();
    expect(stored.access_token).toMatch(/\S{20,}/);
    expect(stored.access_token).not.toBe('expired');
    // The page asks for the account, the tasks and the tags at once; all three 401s wait for one refresh.
    expect(refreshes).toHaveLength(1);
    page.off('request', countRefresh);
  });

  const task = (title: RegExp) => page.locator('.task').filter({ hasText: title });

  it('lets the assistant add a task, showing what it did and the task in the list', async () => {
    await page.getByRole('button', { name: 'Assistant' }).click();
    const message = page.getByLabel('Message the assistant');
    await expect.poll(() => inPage('document.activeElement?.tagName')).toBe('TEXTAREA');
    await message.fill('add buy oat milk tomorrow');
    await message.press('Enter');
    await expect.poll(() => page.locator('.action').first().textContent()).toMatch(/Added .*oat milk/i);
    await task(/oat milk/i).waitFor();
    await expect.poll(() => page.locator('.bubble-assistant p').last().textContent()).toMatch(/\S/);
    await screenshots('assistant');
  });

  it('reopens a past conversation, and starts a new one', async () => {
    await page.getByRole('button', { name: 'New chat' }).click();
    await expect.poll(() => page.locator('.bubble').count()).toBe(0);
    await page.getByText(/Past conversations/).click();
    await page.getByRole('button', { name: /add buy oat milk/ }).click();
    await expect.poll(() => page.locator('.bubble').count()).toBe(2);
    expect(await page.locator('.action').first().textContent()).toMatch(/oat milk/i);
  });

  it('answers from the docs with numbered sources that open, and says when it has nothing', async () => {
    await page.getByRole('button', { name: 'Docs' }).click();
    const question = page.getByLabel('Your question');
    await question.fill('how do I create an API token?');
    await question.press('Enter');
    const first = page.locator('.source-button').first();
    await first.waitFor();
    expect(await first.textContent()).toMatch(/^\[1\]/);
    expect(await page.locator('.answer-text').textContent()).toMatch(/token/i);
    await first.click();
    expect(await first.getAttribute('aria-expanded')).toBe('true');
    await page.locator('.source-snippet').first().waitFor();
    await screenshots('docs');

    await question.fill('zqxv flimflam wobblegong');
    await question.press('Enter');
    await page.getByText('Nothing in the docs about that.').waitFor();
    await page.locator('#side-panel').getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.locator('#side-panel').count()).toBe(0);
  });

  it('signs out, says what to do about a forgotten password, and refuses a wrong one in words', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(page.url()).toBe(`${base}/signin`);
    await page
      .getByText('Forgot it? Doable sends no email: whoever runs this Doable can give you a new one.')
      .waitFor();
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/email|password/i);
  });

  /** A browser of its own (its own storage), on a page of this app. */
  async function freshPage() {
    const other = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
    return { other, tab: await other.newPage() };
  }
  const sessionIn = async (tab: Page) =>
    JSON.parse(
      ((await tab.evaluate("localStorage.getItem('doable.session')")) as string | null) ?? 'null',
    ) as { user: { id: string; email: string } } | null;
  const linkWith = (
    user: { accessToken: string; refreshToken: string },
    returnState = 'guessed-value-0123',
  ) =>
    `#${new URLSearchParams({
      access_token: user.accessToken,
      refresh_token: user.refreshToken,
      token_type: 'bearer',
      expires_in: '900',
      return_state: returnState,
    })}`;

  it('signs in through an outside provider, started from this page', async () => {
    const { other, tab } = await freshPage();
    const email = uniqueEmail('oidc');
    await tab.goto(`${base}/signin`);
    await tab.getByRole('button', { name: 'Continue with Company login' }).click();
    await tab.waitForURL((url) => url.origin === issuer);
    await tab.locator('input[name=login]').fill(email);
    await tab.locator('input[name=password]').fill('anything');
    await tab.locator('button[type=submit]').click();
    // The provider asks once for consent; then the browser comes back to the page.
    for (let step = 0; step < 5 && new URL(tab.url()).origin === issuer; step++) {
      await tab.waitForLoadState();
      if (new URL(tab.url()).origin !== issuer) break;
      await tab.locator('button[type=submit]').click();
      await tab.waitForURL((url) => url.origin !== issuer || url.pathname.includes('interaction'));
    }
    await tab.getByText('Nothing to do here.').waitFor();
    expect(tab.url()).toBe(`${base}/`);
    expect((await sessionIn(tab))?.user.email).toBe(email);
    expect(await tab.evaluate("sessionStorage.getItem('doable.oauth.return_state')")).toBeNull();
    await other.close();
  });

  it('does not sign in a fresh browser from a link that carries someone’s tokens', async () => {
    const victim = await registerUser(app);
    const { other, tab } = await freshPage();
    await tab.goto(`${base}/${linkWith(victim)}`);
    await tab.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect.poll(() => tab.getByRole('alert').textContent()).toMatch(/not started here was ignored/);
    expect(await sessionIn(tab)).toBeNull();
    expect(tab.url()).toBe(`${base}/signin`);
    await other.close();
  });

  it('never switches a signed-in browser to another account from a link', async () => {
    const owner = await registerUser(app);
    const attacker = await registerUser(app);
    const { other, tab } = await freshPage();
    await tab.goto(`${base}/signin`);
    await tab.getByLabel('Email').fill(owner.email);
    await tab.getByLabel('Password').fill(owner.password);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.getByText('Nothing to do here.').waitFor();

    // A link opened in this browser, with the attacker's valid pair and a return_state it can only guess.
    await tab.goto(`${base}/?from=mail${linkWith(attacker)}`);
    await expect.poll(() => tab.getByRole('status').textContent()).toMatch(/not started here was ignored/);
    expect((await sessionIn(tab))?.user.id).toBe(owner.id);
    expect(tab.url()).toBe(`${base}/?from=mail`);

    // Even a return that matches a sign-in this tab started is refused when it is for another account.
    await tab.evaluate("sessionStorage.setItem('doable.oauth.return_state', 'started-here-0123456789')");
    await tab.goto(`${base}/?from=tab${linkWith(attacker, 'started-here-0123456789')}`);
    await expect
      .poll(() => tab.getByRole('status').textContent())
      .toMatch(/You are signed in as .*sign out first/);
    expect((await sessionIn(tab))?.user.id).toBe(owner.id);
    expect(tab.url()).toBe(`${base}/?from=tab`);
    await other.close();
  });
});
