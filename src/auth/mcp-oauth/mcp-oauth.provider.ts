import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import { STATUS_CODES } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Configuration, KoaContextWithOIDC, Provider } from 'oidc-provider';
import { isDatabaseUnavailable } from '../../db/database.ts';
import { OAUTH_SCOPES } from '../scopes.ts';
import { OAUTH_ACCESS_TOKEN_PREFIX } from '../token-verifier.ts';
import { createAdapter } from './mcp-oauth.adapter.ts';
import { createDocumentFetch, type DocumentFetch } from './mcp-oauth.fetch.ts';
import { deriveKeys } from './mcp-oauth.keys.ts';
import {
  authorizationRequestProblem,
  clientMetadataProblem,
  registrationSizeProblem,
} from './mcp-oauth.limits.ts';
import type { McpOAuthRepository } from './mcp-oauth.repository.ts';

/** Refresh tokens get a recognisable prefix too, so that a leaked one is easy to spot. */
export const OAUTH_REFRESH_TOKEN_PREFIX = 'doable_ort_';

/** Where oidc-provider's own endpoints are served; the issuer is the origin, so every path is absolute. */
export const OAUTH_ROUTES = {
  authorization: '/oauth/authorize',
  token: '/oauth/token',
  registration: '/oauth/register',
  revocation: '/oauth/revoke',
  jwks: '/oauth/jwks',
  // Off, but oidc-provider names a path for each.
  end_session: '/oauth/session/end',
  userinfo: '/oauth/userinfo',
  introspection: '/oauth/introspect',
  pushed_authorization_request: '/oauth/par',
  code_verification: '/oauth/device',
  device_authorization: '/oauth/device/auth',
  backchannel_authentication: '/oauth/backchannel',
  challenge: '/oauth/challenge',
  credential: '/oauth/credential',
} as const;

/** The consent page's path for a sign-in in progress (served by the web page; its API calls live under it). */
export const interactionPath = (uid: string) => `/oauth/interaction/${uid}`;

const MINUTE = 60;
const DAY = 24 * 60 * MINUTE;

/**
 * How long things last. Access tokens an hour (they are looked up on every use, so revoking one is immediate
 * anyway); refresh tokens 30 days from their last use, each use giving a new one; a connection (grant) a year,
 * after which the person allows it again. A sign-in request waits half an hour for the person to decide.
 */
export const TTL = {
  AccessToken: 60 * MINUTE,
  AuthorizationCode: 60,
  RefreshToken: 30 * DAY,
  Grant: 366 * DAY,
  Interaction: 30 * MINUTE,
  Session: 60 * MINUTE,
  IdToken: 60 * MINUTE,
} as const;

export interface ProviderOptions {
  /** The issuer (an origin); the MCP endpoint `<issuer>/mcp` is the one resource tokens are for. */
  issuer: string;
  resource: string;
  /** JWT_SECRET: cookie and signing keys are derived from it. */
  secret: string;
  repository: McpOAuthRepository;
  clock: () => Date;
  userExists(id: string): Promise<boolean>;
  /**
   * How client metadata documents are fetched. Unset in production: Doable's own (mcp-oauth.fetch.ts), which
   * refuses special-use addresses (loopback, private networks, link-local) before connecting, gives up after
   * 2.5 s, and oidc-provider reads at most 5 kB of it. Tests pass one that trusts their own https server.
   */
  fetch?: DocumentFetch | undefined;
  log: FastifyBaseLogger;
}

/** The error that made oidc-provider answer server_error, per request, for the outer middleware to look at. */
const serverErrors = new WeakMap<object, Error>();
/** The client metadata documents a request has fetched. */
const fetchedBy = new WeakMap<object, Set<string>>();
/** The request id of the oidc-provider request in progress, for the log lines of what it does meanwhile. */
const requestIds = new AsyncLocalStorage<string>();

/**
 * Doable's authorization server for MCP clients: oidc-provider (panva), configured for what MCP asks of an
 * authorization server (OAuth 2.1 code flow with PKCE S256 only, RFC 8707 resource indicators bound to `/mcp`,
 * RFC 7591 registration, client ID metadata documents, RFC 7009 revocation, rotating refresh tokens whose reuse
 * revokes the grant, RFC 9207 `iss` in every authorization response), storing everything in Doable's database.
 * Imported with the first OAuth request, not at start.
 */
