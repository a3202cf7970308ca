/**
 * What the OAuth tests share: a listening app whose issuer is its own address, a browser's cookie jar, the
 * consent step done over HTTP (swappable for a real browser on the real page), an https server of the test's own
 * for client metadata documents, and an MCP SDK OAuthClientProvider that records what the SDK asks of it.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { freePort } from '../../../bench/lib.ts';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { createDocumentFetch, type DocumentFetch } from './mcp-oauth.fetch.ts';
import type { InteractionDetails } from './mcp-oauth.schemas.ts';

const run = promisify(execFile);

/** A test app listening on 127.0.0.1, whose PUBLIC_URL (the issuer) is that very address. */
export async function listeningTestApp(
  options: {
    env?: Record<string, string>;
    oauthFetch?: DocumentFetch;
    logStream?: NodeJS.WritableStream;
  } = {},
): Promise<TestApp & { base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await createTestApp({
    env: { PUBLIC_URL: base, ...options.env },
    oauthFetch: options.oauthFetch,
    ...(options.logStream ? { logStream: options.logStream } : {}),
  });
  await t.app.listen({ host: '127.0.0.1', port });
  return { ...t, base };
}

/** A browser's cookies, enough for oidc-provider's: by name and path, Max-Age and deletion honoured. */
export class CookieJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  store(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const [name = '', value = ''] = pair.split(/=(.*)/s, 2);
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const maxAge = attributes.find((a) => /^max-age=/i.test(a))?.slice(8);
      const expires = attributes.find((a) => /^expires=/i.test(a))?.slice(8);
      const gone =
        value === '' || maxAge === '0' || (expires !== undefined && Date.parse(expires) <= Date.now());
      if (gone) this.#cookies.delete(`${name} ${path}`);
      else this.#cookies.set(`${name} ${path}`, { name, value, path });
    }
  }

  header(url: URL | string): Record<string, string> {
    const { pathname } = new URL(url);
    const sent = [...this.#cookies.values()].filter(
      ({ path }) => pathname === path || pathname.startsWith(path.endsWith('/') ? path : `${path}/`),
    );
    return sent.length > 0 ? { cookie: sent.map(({ name, value }) => `${name}=${value}`).join('; ') } : {};
  }
}

export interface ConsentOptions {
  /** Allow (default) or refuse. */
  allow?: boolean;
  /** What the consent page read, for the test to look at. */
  onDetails?: (details: InteractionDetails) => void;
  /** Another instance (its base URL) to send every request after the first to, as a load balancer might. */
  via?: string;
}

/**
 * What a person does in a browser, over plain HTTP: follows the authorization URL to Doable's consent page (with a
 * cookie jar), reads `/details` as the page does, posts `/decision` with their session as the page does, and
 * follows `redirect_to` until the browser would leave for the app. Answers that address (the app's redirect_uri
 * with `code` or `error`, `state` and `iss`). One function on purpose: a browser version drives the real page.
 */
