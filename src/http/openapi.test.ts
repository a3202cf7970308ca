import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers.ts';

describe('the API reference pages and document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serve ReDoc from the service itself, so /redoc works with no network, like /docs', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/redoc' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    // Everything the page loads is on this origin.
    const loads = [...page.body.matchAll(/(?:src|href|spec-url)="([^"]+)"/g)].map((match) => match[1]);
    expect(loads).toEqual(['/openapi.json', '/redoc/redoc.standalone.js']);

    const script = await t.app.inject({ method: 'GET', url: '/redoc/redoc.standalone.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    // Booleans, not the body: a failure would print a megabyte of minified script.
    expect(script.body.length > 500_000 && script.body.includes('.Redoc=')).toBe(true);

    // The page's own policy allows that script and no outside one.
    const policy = String(page.headers['content-security-policy']);
    expect(policy).toMatch(/script-src 'self'(;|$)/);
    expect(policy).not.toContain('cdn.redoc.ly');
  });

  it('document the 503 with Retry-After that every data route answers while the database is away', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { responses: Record<string, { headers?: object }> }>>;
    };
    const operations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ path, method, op })));
    const withProblems = operations.filter(({ op }) => op.responses['401'] || op.responses['400']);
    expect(withProblems.length).toBeGreaterThan(20);
    for (const { path, method, op } of withProblems)
      expect(op.responses['503'], `${method} ${path}`).toBeDefined();
    const list = document.paths['/api/{user_id}/tasks']?.get?.responses['503'];
    expect(Object.keys(list?.headers ?? {})).toEqual(['retry-after']);
  });
});