export async function createProvider(options: ProviderOptions): Promise<Provider> {
  const { Provider, errors } = await import('oidc-provider');
  const { issuer, resource } = options;
  const { cookieKeys, signingKey } = deriveKeys(options.secret);
  const sameResource = (indicator: string) => URL.canParse(indicator) && new URL(indicator).href === resource;
  /**
   * oidc-provider reads a token request's `resource` only after it has consumed the code or refresh token it
   * came with, so a client that named another resource (`/mcp/`, the origin) would be refused, and then refused
   * again on its corrected retry as a reuse, losing its connection. Checked before the consume instead.
   */
  const refuseOtherResource = (named: unknown) => {
    const indicators = named === undefined ? [] : Array.isArray(named) ? named : [named];
    if (indicators.some((indicator) => typeof indicator !== 'string' || !sameResource(indicator)))
      throw new errors.InvalidTarget(`tokens here are only for ${resource}`);
  };
  const fetchDocument =
    options.fetch ??
    createDocumentFetch({
      onFailure: (url, reason) =>
        options.log.warn(
          { request_id: requestIds.getStore(), url: `${url.origin}${url.pathname}`, reason },
          'a client metadata document could not be fetched',
        ),
    });

  const configuration: Configuration = {
    adapter: createAdapter({
      repository: options.repository,
      clock: options.clock,
      beforeConsume: () => refuseOtherResource(Provider.ctx?.oidc?.params?.resource),
    }),
    async findAccount(_ctx, sub) {
      if (!(await options.userExists(sub))) return undefined;
      return { accountId: sub, claims: async () => ({ sub }) };
    },
    jwks: { keys: [signingKey as Record<string, string>] },
    // Signed with keys every instance derives alike, so any instance reads the cookies another one set.
    cookies: { keys: cookieKeys },
    routes: OAUTH_ROUTES,
    // Doable's scopes are the resource's, and the authorization server's too: oidc-provider takes only these in a
    // registration's `scope`, which MCP clients fill with what they will ask for.
    scopes: ['openid', 'offline_access', ...OAUTH_SCOPES],
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'EdDSA',
    },
    enabledJWA: { idTokenSigningAlgValues: ['EdDSA'] },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: false },
      introspection: { enabled: false },
      revocation: {
        enabled: true,
        // oidc-provider's default rule, written out: a client revokes its own tokens; another public client's
        // attempt is answered as a success that did nothing, so that it learns nothing about the token.
        async allowedPolicy(_ctx, client, token) {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === 'none') return false;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      registration: { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: false },
      clientIdMetadataDocument: {
        enabled: true,
        ack: 'draft-02',
        // One fetch per request: after a failed one, oidc-provider's error handler looks the client up again,
        // which would fetch a slow document a second time (5 s instead of 2.5).
        async allowFetch(ctx, clientId) {
          // Outside oidc-provider's own requests (the consent page's calls) there is no request to count by.
          if (!ctx) return true;
          const fetched = fetchedBy.get(ctx) ?? new Set<string>();
          fetchedBy.set(ctx, fetched);
          if (fetched.has(clientId)) return false;
          fetched.add(clientId);
          return true;
        },
      },
      resourceIndicators: {
        enabled: true,
        // Without `resource`, a request is for `/mcp`; with another one it is refused (invalid_target).
        defaultResource: async (_ctx, _client, oneOf) => oneOf ?? resource,
        useGrantedResource: async () => true,
        async getResourceServerInfo(_ctx, indicator) {
          if (!sameResource(indicator)) {
            throw new errors.InvalidTarget(`tokens here are only for ${resource}`);
          }
          return {
            scope: OAUTH_SCOPES.join(' '),
            audience: resource,
            accessTokenFormat: 'opaque',
            accessTokenTTL: TTL.AccessToken,
          };
        },
      },
    },
    // oidc-provider's default rule, written out: a page may call the token endpoints for a public client whose
    // redirect_uris are on that page's origin (a browser-based MCP client); confidential clients not at all.
    clientBasedCORS(_ctx, origin, client) {
      if (origin === 'null' || client.clientAuthMethod !== 'none') return false;
      return (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin);
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Every refresh gives a new refresh token; the one it replaces, presented again, revokes the whole grant.
    rotateRefreshToken: () => true,
    // Tokens live by their own lifetimes; the provider's browser session only carries a sign-in to its end.
    expiresWithSession: async () => false,
    // Each authorization asks the person on Doable's page, even for an app they allowed before: a grant is found
    // only when the page has just made it.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    interactions: { url: async (_ctx, interaction) => interactionPath(interaction.uid) },
    ttl: TTL,
    fetchResponseBodyLimits: {
      'client_id metadata document': 5 * 1024,
      jwks_uri: 64 * 1024,
      sector_identifier_uri: 64 * 1024,
    },
    fetch: fetchDocument,
    // Not a parameter of Doable's: `state` is oidc-provider's own, and its check here looks at the whole request.
    // oidc-provider runs these checks once the client and its redirect_uri are known and before it stores
    // anything, so that an oversized request is refused as its own invalid_request is: back to the app when it
    // can be, else on the error page.
    extraParams: {
      async state(ctx) {
        const problem = authorizationRequestProblem(ctx.query, ctx.querystring.length);
        if (problem) throw new errors.InvalidRequest(problem);
      },
    },
    // client_name is oidc-provider's already: listed here, the validator sees every client it makes, registered
    // (`ctx`: the registration request) or from a metadata document (no `ctx`).
    extraClientMetadata: {
      properties: ['client_name'],
      validator(ctx, key, _value, metadata) {
        if (key !== 'client_name') return;
        const problem =
          (ctx && registrationSizeProblem(ctx.request.length, ctx.oidc.body)) ??
          clientMetadataProblem(metadata);
        if (problem) throw new errors.InvalidClientMetadata(problem);
      },
    },
    renderError: async (ctx, out, error) => renderProblem(ctx, out, error),
  };

  const provider = new Provider(issuer, configuration);
  // Koa's view of the request: Fastify pins Host and X-Forwarded-Proto to the issuer before handing it over.
  provider.proxy = true;
  withPrefix(provider.AccessToken as unknown as TokenModel, OAUTH_ACCESS_TOKEN_PREFIX);
  withPrefix(provider.RefreshToken as unknown as TokenModel, OAUTH_REFRESH_TOKEN_PREFIX);

  // First of the middleware, so that all it does runs with the request's id at hand.
  provider.use((ctx, next) => requestIds.run(ctx.response.get('x-request-id'), next));
  provider.on('server_error', (ctx: KoaContextWithOIDC, error: Error) => {
    serverErrors.set(ctx, error);
    if (!isDatabaseUnavailable(error)) options.log.error({ err: error }, 'oauth request failed');
  });
  // Koa's own: an error outside oidc-provider's handlers. Listening keeps Koa from writing it to stderr.
  (provider as unknown as EventEmitter).on('error', (error: Error) =>
    options.log.error({ err: error }, 'oauth request failed'),
  );

  provider.use(async (ctx, next) => {
    await next();
    const route = (ctx as KoaContextWithOIDC).oidc?.route;
    const failure = serverErrors.get(ctx);
    if (failure && isDatabaseUnavailable(failure)) {
      // As everywhere else: an outage is a 503 the client can retry, not a fault.
      ctx.status = 503;
      ctx.set('retry-after', '5');
      ctx.body = {
        error: 'temporarily_unavailable',
        error_description: 'The database is not answering; try again in 5 seconds.',
      };
    } else if (route === 'discovery' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      ctx.body = { ...ctx.body, scopes_supported: [...OAUTH_SCOPES], response_modes_supported: ['query'] };
    } else if (route === 'resume') {
      // The sign-in is over: the provider's session (who decided, on Doable's page) is not kept for the next one,
      // which asks the page again anyway. A session kept would only make the next sign-in of another account in
      // this browser go through oidc-provider's sign-out page first.
      const { session } = (ctx as KoaContextWithOIDC).oidc;
      // The answer is made already; a session left behind (the database away) only expires in its hour.
      if (session?.accountId) await session.destroy().catch(() => {});
    }
  });
  return provider;
}

