import { CodeChallengeMethod, OAuth2Client } from 'arctic';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { z } from 'zod';
import type { OAuthClientConfig } from '../../config.ts';
import { identityRejected, providerUnavailable } from './oauth.errors.ts';
import {
  type ExternalIdentity,
  type OAuthProvider,
  PROVIDER_TIMEOUT_MS,
  providerProblem,
} from './oauth.providers.ts';

export interface OidcSettings extends OAuthClientConfig {
  issuer: string;
  name: string;
}

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  userinfo_endpoint: z.url().optional(),
});

type Discovery = z.infer<typeof discoverySchema> & { keys: ReturnType<typeof createRemoteJWKSet> };

/** Providers differ on the type: most send a boolean, some the string "true". */
const verifiedFlag = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .optional()
  .transform((value) => value === true || value === 'true');

const oidcClaims = z.object({
  sub: z.string().min(1).max(255),
  email: z.string().optional(),
  email_verified: verifiedFlag,
  name: z.string().optional(),
  preferred_username: z.string().optional(),
});

export function oidcIdentity(claims: unknown, name = 'The OpenID provider'): ExternalIdentity {
  const parsed = oidcClaims.safeParse(claims);
  if (!parsed.success) throw identityRejected(name, 'its claims name no user');
  const { sub, email, email_verified, preferred_username } = parsed.data;
  return {
    provider: 'oidc',
    subject: sub,
    email: email ?? null,
    emailVerified: email !== undefined && email_verified,
    name: parsed.data.name ?? preferred_username ?? email?.split('@')[0] ?? '',
  };
}

/**
 * Any OpenID Connect provider, found by discovery: authorization code with PKCE and a nonce, the ID token
 * checked against the provider's published keys, and userinfo asked when the ID token carries no email.
 */
export function oidcProvider(settings: OidcSettings, clock: () => Date): OAuthProvider {
  const { issuer, clientId, clientSecret, name } = settings;
  // Fetched on first use and kept; a failed fetch is forgotten so that the next sign-in tries again.
  let discovery: Promise<Discovery> | undefined;
  const discover = () => {
    discovery ??= fetchDiscovery(issuer, name).catch((error: unknown) => {
      discovery = undefined;
      throw providerProblem(error, name);
    });
    return discovery;
  };

  return {
    id: 'oidc',
    name,
    async authorizationUrl({ state, codeVerifier, nonce, redirectUri }) {
      const doc = await discover();
      const url = new OAuth2Client(clientId, clientSecret, redirectUri).createAuthorizationURLWithPKCE(
        doc.authorization_endpoint,
        state,
        CodeChallengeMethod.S256,
        codeVerifier,
        ['openid', 'email', 'profile'],
      );
      url.searchParams.set('nonce', nonce);
      return url;
    },
    async identify({ code, codeVerifier, nonce, redirectUri, issuer: respondingIssuer }) {
      try {
        const doc = await discover();
        // A response naming another issuer is a mix-up attack: a code from elsewhere must not be redeemed here.
        if (respondingIssuer !== undefined && respondingIssuer !== doc.issuer) {
          throw identityRejected(name, 'the response names another issuer');
        }
        const tokens = await new OAuth2Client(clientId, clientSecret, redirectUri).validateAuthorizationCode(
          doc.token_endpoint,
          code,
          codeVerifier,
        );
        const claims = await verifyIdToken(tokens.idToken(), doc, { clientId, nonce, name, clock });
        if (claims.email !== undefined || !doc.userinfo_endpoint) return oidcIdentity(claims, name);
        const userinfo = await fetchJson(doc.userinfo_endpoint, name, {
          authorization: `Bearer ${tokens.accessToken()}`,
        });
        // Userinfo speaks for the same person only when it names the same subject (OpenID Connect Core 5.3.2).
        if (userinfo?.sub !== claims.sub) throw identityRejected(name, 'userinfo names another subject');
        return oidcIdentity({ ...userinfo, ...claims }, name);
      } catch (error) {
        throw providerProblem(error, name);
      }
    },
  };
}

async function fetchDiscovery(issuer: string, name: string): Promise<Discovery> {
  const doc = discoverySchema.safeParse(await fetchJson(`${issuer}/.well-known/openid-configuration`, name));
  // The issuer must be the one configured, or the provider is not the one the operator meant.
  if (!doc.success || doc.data.issuer.replace(/\/+$/, '') !== issuer) throw providerUnavailable(name);
  return {
    ...doc.data,
    keys: createRemoteJWKSet(new URL(doc.data.jwks_uri), { timeoutDuration: PROVIDER_TIMEOUT_MS }),
  };
}

async function verifyIdToken(
  idToken: string,
  doc: Discovery,
  expected: { clientId: string; nonce: string; name: string; clock: () => Date },
): Promise<JWTPayload & { sub: string }> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, doc.keys, {
      issuer: doc.issuer,
      audience: expected.clientId,
      requiredClaims: ['sub', 'iat', 'exp'],
      currentDate: expected.clock(),
    }));
  } catch (error) {
    // A bad token is the provider's (or an attacker's) doing; an unreachable key set is an outage.
    if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) {
      throw identityRejected(expected.name, `its ID token failed verification: ${error.code}`);
    }
    throw error;
  }
  if (payload.nonce !== expected.nonce) throw identityRejected(expected.name, 'the nonce does not match');
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== expected.clientId) {
    throw identityRejected(expected.name, 'the ID token was issued to another party');
  }
  return payload as JWTPayload & { sub: string };
}

async function fetchJson(
  url: string,
  name: string,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown> | undefined> {
  const response = await fetch(url, {
    headers: { accept: 'application/json', ...headers },
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
  });
  if (!response.ok) throw providerUnavailable(name);
  const body: unknown = await response.json();
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
}
