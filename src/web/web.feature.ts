import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from '../http/errors.ts';

/** Where `npm run build:web` (run by `npm install`) writes the page. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/**
 * Paths that belong to the server: an unknown one there is a problem+json 404, never the page. `/auth` holds
 * the sign-in URLs of earlier clients (`/auth/login`), so it is the server's too; `/oauth` and `/.well-known` are
 * the authorization server's for MCP clients.
 */
const SERVER_PREFIXES = [
  '/api',
  '/auth',
  '/mcp',
  '/docs',
  '/redoc',
  '/openapi.json',
  '/health',
  '/oauth',
  '/.well-known',
];

/**
 * The consent page of a sign-in in progress (`/oauth/interaction/{uid}`, where the authorization server sends
 * the browser): the page's, although under `/oauth`, whose cookie is scoped to it.
 */
const CONSENT_PAGE = /^\/oauth\/interaction\/[\w-]{1,200}\/?$/;

export function isServerRoute(path: string): boolean {
  const lower = path.toLowerCase();
  return SERVER_PREFIXES.some((prefix) => lower === prefix || lower.startsWith(`${prefix}/`));
}

/**
 * Whether an unknown path gets the page's index.html, so that the page's own routes (`/signin`, `/tasks?…`)
 * survive a reload: only for reads, never for the server's paths, and never for what looks like a file
 * (`/assets/old-1234.js` after a deploy must be a 404, not HTML the browser would try to run).
 */
export function servesPage(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const path = url.split(/[?#]/, 1)[0] ?? '/';
  if (CONSENT_PAGE.test(path)) return true;
  if (isServerRoute(path)) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.');
}

export interface WebFeatureOptions {
  /** The built page; DEFAULT_WEB_ROOT unless a test points elsewhere. */
  root?: string | undefined;
}

const NOT_BUILT = 'The web page is not built, so / serves nothing; run `npm run build:web` to build it.';

/**
 * Serves the page built from web/ at `/`: hashed assets cached for a year, index.html revalidated every time,
 * and index.html for every other page path. Without a build the service runs as an API only and says how to
 * build the page, in the log and at `/`.
 */
export async function registerWeb(app: FastifyInstance, opts: WebFeatureOptions = {}) {
  const root = opts.root ?? DEFAULT_WEB_ROOT;
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn(NOT_BUILT);
    app.get('/', { schema: { hide: true } }, async (request, reply) =>
      sendProblem(reply, request, 404, 'web.not_built', NOT_BUILT),
    );
    return;
  }
  const assets = join(root, 'assets');
  await app.register(fastifyStatic, {
    root,
    // One route per built file (and `/` for index.html), so that other methods and unknown paths keep the
    // API's 404 and 405 answers.
    wildcard: false,
    serveDotFiles: false,
    setHeaders: (reply, path) => {
      // Vite puts a content hash in every asset name, so a new build gets new names; index.html names the
      // current ones and must be checked again on every load.
      reply.header(
        'cache-control',
        path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404 && servesPage(request.method, request.url)) return reply.sendFile('index.html');
  });
}