export async function consentByHttp(
  authorizationUrl: URL | string,
  session: string,
  options: ConsentOptions = {},
): Promise<URL> {
  const jar = new CookieJar();
  const origin = new URL(authorizationUrl).origin;
  const reach = (url: URL) => (options.via ? new URL(`${url.pathname}${url.search}`, options.via) : url);
  const get = async (url: URL | string) => {
    const response = await fetch(url, { redirect: 'manual', headers: jar.header(url) });
    jar.store(response);
    return response;
  };
  const follow = (response: Response, from: URL | string) => {
    const location = response.headers.get('location');
    if (!location || response.status < 300 || response.status >= 400)
      throw new Error(`expected a redirect from ${from}, got ${response.status}`);
    return new URL(location, from);
  };
  const first = await get(authorizationUrl);
  if (first.status >= 400)
    throw new Error(`the authorization request was refused: ${first.status} ${await first.text()}`);
  const page = follow(first, authorizationUrl);
  // Refused without asking (an invalid scope or resource): the browser goes straight back to the app.
  if (page.origin !== origin || !page.pathname.startsWith('/oauth/interaction/')) return page;

  const details = await get(reach(new URL(`${page.pathname}/details`, page)));
  if (details.status !== 200) throw new Error(`details: ${details.status} ${await details.text()}`);
  options.onDetails?.((await details.json()) as InteractionDetails);
  const decisionUrl = reach(new URL(`${page.pathname}/decision`, page));
  const decision = await fetch(decisionUrl, {
    method: 'POST',
    headers: {
      ...jar.header(decisionUrl),
      authorization: `Bearer ${session}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ allow: options.allow ?? true }),
  });
  if (decision.status !== 200) throw new Error(`decision: ${decision.status} ${await decision.text()}`);
  const { redirect_to } = (await decision.json()) as { redirect_to: string };

  let at = new URL(redirect_to);
  for (let hops = 0; at.origin === origin && hops < 5; hops++) at = follow(await get(reach(at)), at);
  return at;
}

/** PKCE S256 (RFC 7636). */
export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Registers a client dynamically (RFC 7591) and answers its registration. */
export async function registerClient(base: string, metadata: Record<string, unknown> = {}) {
  const response = await fetch(`${base}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Test client',
      redirect_uris: ['http://127.0.0.1:9/callback'],
      token_endpoint_auth_method: 'none',
      ...metadata,
    }),
  });
  if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`);
  return (await response.json()) as { client_id: string; redirect_uris: string[] };
}

/** An authorization request URL, as an MCP client builds it. */
export function authorizationUrl(
  base: string,
  params: { client_id: string; redirect_uri: string; code_challenge: string } & Record<string, string>,
): URL {
  const url = new URL('/oauth/authorize', base);
  url.search = new URLSearchParams({
    response_type: 'code',
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
    resource: `${base}/mcp`,
    ...params,
  }).toString();
  return url;
}

/** A token request: the answer's status and JSON. */
export async function tokenRequest(base: string, params: Record<string, string>) {
  const response = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

/** Everything up to tokens for a freshly registered client: its id, the code's answer and the tokens. */
export async function connectApp(
  base: string,
  session: string,
  options: { scope?: string; metadata?: Record<string, unknown> } = {},
) {
  const client = await registerClient(base, options.metadata);
  const { verifier, challenge } = pkce();
  const redirect_uri = client.redirect_uris[0] as string;
  const landing = await consentByHttp(
    authorizationUrl(base, {
      client_id: client.client_id,
      redirect_uri,
      code_challenge: challenge,
      ...(options.scope === undefined ? {} : { scope: options.scope }),
    }),
    session,
  );
  const code = landing.searchParams.get('code');
  if (!code) throw new Error(`no code: ${landing}`);
  const tokens = await tokenRequest(base, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri,
    client_id: client.client_id,
    resource: `${base}/mcp`,
  });
  if (tokens.status !== 200) throw new Error(`token: ${tokens.status} ${JSON.stringify(tokens.body)}`);
  return {
    clientId: client.client_id,
    accessToken: tokens.body.access_token as string,
    refreshToken: tokens.body.refresh_token as string,
    scope: tokens.body.scope,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// An https server of the test's own, for client metadata documents

export interface HttpsTestServer {
  base: string;
  /** The server's certificate (self-signed), for a fetch that trusts it. */
  ca: string;
  close(): Promise<void>;
}

/** An https server on 127.0.0.1 with a certificate made for the test by the openssl command line. */
export async function httpsTestServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<HttpsTestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'doable-cimd-'));
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
    const [key, cert] = await Promise.all([readFile(join(dir, 'key.pem')), readFile(join(dir, 'cert.pem'))]);
    const server = createServer({ key, cert }, handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      base: `https://127.0.0.1:${port}`,
      ca: cert.toString(),
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The fetch a test gives the app (`oauthFetch`): Doable's own (mcp-oauth.fetch.ts), trusting the test's own
 * certificate and connecting to its loopback server, which production's rules refuse.
 */
export function trustingFetch(ca: string): DocumentFetch {
  return createDocumentFetch({ ca, allowed: () => true });
}

// ---------------------------------------------------------------------------------------------------------------
// The MCP SDK's side

/**
 * An OAuthClientProvider as an MCP client implements it, kept in memory. `redirectToAuthorization` is where a
 * client opens a browser: here it hands the URL to `consent` (consentByHttp by default) and keeps the promise of
 * where the browser lands; `finish()` awaits it and checks `state` and `iss` as a client should.
 */
export class TestOAuthClient implements OAuthClientProvider {
  readonly redirectUrl = 'http://127.0.0.1:9/callback';
  readonly clientMetadataUrl: string | undefined;
  readonly clientMetadata: OAuthClientMetadata;
  information: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  states: string[] = [];
  redirects: URL[] = [];
  landing: Promise<URL> | undefined;
  consent: ((url: URL) => Promise<URL>) | undefined;

  constructor(
    options: { clientMetadataUrl?: string; consent?: (url: URL) => Promise<URL>; name?: string } = {},
  ) {
    this.clientMetadataUrl = options.clientMetadataUrl;
    this.consent = options.consent;
    this.clientMetadata = {
      client_name: options.name ?? 'Test MCP client',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state() {
    const state = randomBytes(16).toString('base64url');
    this.states.push(state);
    return state;
  }

  clientInformation() {
    return this.information;
  }

  saveClientInformation(information: OAuthClientInformationMixed) {
    this.information = information;
  }

  tokens() {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }

  redirectToAuthorization(url: URL) {
    this.redirects.push(url);
    if (this.consent) this.landing = this.consent(url);
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'client') this.information = undefined;
    if (scope === 'all' || scope === 'tokens') this.saved = undefined;
    if (scope === 'all' || scope === 'verifier') this.verifier = '';
  }

  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }

  codeVerifier() {
    return this.verifier;
  }

  /** The code the browser brought back, once `state` and `iss` are checked. */
  async code(issuer: string): Promise<string> {
    if (!this.landing) throw new Error('no authorization was started');
    const landing = await this.landing;
    this.landing = undefined;
    if (landing.searchParams.get('state') !== this.states.at(-1))
      throw new Error(`state mismatch: ${landing}`);
    if (landing.searchParams.get('iss') !== issuer) throw new Error(`iss mismatch: ${landing}`);
    const code = landing.searchParams.get('code');
    if (!code) throw new Error(`no code: ${landing}`);
    return code;
  }
}
