import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Provider } from 'oidc-provider';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { HttpProblem } from '../../http/problem.ts';
import { DEFAULT_TOKEN_SCOPES } from '../scopes.ts';
import { createProvider } from './mcp-oauth.provider.ts';
import { createMcpOAuthRepository } from './mcp-oauth.repository.ts';
import { mcpOAuthRoutes, PROTECTED_RESOURCE_PATH } from './mcp-oauth.routes.ts';
import { createMcpOAuthService } from './mcp-oauth.service.ts';
import { createOAuthTokenStore } from './mcp-oauth.tokens.ts';

export interface McpOAuthOptions {
  db: Db;
  clock: () => Date;
  issuer: string;
  issuerSource: Config['issuerSource'];
  jwtSecret: string;
  authPerMinute: number;
  /** How client metadata documents are fetched (tests); Doable's guarded fetch otherwise (mcp-oauth.fetch.ts). */
  fetch?: typeof fetch | undefined;
  userExists(id: string): Promise<boolean>;
}

/**
 * Doable as the authorization server of its own MCP endpoint, so that Claude, ChatGPT or any MCP client connects
 * by URL and signs in by OAuth. Made in two steps, since the token verifier needs the first and the routes need
 * the verifier: `prepare` (the resource, and the access token store the verifier reads), then `register` (the
 * routes; oidc-provider itself is loaded with the first request that needs it).
 */
export function prepareMcpOAuth(opts: McpOAuthOptions) {
  const resource = `${opts.issuer}/mcp`;
  const repository = createMcpOAuthRepository(opts.db);
  const resourceMetadataUrl = `${opts.issuer}${PROTECTED_RESOURCE_PATH}${new URL(resource).pathname}`;
  const challenge = `Bearer resource_metadata="${resourceMetadataUrl}", scope="${DEFAULT_TOKEN_SCOPES.join(' ')}"`;

  async function register(app: FastifyInstance) {
    if (opts.issuerSource === 'localhost') {
      app.log.warn(
        `MCP clients sign in with OAuth at ${opts.issuer}, which only this machine reaches: remote clients ` +
          '(Claude, ChatGPT) need PUBLIC_URL set to the https address people reach Doable at.',
      );
    }
    let provider: Promise<Provider> | undefined;
    const getProvider = () => {
      provider ??= createProvider({
        issuer: opts.issuer,
        resource,
        secret: opts.jwtSecret,
        repository,
        clock: opts.clock,
        userExists: opts.userExists,
        fetch: opts.fetch,
        log: app.log,
      }).catch((error: unknown) => {
        provider = undefined;
        throw error;
      });
      return provider;
    };
    let handler: Promise<(req: IncomingMessage, res: ServerResponse) => Promise<void>> | undefined;
    const service = createMcpOAuthService({ provider: getProvider, repository, resource, clock: opts.clock });
    await app.register(mcpOAuthRoutes, {
      service,
      handler: () => {
        handler ??= getProvider().then(
          (oidc) =>
            oidc.callback() as unknown as (req: IncomingMessage, res: ServerResponse) => Promise<void>,
        );
        return handler;
      },
      issuer: opts.issuer,
      resource,
      authPerMinute: opts.authPerMinute,
    });
  }

  /**
   * `authenticate` for `/mcp`: a 401 names the protected resource metadata (RFC 9728) and the scopes to ask for,
   * which is how an MCP client that knows only the URL finds where to sign in.
   */
  const withChallenge = (authenticate: onRequestAsyncHookHandler): onRequestAsyncHookHandler =>
    async function authenticateMcp(this: FastifyInstance, request: FastifyRequest, reply) {
      try {
        await authenticate.call(this, request, reply);
      } catch (error) {
        if (!(error instanceof HttpProblem) || error.status !== 401) throw error;
        throw new HttpProblem(401, error.code, error.message, {
          headers: { ...error.headers, 'www-authenticate': challenge },
        });
      }
    };

  return {
    resource,
    /** Named by /mcp's 401s, and by its 403s for a missing scope (the MCP authorization spec's step-up). */
    resourceMetadataUrl,
    tokens: createOAuthTokenStore(repository, resource),
    /** Disconnects every app of an account at once. */
    disconnectAll: (userId: string) => repository.disconnectAll(userId),
    register,
    withChallenge,
  };
}

export type McpOAuth = ReturnType<typeof prepareMcpOAuth>;