type TokenModel = { prototype: { generateTokenId(): string } };

/**
 * Opaque tokens are their id: prefixing the id prefixes the token the client holds. oidc-provider has no option
 * for it (its opaque format is the id alone), so the model's own id generator is wrapped.
 */
function withPrefix(model: TokenModel, prefix: string) {
  const generate = model.prototype.generateTokenId;
  model.prototype.generateTokenId = function prefixed(this: unknown) {
    return `${prefix}${generate.call(this)}`;
  };
}

/**
 * oidc-provider's error page, for a browser it cannot send back to the app (an unknown client, a redirect_uri not
 * registered, a sign-in request that expired): an RFC 9457 problem like every other error of Doable, carrying the
 * OAuth error as `error` and `error_description` too, and a sentence a person can act on. No HTML: nothing
 * to escape, nothing for the Content-Security-Policy to refuse.
 */
async function renderProblem(
  ctx: KoaContextWithOIDC,
  out: { error: string; error_description?: string | undefined },
  error: Error,
) {
  const status = Math.max(ctx.status, 400);
  ctx.status = status;
  ctx.type = 'application/problem+json; charset=utf-8';
  ctx.body = JSON.stringify({
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail: describe(ctx, out, error),
    instance: ctx.path,
    request_id: ctx.response.get('x-request-id'),
    code: `oauth.${out.error}`,
    error: out.error,
    ...(out.error_description ? { error_description: out.error_description } : {}),
  });
}

