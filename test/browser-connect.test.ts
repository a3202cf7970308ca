import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientName, TestOAuthClient } from '../src/auth/testing.ts';
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
 * Issue 18, "connect from anywhere": an MCP client (the official SDK, as Claude or ChatGPT would) adds Doable by
 * its address alone, and the person signs in and allows it on the real page in Debian's Chromium; the app then
 * works, and stops working the moment the person disconnects it in the settings.
 */
describe.skipIf(!CHROMIUM)(`connecting an AI app on the web page${SKIP_REASON}`, { timeout: 90_000 }, () => {
  let harness: BrowserHarness;
  let page: Page;
  let base: string;
  let person: TestUser;

  beforeAll(async () => {
    harness = await startBrowserHarness({ metricsName: 'metrics-connect', publicUrl: true });
    ({ page, base } = harness);
    person = await registerUser(harness.app, { name: 'Ada' });
  }, 120_000);
  afterAll(async () => harness?.close());

  const mcpUrl = () => new URL('/mcp', base);

  /**
   * What the browser does with the authorization URL the client opened: `decide` acts on the page, and the answer
   * is where the browser was sent back to (the client's redirect_uri, caught before it leaves this machine).
   */
  async function inBrowser(url: URL, redirectUri: string, decide: () => Promise<void>): Promise<URL> {
    let landed!: (at: URL) => void;
    const landing = new Promise<URL>((resolve) => {
      landed = resolve;
    });
    const pattern = `${redirectUri}**`;
    await page.route(pattern, async (route) => {
      landed(new URL(route.request().url()));
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Back in the app</title>' });
    });
    // Chromium refuses the client's port (9) as unsafe before the route sees it on some machines: the address the
    // browser was sent to is the same either way.
    const refused = (request: { url(): string }) => {
      if (request.url().startsWith(redirectUri)) landed(new URL(request.url()));
    };
    page.on('requestfailed', refused);
    try {
      await page.goto(url.toString());
      await decide();
      return await landing;
    } finally {
      page.off('requestfailed', refused);
      await page.unroute(pattern);
    }
  }

  /** Connects as an MCP client with no token: the SDK discovers, registers and opens the browser. */
  async function connectWithoutToken(provider: TestOAuthClient) {
    await expect(
      new Client({ name: 'an AI app', version: '1' }).connect(
        new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider }),
      ),
    ).rejects.toThrow(UnauthorizedError);
  }

  it('signs in on the consent page, says who asks and for what, and the app works until disconnected', async () => {
    const provider: TestOAuthClient = new TestOAuthClient({
      name: 'Claude',
      consent: (url) =>
        inBrowser(url, provider.redirectUrl, async () => {
          // Not signed in here yet: the page asks for it without leaving the request's address.
          await page.getByRole('heading', { name: 'Sign in' }).waitFor();
          expect(page.url()).toMatch(/\/oauth\/interaction\/[\w-]+$/);
          await page.getByText('An app asks to connect to your Doable account').waitFor();
          await page.getByLabel('Email').fill(person.email);
          await page.getByLabel('Password').fill(person.password);
          await page.getByRole('button', { name: 'Sign in' }).click();

          await page.getByRole('heading', { name: 'Connect Claude to Doable?' }).waitFor();
          const card = page.locator('.consent');
          await card.getByText(/registered itself just now/).waitFor();
          expect(await card.textContent()).toContain(person.email);
          expect(await card.getByRole('listitem').allTextContents()).toEqual([
            'See your tasks and tags tasks:read',
            'Add, change, complete and delete your tasks tasks:write',
          ]);
          // The SDK's client goes back to http://127.0.0.1:9: a program on this machine, not a site to name.
          expect(await card.locator('dd').last().textContent()).toBe('An app on this device');
          await harness.screenshots('connect-consent');
          await page.getByRole('button', { name: 'Allow' }).click();
        }),
    });

    await connectWithoutToken(provider);
    const transport = new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider });
    await transport.finishAuth(await provider.code(base));
    const client = new Client({ name: 'Claude', version: '1' });
    await client.connect(transport);
    const added = (await client.callTool({
      name: 'add_task',
      arguments: { title: 'Water the plants' },
    })) as CallToolResult;
    expect(added.structuredContent).toMatchObject({
      task: { title: 'Water the plants', user_id: person.id },
    });
    const listed = (await client.callTool({ name: 'list_tasks', arguments: {} })) as CallToolResult;
    expect(listed.structuredContent).toMatchObject({ total: 1, tasks: [{ title: 'Water the plants' }] });

    // The settings list the app with what it may do; disconnecting it cuts it off at once.
    await page.goto(`${base}/settings`);
    const apps = page.getByRole('region', { name: 'Connected apps' });
    const row = apps.getByRole('listitem').filter({ hasText: 'Claude' });
    await row.waitFor();
    expect(await row.textContent()).toContain('tasks:read, tasks:write · returns to an app on this device ·');
    expect(await row.textContent()).not.toContain('last used never');
    await harness.expectAccessible('connected apps');
    await row.getByRole('button', { name: 'Disconnect Claude…' }).click();
    await row.getByRole('button', { name: 'Disconnect Claude' }).click();
    await apps.getByText('Disconnected Claude').waitFor();
    await apps.getByText('No apps are connected.').waitFor();

    const refused = await fetch(mcpUrl(), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${provider.saved?.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(refused.status).toBe(401);
  });

  it('Deny sends the app back with access_denied and no code; a stale request says what to do', async () => {
    // Still signed in from the test before: the page goes straight to the question.
    const provider: TestOAuthClient = new TestOAuthClient({
      name: 'Sketchy helper',
      consent: (url) =>
        inBrowser(url, provider.redirectUrl, async () => {
          await page.getByRole('heading', { name: 'Connect Sketchy helper to Doable?' }).waitFor();
          await page.getByRole('button', { name: 'Deny' }).click();
        }),
    });
    await connectWithoutToken(provider);
    const landing = await (provider.landing as Promise<URL>);
    expect(landing.searchParams.get('error')).toBe('access_denied');
    expect(landing.searchParams.get('code')).toBeNull();
    expect(landing.searchParams.get('state')).toBe(provider.states.at(-1));

    await page.goto(`${base}/oauth/interaction/no-such-request`);
    await page.getByRole('heading', { name: 'This connection cannot go on' }).waitFor();
    await page.getByText(/has expired or was started in another browser/).waitFor();
    await harness.expectAccessible('stale connect request');
  });

  /**
   * Names an app may give itself that once pushed the warning and Deny off the card: invisible but wide (braille
   * blanks), one unbroken word, and words joined by zero-width spaces (many lines). 200 characters, what the server
   * keeps of a name, and the review's 3,000 blanks, which the page must bear whatever the server keeps.
   */
  const HOSTILE_NAMES = [
    ['200 braille blanks', '\u2800'.repeat(200)],
    ['a 200-character word', 'W'.repeat(200)],
    ['words joined by zero-width spaces', 'Wide\u200b'.repeat(40)],
    // Within the 8 kB a registration may be: 2,000 of them are 6 kB.
    ['2,000 braille blanks', '\u2800'.repeat(2000)],
  ] as const;

  /** Where a locator is on the page; it must be there. */
  async function boxOf(locator: Locator) {
    const box = await locator.boundingBox();
    if (!box) throw new Error(`${locator} is not shown`);
    return box;
  }

  /** `inner` lies wholly inside `outer` (half a pixel of rounding allowed). */
  function expectInside(
    inner: { x: number; y: number; width: number; height: number },
    outer: { x: number; y: number; width: number; height: number },
    label: string,
  ) {
    expect(inner.x, `${label}: left`).toBeGreaterThanOrEqual(outer.x - 0.5);
    expect(inner.y, `${label}: top`).toBeGreaterThanOrEqual(outer.y - 0.5);
    expect(inner.x + inner.width, `${label}: right`).toBeLessThanOrEqual(outer.x + outer.width + 0.5);
    expect(inner.y + inner.height, `${label}: bottom`).toBeLessThanOrEqual(outer.y + outer.height + 0.5);
  }

  it('keeps the warning and both buttons on the card whatever name the app gives itself, and in the settings', async () => {
    for (const [label, name] of HOSTILE_NAMES) {
      const provider: TestOAuthClient = new TestOAuthClient({
        name,
        consent: (url) =>
          inBrowser(url, provider.redirectUrl, async () => {
            const card = page.locator('.consent');
            const deny = card.getByRole('button', { name: 'Deny' });
            await deny.waitFor();
            for (const viewport of [DESKTOP, PHONE]) {
              await page.setViewportSize(viewport);
              const screen = { x: 0, y: 0, ...viewport };
              const cardBox = await boxOf(card);
              expectInside(cardBox, screen, `${label} at ${viewport.width} px: the card`);
              for (const [what, locator] of [
                ['the warning', card.getByText(/registered itself just now/)],
                ['the advice', card.getByText(/Only allow apps you trust/)],
                ['Allow', card.getByRole('button', { name: 'Allow' })],
                ['Deny', deny],
              ] as const) {
                const box = await boxOf(locator);
                expectInside(box, cardBox, `${label} at ${viewport.width} px: ${what} in the card`);
                expectInside(box, screen, `${label} at ${viewport.width} px: ${what} on the screen`);
              }
              await harness.expectNoHorizontalScroll(`${label} at ${viewport.width} px`);
            }
            await page.setViewportSize(DESKTOP);
            // The whole name is a hover away, whatever the card shows of it: as the server cleans it of what shows
            // nothing, and when nothing is left, where the app returns to.
            expect(await card.locator('[title]').first().getAttribute('title')).toBe(
              clientName(name) ?? 'localhost',
            );
            if (label === HOSTILE_NAMES[0][0]) await harness.screenshots('connect-consent-hostile-name');
            await harness.expectAccessible(`consent for ${label}`);
            await card.getByRole('button', { name: 'Allow' }).click();
          }),
      });
      await connectWithoutToken(provider);
      await provider.landing;
    }

    // The settings list each of them in a row of bounded height, its button beside the name, not pushed away.
    await page.goto(`${base}/settings`);
    const apps = page.getByRole('region', { name: 'Connected apps' });
    const rows = apps.getByRole('listitem');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(HOSTILE_NAMES.length);
    for (const viewport of [DESKTOP, PHONE]) {
      await page.setViewportSize(viewport);
      const list = await boxOf(apps.getByRole('list'));
      for (const row of await rows.all()) {
        const rowBox = await boxOf(row);
        expectInside(rowBox, list, `a connected app's row at ${viewport.width} px`);
        expect(rowBox.height, `a connected app's row at ${viewport.width} px: height`).toBeLessThan(260);
        expectInside(
          await boxOf(row.getByRole('button', { name: /^Disconnect .*…$/s })),
          rowBox,
          `Disconnect… at ${viewport.width} px`,
        );
      }
      await harness.expectNoHorizontalScroll(`connected apps at ${viewport.width} px`);
    }
    const first = rows.first();
    await first.getByRole('button', { name: /^Disconnect .*…$/s }).click();
    for (const viewport of [DESKTOP, PHONE]) {
      await page.setViewportSize(viewport);
      const rowBox = await boxOf(first);
      for (const name of [/^Disconnect (?!.*…$)/s, /^Keep$/]) {
        expectInside(
          await boxOf(first.getByRole('button', { name })),
          rowBox,
          `${name} at ${viewport.width} px`,
        );
      }
    }
    await harness.screenshots('connected-apps-hostile-names');
  });
});
