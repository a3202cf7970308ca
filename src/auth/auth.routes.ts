import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { aliases } from '../http/aliases.ts';
import { acceptForms } from '../http/body-parsers.ts';
import { HttpProblem, problemSchema } from '../http/problem.ts';
import { invalidRequest } from '../http/validation.ts';
import { INVALID_CREDENTIALS, missingTokenToVerify } from './auth.errors.ts';
import {
  apiTokenParams,
  apiTokenSchema,
  createApiTokenBody,
  createdApiTokenSchema,
  loginBody,
  logoutBody,
  refreshBody,
  registerBody,
  sessionSchema,
  updateMeBody,
  userSchema,
  verifyBody,
  verifySchema,
} from './auth.schemas.ts';
import { type AuthService, type PasswordCheck, toUserResponse } from './auth.service.ts';
import { bearerToken, principalOf, sessionOnly } from './authenticate.ts';
import { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS, RECENT_SIGN_IN_MINUTES } from './credential-policy.ts';
import { createLoginThrottle, type LoginThrottleOptions } from './login-throttle.ts';
import { verifyPassword } from './passwords.ts';
import { DEFAULT_TOKEN_SCOPES } from './scopes.ts';
import type { TokenVerifier } from './token-verifier.ts';

export interface AuthRoutesOptions {
  service: AuthService;
  verifier: TokenVerifier;
  authPerMinute: number;
  loginThrottle: LoginThrottleOptions;
}

const errors = { 400: problemSchema, 401: problemSchema, 429: problemSchema };

const secured = [{ bearer: [] }];

