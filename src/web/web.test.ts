import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testConfig } from '../../test/helpers.ts';
import { buildApp } from '../app.ts';
import type { Database } from '../db/database.ts';
import { isServerRoute, servesPage } from './web.feature.ts';

describe('which paths get the page', () => {
  it('keeps every server path to the server, however it is spelled', () => {
    for (const path of [
      '/api',
      '/api/',
      '/api/me/tasks',
      '/API/me',
      '/auth/login',
      '/mcp',
      '/docs',
      '/docs/static/index.html',
      '/redoc',
      '/openapi.json',
      '/health',
      '/health/ready',
      '/oauth/token',
      '/.well-known/oauth-protected-resource',
    ]) {
      expect(isServerRoute(path), path).toBe(true);
    }
  });

  it('leaves paths that only start like a server path to the page', () => {
    for (const path of ['/', '/signin', '/apiary', '/healthy-habits', '/documents', '/tasks']) {
      expect(isServerRoute(path), path).toBe(false);
    }
  });

  it('answers page routes with the page, on GET and HEAD only, query strings included', () => {
    expect(servesPage('GET', '/signin')).toBe(true);
    expect(servesPage('HEAD', '/tasks?status=pending&tags=a.b')).toBe(true);
    expect(servesPage('POST', '/signin')).toBe(false);
    expect(servesPage('GET', '/api/nothing')).toBe(false);
  });

  it('answers the consent page of a sign-in in progress with the page, not its API calls beside it', () => {
    expect(servesPage('GET', '/oauth/interaction/x7Ak2-kL_0aZ')).toBe(true);
    expect(servesPage('GET', '/oauth/interaction/x7Ak2-kL_0aZ/details')).toBe(false);
    expect(servesPage('POST', '/oauth/interaction/x7Ak2-kL_0aZ')).toBe(false);
    expect(servesPage('GET', '/oauth/authorize')).toBe(false);
    expect(servesPage('GET', '/oauth/interaction/')).toBe(false);
  });

  it('does not answer a missing file with the page', () => {
    expect(servesPage('GET', '/assets/index-old.js')).toBe(false);
    expect(servesPage('GET', '/favicon.ico')).toBe(false);
  });
});

describe('the page served by the app', () => {
  let app: FastifyInstance;
  let database: Database;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'doable-web-'));
    await mkdir(join(root, 'assets'));
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Doable</title><div id="root"></div>');
    await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log("hi")');
    database = await createTestDatabase();
    app = await buildApp({ config: testConfig(), database, webRoot: root });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves the page at / with a policy that lets only its own scripts run', async () => {
    const response = await app.inject({ url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain('<div id="root">');
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toMatch(/script-src 'self'/);
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
    // Served over plain HTTP on a local network, the page must not send its own scripts to https://.
    expect(policy).not.toContain('upgrade-insecure-requests');
  });

  it('serves the page for its own routes, so a reload of /signin works', async () => {
    const response = await app.inject({ url: '/signin?next=%2F' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<div id="root">');
  });

  it('caches hashed assets for a year', async () => {
    const response = await app.inject({ url: '/assets/index-abc123.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('keeps problem+json 404s for unknown server paths and missing files', async () => {
    for (const url of [
      '/api/nothing',
      '/health/nothing',
      '/docs/nothing',
      '/mcp/nothing',
      '/assets/gone-1.js',
    ]) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toMatch(/application\/problem\+json/);
    }
    // MCP takes POST only: a GET is MCP's own 405, not the page.
    const mcp = await app.inject({ url: '/mcp' });
    expect(mcp.statusCode).toBe(405);
    expect(mcp.headers.allow).toBe('POST');
  });

  it('does not answer other methods with the page', async () => {
    const response = await app.inject({ method: 'POST', url: '/signin', payload: {} });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'request.not_found' });
  });

  it('keeps the service information at /api', async () => {
    const response = await app.inject({ url: '/api' });
    expect(response.json()).toMatchObject({
      name: 'Doable',
      features: expect.arrayContaining(['tasks', 'web']),
    });
  });
});

describe('without a built page', () => {
  it('starts, says in one log line how to build it, and answers / with a problem that says the same', async () => {
    const root = await mkdtemp(join(tmpdir(), 'doable-web-empty-'));
    const lines: string[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const database = await createTestDatabase();
    const app = await buildApp({
      config: testConfig({ LOG_LEVEL: 'warn' }),
      database,
      webRoot: root,
      logStream,
    });
    try {
      await app.ready();
      const warnings = lines.filter((line) => line.includes('npm run build:web'));
      expect(warnings).toHaveLength(1);
      const response = await app.inject({ url: '/' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'web.not_built' });
      expect((await app.inject({ url: '/api' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await database.close();
      await rm(root, { recursive: true, force: true });
    }
  });
});