function describe(
  ctx: KoaContextWithOIDC,
  out: { error: string; error_description?: string | undefined },
  error: Error,
): string {
  const clientId = ctx.oidc?.params?.client_id;
  const document = typeof clientId === 'string' && /^https:/i.test(clientId) && !ctx.oidc?.client;
  // Unknown (invalid_client), or known but refused: oversized (invalid_client_metadata, invalid_redirect_uri).
  if (document && /^invalid_(client|client_metadata|redirect_uri)$/.test(out.error)) {
    return `Doable could not use this app's client metadata document (${clientId}): ${documentProblem(error)}. Ask the app's maker, or connect another way.`;
  }
  if (out.error === 'invalid_redirect_uri') {
    return 'The address this sign-in would return to is not one the app registered, so Doable does not send your browser there. Go back to the app and connect again.';
  }
  const what = out.error_description ?? out.error.replaceAll('_', ' ');
  return `This sign-in request cannot go on: ${what}. Go back to the app and connect again.`;
}

/**
 * Why a client metadata document was refused, from the error oidc-provider wraps around the fetch's. What was
 * fetched and read (from a public address) is described; whatever kept it from being fetched is not.
 */
function documentProblem(error: Error): string {
  const messages: string[] = [];
  for (let cause: unknown = error; cause instanceof Error && messages.length < 6; cause = cause.cause) {
    messages.push(
      `${cause.name} ${cause.message} ${(cause as { error_detail?: string }).error_detail ?? ''}`,
    );
  }
  const all = messages.join(' | ');
  // oidc-provider 9.13.3 counts a body sent without Content-Length as it streams and, past the bound, cancels the
  // stream it is still iterating, which throws "ReadableStream is locked": that message means "too large".
  if (/too large|ReadableStream is locked/i.test(all)) return 'it is larger than 5 kB';
  if (/unexpected response status (\d+)/i.test(all))
    return `it answered ${/unexpected response status (\d+)/i.exec(all)?.[1]} instead of 200`;
  if (/does not match/i.test(all)) return 'its client_id is not its own address';
  if (/JSON|Unexpected token/i.test(all)) return 'it is not a JSON object';
  const { error: code, error_description } = error as { error?: string; error_description?: string };
  if (code !== 'invalid_client' && error_description) return error_description;
  // A private or reserved address, no such host, a closed port, a timeout: one answer in the same words,
  // so that a client_id cannot be used to learn what is behind Doable. The log says which (mcp-oauth.fetch.ts).
  return 'it could not be fetched';
}