export async function authRoutes(app: FastifyInstance, opts: AuthRoutesOptions) {
  const { service, verifier } = opts;
  acceptForms(app);
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Sign-up and sign-in are what attackers hammer: a tight per-client budget on top of the global one.
  const perClient = { rateLimit: { max: opts.authPerMinute, timeWindow: 60_000 } };
  const throttle = createLoginThrottle(app, opts.loginThrottle);
  /**
   * A password typed to confirm a change counts against the same budget as sign-ins: otherwise a stolen access
   * token could guess the password here, unthrottled.
   */
  const checkPassword =
    (request: FastifyRequest): PasswordCheck =>
    async (user, password) => {
      const identifier = user.email ?? user.id;
      await throttle.check(identifier, request.ip);
      const ok = await verifyPassword(user.password_hash, password);
      if (ok) await throttle.succeeded(identifier, request.ip);
      else await throttle.failed(identifier, request.ip);
      return ok;
    };
  const recentSignIn =
    `Needs a recent sign-in: \`password\` (your current password) in the body, or a session signed in within ` +
    `the last ${RECENT_SIGN_IN_MINUTES} minutes (refreshing does not count); else 403 ` +
    '`auth.reauthentication_required`.';

  for (const { url, schema } of aliases(
    ['/api/auth/register', '/auth/register', '/auth/signup', '/api/auth/signup'],
    {
      tags: ['auth'],
      summary: 'Create an account and sign in',
      body: registerBody,
      response: { 201: sessionSchema, 409: problemSchema, ...errors },
    },
  )) {
    r.post(url, { config: perClient, schema }, async (request, reply) =>
      reply.code(201).send(await service.register(request.body)),
    );
  }

  for (const { url, schema } of aliases(
    ['/api/auth/login', '/auth/login', '/auth/signin', '/api/auth/signin'],
    {
      tags: ['auth'],
      summary: 'Sign in with email and password',
      description: 'Takes JSON `{email, password}` or the OAuth2 password form (`username`, `password`).',
      body: loginBody,
      response: { 200: sessionSchema, ...errors },
    },
  )) {
    r.post(url, { config: perClient, schema }, async (request) => {
      const identifier = loginIdentifier(request);
      await throttle.check(identifier, request.ip);
      try {
        const session = await service.login(identifier, request.body.password);
        await throttle.succeeded(identifier, request.ip);
        return session;
      } catch (error) {
        if (error instanceof HttpProblem && error.code === INVALID_CREDENTIALS) {
          await throttle.failed(identifier, request.ip);
        }
        throw error;
      }
    });
  }

  for (const { url, schema } of aliases(['/api/auth/refresh', '/auth/refresh'], {
    tags: ['auth'],
    summary: 'Exchange a refresh token for new tokens',
    description:
      'Send `{"refresh_token": "..."}`, or the refresh token as a bearer token with no body. Each refresh ' +
      'token is exchanged once; presented again within 30 seconds (two tabs refreshing at once) it gives a ' +
      'second session of the same family, and later it signs out that whole family, since it was copied.',
    body: refreshBody,
    response: { 200: sessionSchema, ...errors },
  })) {
    r.post(url, { config: perClient, schema }, async (request) => {
      const token = request.body?.refresh_token ?? bearerToken(request);
      if (!token) {
        throw invalidRequest([
          { field: 'body.refresh_token', message: 'is required; send {"refresh_token": "..."} as JSON' },
        ]);
      }
      return service.refresh(token);
    });
  }

  for (const { url, schema } of aliases(['/api/auth/logout', '/auth/logout', '/auth/signout'], {
    tags: ['auth'],
    summary: 'End a session (or every session with all: true)',
    body: logoutBody,
    response: { 204: z.null(), ...errors },
  })) {
    r.post(
      url,
      { onRequest: app.authenticateOptional, config: { scope: 'account' }, schema },
      async (request, reply) => {
        await service.logout({
          refreshToken: request.body?.refresh_token,
          all: request.body?.all,
          principal: request.principal,
        });
        return reply.code(204).send(null);
      },
    );
  }

  const meUrls = ['/api/auth/me', '/auth/me', '/api/users/me'] as const;
  for (const { url, schema } of aliases(meUrls, {
    tags: ['auth'],
    summary: 'The signed-in user',
    security: secured,
    response: { 200: userSchema, ...errors },
  })) {
    // A script reads its user id and time zone here to read tasks.
    r.get(url, { onRequest: app.authenticate, config: { scope: 'tasks:read' }, schema }, async (request) =>
      toUserResponse(await service.requireUser(principalOf(request).userId)),
    );
  }

  for (const { url, schema } of aliases(meUrls, {
    tags: ['auth'],
    summary: 'Change name, time zone or password',
    description:
      'A new password needs `current_password`; an account without a password (signed up through a provider) ' +
      `gets a first one only from a session signed in within the last ${RECENT_SIGN_IN_MINUTES} minutes. A new ` +
      'password signs out every session and revokes every personal API token, unless `revoke_api_tokens` is ' +
      'false. Needs a session for a password, and the `account` scope from a personal API token otherwise.',
    security: secured,
    body: updateMeBody,
    response: { 200: userSchema, 403: problemSchema, ...errors },
  })) {
    r.patch(url, { onRequest: app.authenticate, config: { scope: 'account' }, schema }, async (request) => {
      if (request.body.new_password !== undefined) await sessionOnly(request);
      return service.updateMe(principalOf(request), request.body, checkPassword(request));
    });
  }

  for (const { url, schema } of aliases(['/api/auth/verify', '/auth/verify'], {
    tags: ['auth'],
    summary: 'Check a token and say whose it is',
    description:
      'The token comes from the body (`{token}`) or the Authorization header. An invalid token is a 401.',
    body: verifyBody,
    response: { 200: verifySchema, ...errors },
  })) {
    // Any token may ask whose it is: it is the subject here, not the caller's credential.
    r.post(url, { config: { scope: null }, schema }, async (request) => {
      const principal = await verifier.verify(request.body?.token ?? bearer(request));
      const user = await service.requireUser(principal.userId);
      return {
        valid: true as const,
        user_id: user.id,
        email: user.email,
        expires_at: principal.expiresAt?.toISOString() ?? null,
      };
    });
  }

  r.post(
    '/api/auth/tokens',
    {
      onRequest: [app.authenticate, sessionOnly],
      config: { scope: 'account' },
      schema: {
        tags: ['auth'],
        summary: 'Create a personal API token (shown once)',
        description:
          'Needs a signed-in session: a personal API token cannot create, list or revoke tokens. ' +
          `${recentSignIn} \`scopes\` defaults to ${DEFAULT_TOKEN_SCOPES.join(' and ')}; \`account\` must be ` +
          `asked for. \`expires_in_days\` defaults to ${API_TOKEN_DEFAULT_DAYS} (at most ${API_TOKEN_MAX_DAYS}); ` +
          'an expired token is a 401 `auth.token_expired`. A token used beyond its scopes is a 403 ' +
          '`auth.insufficient_scope` with `WWW-Authenticate: Bearer error="insufficient_scope", scope="..."`.',
        security: secured,
        body: createApiTokenBody,
        response: { 201: createdApiTokenSchema, 403: problemSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await service.createApiToken(principalOf(request), request.body, checkPassword(request))),
  );

  r.get(
    '/api/auth/tokens',
    {
      onRequest: [app.authenticate, sessionOnly],
      config: { scope: 'account' },
      schema: {
        tags: ['auth'],
        summary: 'Your personal API tokens (without secrets), with their scopes, expiry and last use',
        security: secured,
        response: { 200: z.array(apiTokenSchema), 403: problemSchema, ...errors },
      },
    },
    async (request) => service.listApiTokens(principalOf(request).userId),
  );

  r.delete(
    '/api/auth/tokens/:id',
    {
      onRequest: [app.authenticate, sessionOnly],
      config: { scope: 'account' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke a personal API token',
        security: secured,
        params: apiTokenParams,
        response: { 204: z.null(), 403: problemSchema, 404: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      await service.revokeApiToken(principalOf(request).userId, request.params.id);
      return reply.code(204).send(null);
    },
  );
}

function loginIdentifier(request: FastifyRequest): string {
  const body = request.body as { email?: string; username?: string } | undefined;
  return body?.email ?? body?.username ?? '';
}

function bearer(request: FastifyRequest): string {
  const token = bearerToken(request);
  if (!token) {
    throw missingTokenToVerify();
  }
  return token;
}
