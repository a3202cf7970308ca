import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { freePort } from '../bench/lib.ts';
import { buildApp } from '../src/app.ts';
import type { Database } from '../src/db/database.ts';
import { createTestDatabase, testConfig } from './helpers.ts';

/**
 * What every browser test file shares: the page built from the sources as they are now, the real app on a fresh
 * database, Debian's Chromium, axe-core, and screenshots at desktop and phone width in both themes
 * (test/screenshots/, git-ignored).
 */
export const CHROMIUM = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].find((path) => path && existsSync(path));
export const SKIP_REASON = CHROMIUM
  ? ''
  : ' (skipped: no Chromium found; apt-get install chromium, or set CHROMIUM_PATH)';

export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 860 };

interface AxeResult {
  violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
}

/**
 * Navigates and waits until the page's own calls are done and none starts for 500 ms: Playwright's `networkidle`,
 * but for the live updates' stream, which a signed-in page keeps open and which would never let it be idle.
 */
export async function gotoQuiet(page: Page, url: string) {
  const pending = new Set<unknown>();
  const counts = (request: { url(): string }) => !/\/api\/[^/]+\/events\b/.test(request.url());
  const started = (request: { url(): string }) => counts(request) && pending.add(request);
  const done = (request: unknown) => pending.delete(request);
  page.on('request', started);
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  try {
    await page.goto(url, { waitUntil: 'load' });
    for (let quietSince = Date.now(); Date.now() - quietSince < 500; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (pending.size > 0) quietSince = Date.now();
    }
  } finally {
    page.off('request', started);
    page.off('requestfinished', done);
    page.off('requestfailed', done);
  }
}

export interface BrowserHarness {
  app: FastifyInstance;
  base: string;
  webRoot: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Figures and axe verdicts, written to test/screenshots/<name>.json when the harness closes. */
  metrics: Record<string, number | string>;
  /** Runs an expression in the page; written as text because the tests are type-checked without the DOM. */
  inPage<T>(expression: string): Promise<T>;
  /** axe-core in the page: no serious or critical violation, named in the failure if there is one. */
  expectAccessible(label: string): Promise<void>;
  expectNoHorizontalScroll(label: string): Promise<void>;
  /** The page at both widths in both themes, checked by axe in each theme; back to desktop and light after. */
  screenshots(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * `env` is added to the test configuration, `clock` is the app's (to make a sign-in old); `metricsName` names the
 * metrics file of this test file.
 */
export async function startBrowserHarness(options: {
  env?: Record<string, string>;
  clock?: () => Date;
  metricsName: string;
  /** Serve on a port chosen first, with PUBLIC_URL set to it: for what names its own address (MCP sign-in). */
  publicUrl?: boolean;
}): Promise<BrowserHarness> {
  // Built from the sources as they are now, so the test never looks at a stale web/dist.
  const webRoot = await mkdtemp(join(tmpdir(), 'doable-page-'));
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test, which would give React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(import.meta.dirname, '../web/vite.config.ts'),
      mode: 'production',
      build: { outDir: webRoot, emptyOutDir: true },
      logLevel: 'warn',
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const database: Database = await createTestDatabase();
  const port = options.publicUrl ? await freePort() : 0;
  const env = options.publicUrl ? { PUBLIC_URL: `http://127.0.0.1:${port}`, ...options.env } : options.env;
  const app = await buildApp({ config: testConfig(env), database, webRoot, clock: options.clock });
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app is not listening on a port');
  const base = `http://127.0.0.1:${address.port}`;
  const axeSource = await readFile(join(import.meta.dirname, '../node_modules/axe-core/axe.min.js'), 'utf8');
  await mkdir(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const context = await browser.newContext({
    viewport: DESKTOP,
    timezoneId: 'Europe/Paris',
    locale: 'en-GB',
  });
  const page = await context.newPage();
  const metrics: Record<string, number | string> = {};
  const inPage = <T>(expression: string) => page.evaluate(expression) as Promise<T>;

  async function expectAccessible(label: string) {
    // Evaluated through the DevTools protocol: the page's own policy rightly refuses inline scripts.
    if (!(await inPage<boolean>("'axe' in window"))) await page.evaluate(axeSource);
    const result = await inPage<AxeResult>("axe.run(document, { resultTypes: ['violations'] })");
    const violations = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    metrics[`axe ${label}`] =
      violations.length === 0 ? 'no serious or critical violations' : violations.join('; ');
    expect(violations, label).toEqual([]);
  }

  async function expectNoHorizontalScroll(label: string) {
    const overflow = await inPage<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow, `${label}: page wider than the screen`).toBeLessThanOrEqual(0);
  }

  async function screenshots(name: string) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        await page.setViewportSize(viewport);
        if (width === 'phone') await expectNoHorizontalScroll(`${name} ${scheme}`);
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}-${scheme}.png`), fullPage: true });
      }
      await expectAccessible(`${name} ${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(DESKTOP);
  }

  async function close() {
    await writeFile(
      join(SCREENSHOTS, `${options.metricsName}.json`),
      `${JSON.stringify(metrics, null, 2)}\n`,
    ).catch(() => {});
    console.log(`${options.metricsName}`, metrics);
    await browser.close();
    await app.close();
    await database.close();
    await rm(webRoot, { recursive: true, force: true });
  }

  return {
    app,
    base,
    webRoot,
    browser,
    context,
    page,
    metrics,
    inPage,
    expectAccessible,
    expectNoHorizontalScroll,
    screenshots,
    close,
  };
}
