import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HttpProblem, problemSchema } from '../../http/problem.ts';
import {
  callbackQuery,
  providerParams,
  providersSchema,
  redirectResponse,
  startQuery,
} from './oauth.schemas.ts';
import type { OAuthService } from './oauth.service.ts';
import { STATE_TTL_SECONDS } from './oauth.state.ts';

export interface OAuthRoutesOptions {
  service: OAuthService;
  /** Base URL the service is reached at; without it, the request's own scheme and host. */
  publicUrl: string | undefined;
  frontendUrl: string | undefined;
  authPerMinute: number;
}

const STATE_COOKIE = 'doable_oauth';
// Sent back only to the callbacks, not with every API request.
const STATE_COOKIE_PATH = '/api/auth/oauth';

export async function oauthRoutes(app: FastifyInstance, opts: OAuthRoutesOptions) {
  const { service } = opts;
  await app.register(cookie);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const perClient = { rateLimit: { max: opts.authPerMinute, timeWindow: 60_000 } };
  const callbackUrl = (request: FastifyRequest, provider: string) =>
    `${opts.publicUrl ?? `${request.protocol}://${request.host}`}/api/auth/oauth/${provider}/callback`;

  r.get(
    '/api/auth/providers',
    {
      schema: {
        tags: ['auth'],
        summary: 'Outside sign-in providers turned on here',
        response: { 200: providersSchema },
      },
    },
    async () => service.providers(),
  );

  r.get(
    '/api/auth/oauth/:provider',
    {
      config: perClient,
      schema: {
        tags: ['auth'],
        summary: 'Sign in with Google, GitHub or OpenID Connect',
        description:
          'Redirects to the provider. After signing in there, the browser comes back through the callback and ' +
          'lands on `redirect_to` (else FRONTEND_URL, else `/`) with ' +
          '`#access_token=…&refresh_token=…&token_type=bearer&expires_in=…`, or `#error=…&error_description=…`, ' +
          'followed by `&return_state=…` when one was given here. A front end should send a fresh `return_state` ' +
          'and accept only a fragment that brings it back.',
        params: providerParams,
        querystring: startQuery,
        response: { 302: redirectResponse, 400: problemSchema, 404: problemSchema, 503: problemSchema },
      },
    },
    async (request, reply) => {
      const url = callbackUrl(request, request.params.provider);
      const { location, sealedState } = await service.begin(request.params.provider, {
        callbackUrl: url,
        redirectTo: request.query.redirect_to,
        returnState: request.query.return_state,
      });
      reply.setCookie(STATE_COOKIE, sealedState, {
        path: STATE_COOKIE_PATH,
        httpOnly: true,
        // Lax: the cookie must come along on the provider's top-level redirect back to the callback.
        sameSite: 'lax',
        secure: url.startsWith('https:'),
        maxAge: STATE_TTL_SECONDS,
      });
      return reply.redirect(location);
    },
  );

  r.get(
    '/api/auth/oauth/:provider/callback',
    {
      config: perClient,
      schema: {
        tags: ['auth'],
        summary: 'Where the provider sends the browser back',
        description:
          'Redirects with the session (or the error) in the URL fragment, which never reaches a server. ' +
          'Without a place to return to, an error is answered here as a problem.',
        params: providerParams,
        querystring: callbackQuery,
        response: {
          302: redirectResponse,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
          503: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const { provider } = request.params;
      const saved = await service.openState(request.cookies[STATE_COOKIE]);
      // One use per sign-in, whatever happens next.
      reply.clearCookie(STATE_COOKIE, { path: STATE_COOKIE_PATH });
      reply.header('cache-control', 'no-store');
      const target = saved?.redirect_to ?? opts.frontendUrl;
      // Handed back only to the browser that started this sign-in, which alone knows whether it matches.
      const returnState: Record<string, string> = saved?.return_state
        ? { return_state: saved.return_state }
        : {};
      try {
        const session = await service.complete(
          provider,
          saved,
          request.query,
          callbackUrl(request, provider),
        );
        return reply.redirect(
          withFragment(target ?? '/', {
            access_token: session.access_token,
            refresh_token: session.refresh_token,
            token_type: session.token_type,
            expires_in: String(session.expires_in),
            ...returnState,
          }),
        );
      } catch (error) {
        if (!(error instanceof HttpProblem)) throw error;
        if (error.cause) request.log.warn({ err: error.cause }, `sign-in with ${provider} failed`);
        if (!target) throw error;
        return reply.redirect(
          withFragment(target, { error: error.code, error_description: error.message, ...returnState }),
        );
      }
    },
  );
}

/** The fragment stays in the browser: tokens in it never reach a server log or a Referer header. */
function withFragment(target: string, params: Record<string, string>): string {
  return `${target.split('#')[0]}#${new URLSearchParams(params)}`;
}
