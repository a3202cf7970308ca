import { CodeChallengeMethod, Google, OAuth2Client, OAuth2RequestError, type OAuth2Tokens } from 'arctic';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import type { OAuthClientConfig } from '../../config.ts';
import { HttpProblem } from '../../http/problem.ts';
import { codeRejected, identityRejected, providerUnavailable } from './oauth.errors.ts';
import type { ProviderId } from './oauth.schemas.ts';

/** Who the provider says signed in. The email counts for account linking only when `emailVerified`. */
export interface ExternalIdentity {
  provider: ProviderId;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string;
}

export interface AuthorizationRequest {
  state: string;
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
}

export interface CodeExchange {
  code: string;
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
  /** RFC 9207: the issuer the authorization response claims to come from, when the provider names it. */
  issuer: string | undefined;
}

export interface OAuthProvider {
  id: ProviderId;
  name: string;
  authorizationUrl(request: AuthorizationRequest): Promise<URL>;
  identify(exchange: CodeExchange): Promise<ExternalIdentity>;
}

/** Outside calls must not hold a sign-in open for long when a provider hangs. */
export const PROVIDER_TIMEOUT_MS = 10_000;

/**
 * Arctic's errors, told apart: a refused code is the sign-in's to restart; anything else (network, timeout, an
 * answer of the wrong shape) is the provider's. The original error rides along as `cause` for the logs.
 */
export function providerProblem(error: unknown, name: string): HttpProblem {
  if (error instanceof HttpProblem) return error;
  const problem =
    error instanceof OAuth2RequestError ? codeRejected(name, error.code) : providerUnavailable(name);
  problem.cause = error;
  return problem;
}

const googleClaims = z.object({
  sub: z.string().min(1),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  name: z.string().optional(),
});

export function googleIdentity(claims: unknown): ExternalIdentity {
  const parsed = googleClaims.safeParse(claims);
  if (!parsed.success) throw identityRejected('Google', 'its ID token names no user');
  const { sub, email, email_verified, name } = parsed.data;
  return {
    provider: 'google',
    subject: sub,
    email: email ?? null,
    emailVerified: email !== undefined && email_verified === true,
    name: name ?? email?.split('@')[0] ?? '',
  };
}

export function googleProvider({ clientId, clientSecret }: OAuthClientConfig): OAuthProvider {
  const name = 'Google';
  return {
    id: 'google',
    name,
    async authorizationUrl({ state, codeVerifier, redirectUri }) {
      return new Google(clientId, clientSecret, redirectUri).createAuthorizationURL(state, codeVerifier, [
        'openid',
        'email',
        'profile',
      ]);
    },
    async identify({ code, codeVerifier, redirectUri }) {
      try {
        const tokens = await new Google(clientId, clientSecret, redirectUri).validateAuthorizationCode(
          code,
          codeVerifier,
        );
        // The ID token comes straight from Google's token endpoint over TLS, which OpenID Connect Core
        // (3.1.3.7) accepts in place of checking its signature.
        return googleIdentity(decodeJwt(tokens.idToken()));
      } catch (error) {
        throw providerProblem(error, name);
      }
    },
  };
}

const githubUser = z.object({
  id: z.number().int(),
  login: z.string(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});
const githubEmails = z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }));

/** GitHub's profile email may be unverified; only the primary address, when verified, counts as the user's. */
export function githubIdentity(user: unknown, emails: unknown): ExternalIdentity {
  const profile = githubUser.safeParse(user);
  if (!profile.success) throw identityRejected('GitHub', 'its /user answer names no user');
  const listed = githubEmails.safeParse(emails);
  const primary = listed.success ? listed.data.find((entry) => entry.primary) : undefined;
  return {
    provider: 'github',
    subject: String(profile.data.id),
    email: primary?.email ?? profile.data.email ?? null,
    emailVerified: primary?.verified === true,
    name: profile.data.name || profile.data.login,
  };
}

const GITHUB = {
  authorize: 'https://github.com/login/oauth/authorize',
  token: 'https://github.com/login/oauth/access_token',
  api: 'https://api.github.com',
};

/**
 * Arctic's GitHub client predates GitHub's PKCE support, so the generic client is pointed at GitHub's
 * endpoints to send a code challenge like the other providers.
 */
export function githubProvider({ clientId, clientSecret }: OAuthClientConfig): OAuthProvider {
  const name = 'GitHub';
  const api = async (path: string, accessToken: string) =>
    fetch(`${GITHUB.api}${path}`, {
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/vnd.github+json',
        'user-agent': 'Doable',
        'x-github-api-version': '2022-11-28',
      },
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
  return {
    id: 'github',
    name,
    async authorizationUrl({ state, codeVerifier, redirectUri }) {
      return new OAuth2Client(clientId, clientSecret, redirectUri).createAuthorizationURLWithPKCE(
        GITHUB.authorize,
        state,
        CodeChallengeMethod.S256,
        codeVerifier,
        ['read:user', 'user:email'],
      );
    },
    async identify({ code, codeVerifier, redirectUri }) {
      try {
        const tokens = await new OAuth2Client(clientId, clientSecret, redirectUri).validateAuthorizationCode(
          GITHUB.token,
          code,
          codeVerifier,
        );
        const accessToken = githubAccessToken(tokens);
        const user = await api('/user', accessToken);
        if (!user.ok) throw providerUnavailable(name);
        // Without the email permission (GitHub Apps can lack it) the user still signs in, just unlinked.
        const emails = await api('/user/emails', accessToken);
        return githubIdentity(await user.json(), emails.ok ? await emails.json() : []);
      } catch (error) {
        throw providerProblem(error, name);
      }
    },
  };
}

/** GitHub answers a refused code with 200 and an `error` field, which the generic client takes for tokens. */
function githubAccessToken(tokens: OAuth2Tokens): string {
  const data = tokens.data as { error?: unknown; access_token?: unknown };
  if (typeof data.error === 'string') throw new OAuth2RequestError(data.error, null, null, null);
  return tokens.accessToken();
}
