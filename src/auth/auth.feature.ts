import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { createAuthRepository } from './auth.repository.ts';
import { authRoutes } from './auth.routes.ts';
import { createAuthService } from './auth.service.ts';
import { authenticatePlugin } from './authenticate.ts';
import type { LoginThrottleOptions } from './login-throttle.ts';
import { prepareMcpOAuth } from './mcp-oauth/mcp-oauth.feature.ts';
import { registerOAuth } from './oauth/oauth.feature.ts';
import { TokenVerifier } from './token-verifier.ts';

export interface AuthFeatureOptions {
  db: Db;
  clock: () => Date;
  jwtSecret: string;
  accessTokenMinutes: number;
  refreshTokenDays: number;
  betterAuthSecret: string | undefined;
  betterAuthUrl: string | undefined;
  authPerMinute: number;
  loginThrottle: LoginThrottleOptions;
  oauth: Config['oauth'];
  publicUrl: string | undefined;
  frontendUrl: string | undefined;
  allowedOrigins: string[];
  /** Doable as the OAuth authorization server of /mcp, when MCP is served (the assistant feature). */
  mcpOAuth?:
    | {
        issuer: string;
        issuerSource: Config['issuerSource'];
        /** How client metadata documents are fetched; Doable's guarded fetch unless a test says. */
        fetch?: typeof fetch | undefined;
      }
    | undefined;
}

/**
 * How bearer tokens are checked, for a process that serves no HTTP (`npm run mcp` on the local database): access
 * tokens and personal API tokens, as `app.authenticate` checks them.
 */
export function buildTokenVerifier(
  opts: Pick<
    AuthFeatureOptions,
    'db' | 'clock' | 'jwtSecret' | 'accessTokenMinutes' | 'betterAuthSecret' | 'betterAuthUrl'
  >,
): TokenVerifier {
  return new TokenVerifier({
    jwtSecret: opts.jwtSecret,
    accessTokenMinutes: opts.accessTokenMinutes,
    betterAuthSecret: opts.betterAuthSecret,
    betterAuthUrl: opts.betterAuthUrl,
    repository: createAuthRepository(opts.db),
    clock: opts.clock,
  });
}

/** Accounts: always on, since every other feature is per user. Adds `app.authenticate` for the others. */
export async function registerAuth(app: FastifyInstance, opts: AuthFeatureOptions) {
  const repository = createAuthRepository(opts.db);
  const mcpOAuth =
    opts.mcpOAuth &&
    prepareMcpOAuth({
      db: opts.db,
      clock: opts.clock,
      ...opts.mcpOAuth,
      jwtSecret: opts.jwtSecret,
      authPerMinute: opts.authPerMinute,
      userExists: repository.userExists,
    });
  const verifier = new TokenVerifier({
    jwtSecret: opts.jwtSecret,
    accessTokenMinutes: opts.accessTokenMinutes,
    betterAuthSecret: opts.betterAuthSecret,
    betterAuthUrl: opts.betterAuthUrl,
    repository,
    oauthTokens: mcpOAuth?.tokens,
    clock: opts.clock,
  });
  const service = createAuthService({
    repository,
    verifier,
    refreshTokenDays: opts.refreshTokenDays,
    clock: opts.clock,
    endConnectedApps: mcpOAuth?.disconnectAll,
  });
  await app.register(authenticatePlugin, { verifier });
  await app.register(authRoutes, {
    service,
    verifier,
    authPerMinute: opts.authPerMinute,
    loginThrottle: opts.loginThrottle,
  });
  await registerOAuth(app, {
    repository,
    startSession: service.startSession,
    clock: opts.clock,
    jwtSecret: opts.jwtSecret,
    oauth: opts.oauth,
    publicUrl: opts.publicUrl,
    frontendUrl: opts.frontendUrl,
    allowedOrigins: opts.allowedOrigins,
    authPerMinute: opts.authPerMinute,
  });
  await mcpOAuth?.register(app);
  return {
    service,
    repository,
    verifier,
    authenticateMcp: mcpOAuth?.withChallenge(app.authenticate),
    mcpResourceMetadata: mcpOAuth?.resourceMetadataUrl,
  };
}
