import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { AuthRepository } from '../auth.repository.ts';
import type { AuthService } from '../auth.service.ts';
import type { OAuthProvider } from './oauth.providers.ts';
import { oauthRoutes } from './oauth.routes.ts';
import { createOAuthService } from './oauth.service.ts';
import { createStateSealer } from './oauth.state.ts';

export interface OAuthFeatureOptions {
  repository: AuthRepository;
  startSession: AuthService['startSession'];
  clock: () => Date;
  jwtSecret: string;
  oauth: Config['oauth'];
  publicUrl: string | undefined;
  frontendUrl: string | undefined;
  allowedOrigins: string[];
  authPerMinute: number;
}

/**
 * Sign-in through Google, GitHub or any OpenID Connect provider; each is on when its settings are given. The
 * routes are always there (they answer that a provider is not configured); the providers' code and its OAuth
 * library are loaded only when one is.
 */
export async function registerOAuth(app: FastifyInstance, opts: OAuthFeatureOptions) {
  const { google, github, oidc } = opts.oauth;
  const providers: OAuthProvider[] = [];
  if (google || github) {
    const { githubProvider, googleProvider } = await import('./oauth.providers.ts');
    if (google) providers.push(googleProvider(google));
    if (github) providers.push(githubProvider(github));
  }
  if (oidc) providers.push((await import('./oauth.oidc.ts')).oidcProvider(oidc, opts.clock));
  const service = createOAuthService({
    providers,
    repository: opts.repository,
    startSession: opts.startSession,
    sealer: createStateSealer(opts.jwtSecret, opts.clock),
    redirectOrigins: [...opts.allowedOrigins, ...(opts.frontendUrl ? [opts.frontendUrl] : [])],
    clock: opts.clock,
  });
  await app.register(oauthRoutes, {
    service,
    publicUrl: opts.publicUrl,
    frontendUrl: opts.frontendUrl,
    authPerMinute: opts.authPerMinute,
  });
  return service;
}
