import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../../http/problem.ts';
import { principalOf, sessionOnly } from '../authenticate.ts';
import { OAUTH_SCOPES } from '../scopes.ts';
import { OAUTH_ROUTES } from './mcp-oauth.provider.ts';
import {
  authorizationServerMetadataSchema,
  connectedAppParams,
  connectedAppSchema,
  decisionBody,
  decisionSchema,
  interactionDetailsSchema,
  interactionParams,
  protectedResourceSchema,
} from './mcp-oauth.schemas.ts';
import { type McpOAuthService, unsupportedResponseMode, withDefaultScope } from './mcp-oauth.service.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** @fastify/cors's options for one route (it reads them, but does not declare them): false for none. */
    cors?: false | { origin: string; credentials: boolean };
  }
}

/** The `/mcp` resource's metadata (RFC 9728), at the path MCP clients try first and at the root. */
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';

export interface McpOAuthRoutesOptions {
  service: McpOAuthService;
  /** oidc-provider's request handler (Koa's), made on first use. */
  handler: () => Promise<(req: IncomingMessage, res: ServerResponse) => Promise<void>>;
  issuer: string;
  resource: string;
  authPerMinute: number;
}

const secured = [{ bearer: [] }];
const tags = ['connected apps'];
/** Any web page may read metadata and call the token endpoints (without cookies): browser-based MCP clients do. */
const openCors = { cors: { origin: '*', credentials: false } } as const;

