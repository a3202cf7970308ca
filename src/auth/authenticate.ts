import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from '../http/problem.ts';
import {
  insufficientScope,
  malformedAuthorization,
  missingToken,
  notYourPath,
  sessionRequired,
} from './auth.errors.ts';
import type { Scope } from './scopes.ts';
import type { Principal, TokenVerifier } from './token-verifier.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The scope a personal API token needs for this route (sessions hold every scope). Every route that takes a
     * bearer token declares one; null for a route that takes any token (it answers about the token itself).
     * test/authorization.test.ts fails on an authenticated route that declares none.
     */
    scope?: Scope | null;
    /**
     * The protected resource metadata (RFC 9728) a 403 for a missing scope names, as the MCP authorization spec
     * asks of `/mcp`: the resource OAuth clients step up on.
     */
    resourceMetadata?: string | undefined;
  }
  interface FastifyInstance {
    /** onRequest hook for protected routes: 401 without a valid bearer token, else sets request.principal. */
    authenticate: onRequestAsyncHookHandler;
    /** Like authenticate, but lets anonymous requests through with principal null. */
    authenticateOptional: onRequestAsyncHookHandler;
    /**
     * For a request that stays open (a live update stream), after `authenticate`: how to ask again whether its
     * credential still works, when it is one checked against the database (a personal API token, a connected
     * app's token), whose revocation, or its account's deletion, would otherwise go unseen until its expiry. The
     * check answers false once the same token no longer verifies or names another user, and throws when that
     * cannot be told (the database out of reach). Undefined for signed tokens, which end at their expiry.
     */
    credentialCheck(request: FastifyRequest): (() => Promise<boolean>) | undefined;
    /** The scope a route declared (`config.scope`): undefined when it declared none. */
    declaredScope(method: string, url: string): Scope | null | undefined;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(' ', 2);
  if (scheme?.toLowerCase() !== 'bearer' || !token) {
    throw malformedAuthorization();
  }
  return token.trim();
}

/** Decorates the app with the hooks that turn a bearer token into `request.principal`. */
export const authenticatePlugin = fp(
  async (app: FastifyInstance, { verifier }: { verifier: TokenVerifier }) => {
    app.decorateRequest('principal', null);
    const declared = new Map<string, Scope | null | undefined>();
    app.decorate('declaredScope', (method: string, url: string) => declared.get(`${method} ${url}`));
    // Routes registered after this plugin (all that take a token) say in their API docs what a token needs.
    app.addHook('onRoute', (route) => {
      const scope = route.config?.scope;
      for (const method of [route.method].flat()) declared.set(`${method} ${route.url}`, scope);
      if (scope && route.schema && !route.schema.hide) {
        const note = `A personal API token needs the \`${scope}\` scope.`;
        const description = route.schema.description ? `${route.schema.description}\n\n${note}` : note;
        route.schema = { ...route.schema, description };
      }
    });
    app.decorate('authenticate', async (request: FastifyRequest) => {
      const token = bearerToken(request);
      if (!token) throw missingToken();
      request.principal = await verifier.verify(token);
    });
    app.decorate('credentialCheck', (request: FastifyRequest) => {
      const { userId, via } = principalOf(request);
      const token = via === 'api_token' || via === 'oauth' ? bearerToken(request) : undefined;
      if (!token) return undefined;
      return async () => {
        try {
          const again = await verifier.recheck(token);
          return again !== undefined && again.userId === userId;
        } catch (error) {
          // A 401 is the credential's answer (revoked, expired, the account gone); anything else says nothing of it.
          if (error instanceof HttpProblem && error.status === 401) return false;
          throw error;
        }
      };
    });
    app.decorate('authenticateOptional', async (request: FastifyRequest) => {
      const token = bearerToken(request);
      if (token) request.principal = await verifier.verify(token);
    });
    // The one scope check, for every route: after the route's own onRequest hooks (authentication, the path's
    // owner) and before the body is read, so a token beyond its scope is refused before anything runs.
    app.addHook('preParsing', async (request) => {
      const { scope: needed, resourceMetadata } = request.routeOptions.config;
      if (request.principal && needed && !request.principal.scopes.has(needed))
        throw insufficientScope(needed, request.principal.via === 'oauth', resourceMetadata);
    });
  },
);

/** The principal of a request that went through `authenticate`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw missingToken();
  return request.principal;
}

/**
 * onRequest hook, after `authenticate`, for routes that manage credentials (tokens, the password, connected apps,
 * a consent): they need a signed-in session, as on GitHub. A personal API token or a connected app's token that
 * leaked must not be able to mint more credentials or change the password, which would outlive its revocation.
 */
export async function sessionOnly(request: FastifyRequest) {
  const { via } = principalOf(request);
  if (via === 'api_token' || via === 'oauth') {
    throw sessionRequired(via);
  }
}

/**
 * onRequest hook for routes under `/api/{user_id}/…`: the path must name the caller (or `me`). It runs right after
 * authentication, before validation or any lookup, so another user's path is refused the same way whatever else
 * the request says.
 */
export function ownPathOnly(code: string, detail: string) {
  return async (request: FastifyRequest) => {
    const { user_id: pathUserId } = request.params as { user_id?: string };
    if (pathUserId !== 'me' && pathUserId !== principalOf(request).userId) {
      throw notYourPath(code, detail);
    }
  };
}