export async function mcpOAuthRoutes(app: FastifyInstance, opts: McpOAuthRoutesOptions) {
  const { service, issuer, resource } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();

  const metadata = {
    resource,
    authorization_servers: [issuer],
    scopes_supported: [...OAUTH_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Doable',
    resource_documentation: `${issuer}/docs`,
  };
  for (const url of [`${PROTECTED_RESOURCE_PATH}${new URL(resource).pathname}`, PROTECTED_RESOURCE_PATH]) {
    r.get(
      url,
      {
        config: openCors,
        schema: {
          tags,
          summary: 'Protected resource metadata of /mcp (RFC 9728)',
          description:
            'Where MCP clients learn which authorization server issues tokens for `/mcp`: Doable itself. A 401 ' +
            'from `/mcp` names this document in `WWW-Authenticate: Bearer resource_metadata="…"`.',
          response: { 200: protectedResourceSchema },
        },
      },
      async () => metadata,
    );
  }

  await app.register(async (provider) => providerRoutes(provider, opts));

  r.get(
    '/oauth/interaction/:uid/details',
    {
      schema: {
        tags,
        summary: 'The app asking to connect, for the consent page',
        description:
          'Read by the page at `/oauth/interaction/{uid}` with the sign-in cookie the authorization endpoint set ' +
          "(its path is that page's). An unknown or expired `uid`, or a browser without the cookie, is a 404 " +
          '`oauth.interaction_not_found`.',
        params: interactionParams,
        response: { 200: interactionDetailsSchema, 404: problemSchema },
      },
    },
    async (request, reply) => service.details(request.raw, reply.raw, request.params.uid),
  );

  r.post(
    '/oauth/interaction/:uid/decision',
    {
      onRequest: [app.authenticate, sessionOnly],
      config: { scope: 'account' },
      schema: {
        tags,
        summary: 'Allow or refuse the app, as the signed-in person',
        description:
          "Needs a signed-in session (a personal API token or an app's token is a 403 `auth.session_required`), " +
          'and the sign-in cookie. `{allow: true}` connects the app to this account with the scopes it asked for ' +
          '(on `/mcp`); `{allow: false}` sends it back with `error=access_denied`. The page then goes to ' +
          '`redirect_to`.',
        security: secured,
        params: interactionParams,
        body: decisionBody,
        response: {
          200: decisionSchema,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request, reply) => ({
      redirect_to: await service.decide(
        request.raw,
        reply.raw,
        request.params.uid,
        principalOf(request).userId,
        request.body.allow,
      ),
    }),
  );

  const sessionRoute = {
    onRequest: [app.authenticate, sessionOnly],
    config: { scope: 'account' },
  } satisfies RouteShorthandOptions;
  r.get(
    '/api/auth/connected-apps',
    {
      ...sessionRoute,
      schema: {
        tags,
        summary: 'Apps connected to your account by OAuth (MCP clients)',
        description: 'Needs a signed-in session. `last_used_at` is updated at most once a minute.',
        security: secured,
        response: { 200: z.array(connectedAppSchema), 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => service.connectedApps(principalOf(request).userId),
  );

  r.delete(
    '/api/auth/connected-apps/:id',
    {
      ...sessionRoute,
      schema: {
        tags,
        summary: 'Disconnect an app',
        description:
          'Needs a signed-in session. Revokes every grant, access and refresh token of the app for your account at ' +
          'once: its next call is a 401.',
        security: secured,
        params: connectedAppParams,
        response: { 204: z.null(), 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      await service.disconnect(principalOf(request).userId, request.params.id);
      return reply.code(204).send(null);
    },
  );
}

/**
 * oidc-provider's own endpoints, handed to it as they came: their bodies are left unread (it reads and bounds
 * them itself), and its answers are OAuth's (`{error, error_description}` JSON for the token endpoints, a
 * redirect back to the app for the authorization endpoint). Hidden from the API description, listed in the
 * authorization server metadata.
 */
async function providerRoutes(app: FastifyInstance, opts: McpOAuthRoutesOptions) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  const issuer = new URL(opts.issuer);

  const delegate =
    (prepare?: (request: FastifyRequest) => void) => async (request: FastifyRequest, reply: FastifyReply) => {
      prepare?.(request);
      const handle = await opts.handler();
      const { raw } = request;
      // Koa builds the endpoints' URLs and the cookies' Secure flag from these: they are the issuer's, whatever
      // Host the request came with. The client address is the one Fastify worked out (TRUST_PROXY).
      raw.headers.host = issuer.host;
      raw.headers['x-forwarded-proto'] = issuer.protocol.slice(0, -1);
      delete raw.headers['x-forwarded-host'];
      raw.headers['x-forwarded-for'] = request.ip;
      reply.hijack();
      // The headers every answer carries (security headers, the request id, CORS where Fastify's applies).
      for (const [name, value] of Object.entries(reply.getHeaders()))
        if (value !== undefined) reply.raw.setHeader(name, value as string);
      await handle(raw, reply.raw);
    };

  /** An authorization request: answered in the query only, and asking for the default scopes when for none. */
  const authorization = (request: FastifyRequest) => {
    const refused = unsupportedResponseMode(request.url);
    if (refused) throw refused;
    if (request.raw.url) request.raw.url = withDefaultScope(request.raw.url);
  };

  /**
   * A browser's preflight is oidc-provider's to answer (its CORS rules per endpoint); an OPTIONS that is none (no
   * Access-Control-Request-Method) gets the plain 204 every other path gives it.
   */
  const preflight = async (request: FastifyRequest, reply: FastifyReply) =>
    request.headers['access-control-request-method'] ? delegate()(request, reply) : reply.code(204).send();

  // Discovery, keys and the token endpoints answer CORS themselves (oidc-provider's rules), so Fastify's is off.
  const own = { config: { cors: false }, exposeHeadRoute: false, schema: { hide: true } } as const;
  const metadataSchema = (summary: string) => ({
    tags,
    summary,
    description:
      'oidc-provider\'s metadata (RFC 8414): the endpoints, `code_challenge_methods_supported: ["S256"]`, ' +
      '`client_id_metadata_document_supported: true` and the scopes an app may ask for.',
    response: { 200: authorizationServerMetadataSchema },
  });
  for (const [url, summary] of [
    ['/.well-known/oauth-authorization-server', 'Authorization server metadata (RFC 8414)'],
    ['/.well-known/openid-configuration', 'The same metadata, where OpenID Connect clients look'],
  ] as const) {
    app.get(url, { ...own, schema: metadataSchema(summary) }, delegate());
    app.options(url, own, preflight);
  }
  app.get(OAUTH_ROUTES.jwks, own, delegate());
  app.options(OAUTH_ROUTES.jwks, own, preflight);
  // Each client address gets the sign-in budget: every authorization request stores a sign-in request in
  // progress, anonymously (refused past its sizes: mcp-oauth.limits.ts).
  const perClient = { rateLimit: { max: opts.authPerMinute, timeWindow: 60_000 } };
  // The authorization endpoint, and where the consent page's decision sends the browser back to (resume).
  app.get(
    OAUTH_ROUTES.authorization,
    { ...own, config: { ...own.config, ...perClient } },
    delegate(authorization),
  );
  app.get(`${OAUTH_ROUTES.authorization}/:uid`, own, delegate());
  for (const url of [OAUTH_ROUTES.token, OAUTH_ROUTES.revocation]) {
    app.post(url, own, delegate());
    app.options(url, own, preflight);
  }
  // Registration has no CORS of its own in oidc-provider; Fastify's answers, open to any page, without cookies.
  const registration = { ...own, config: { ...openCors, ...perClient } };
  app.post(OAUTH_ROUTES.registration, registration, delegate());
  app.options(OAUTH_ROUTES.registration, { ...own, config: openCors }, async (_request, reply) =>
    reply.code(204).send(),
  );
}
