import { randomUUID, type webcrypto } from 'node:crypto';
import type { JWTPayload } from 'jose';
// jose's parts rather than its index, which loads JWE and key management too (a hundred modules more at a start).
import { decodeProtectedHeader } from 'jose/decode/protected_header';
import * as errors from 'jose/errors';
import { createRemoteJWKSet } from 'jose/jwks/remote';
import { decodeJwt } from 'jose/jwt/decode';
import { SignJWT } from 'jose/jwt/sign';
import { jwtVerify } from 'jose/jwt/verify';
import { HttpProblem } from '../http/problem.ts';
import {
  apiTokenExpired,
  appTokenExpired,
  invalidToken,
  noSubject,
  providerUnreachable,
  tokenExpired,
  userGone,
} from './auth.errors.ts';
import type { AuthRepository } from './auth.repository.ts';
import { ALL_SCOPES, expandScopes, type Scope } from './scopes.ts';
import { hashToken } from './secrets.ts';

/** Who is calling, and with what kind of credential. */
export interface Principal {
  userId: string;
  /** `oauth`: an access token of an app connected by OAuth (an MCP client), which is no session either. */
  via: 'access_token' | 'api_token' | 'better_auth' | 'oauth';
  /** When the credential stops working; null only for personal API tokens made before tokens expired. */
  expiresAt: Date | null;
  /**
   * What the credential may do: every scope for a session, the token's own for a personal API token or a
   * connected app.
   */
  scopes: ReadonlySet<Scope>;
  /**
   * When the person last proved who they are (OIDC's `auth_time`): a password or a provider sign-in. Null when
   * unknown (personal API tokens, sessions older than the claim, Better Auth tokens without it).
   */
  authTime: Date | null;
  /**
   * The sign-in (refresh family) a Doable access token was issued for, as its `sid` claim; null for other
   * credentials and for tokens issued before the claim. Lets a credential change ask whether that sign-in was
   * ended since (a password change, a sign-out everywhere), which the token alone cannot tell.
   */
  sessionId: string | null;
}

export const ISSUER = 'doable';
export const API_TOKEN_PREFIX = 'doable_pat_';
/** Access tokens of apps connected by OAuth (see auth/mcp-oauth/), opaque like personal API tokens. */
export const OAUTH_ACCESS_TOKEN_PREFIX = 'doable_oat_';
/** Asymmetric algorithms the Better Auth JWT plugin can be configured with (EdDSA is its default). */
const BETTER_AUTH_JWKS_ALGORITHMS = ['EdDSA', 'ES256', 'ES512', 'RS256', 'PS256'];
/** How often a personal token's last_used_at is refreshed at most; a write per request would be waste. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** Signed tokens remembered as verified; the oldest is forgotten first. About 3 MB when full. */
const VERIFIED_TOKENS_KEPT = 10_000;

/** A connected app's access token as its store has it (see auth/mcp-oauth/mcp-oauth.tokens.ts). */
export interface OAuthAccessToken {
  userId: string;
  /** What the app was allowed, already limited to what a connected app may have. */
  scopes: string[];
  expiresAt: Date;
  /** The connection (grant) it belongs to, and when that was last used. */
  grantId: string;
  lastUsedAt: Date | null;
}

/** Where connected apps' access tokens are looked up: live ones for Doable's own resource only. */
export interface OAuthAccessTokenStore {
  find(hash: string, now: Date): Promise<OAuthAccessToken | undefined>;
  touch(grantId: string, at: Date): Promise<void>;
}

export interface TokenVerifierOptions {
  jwtSecret: string;
  accessTokenMinutes: number;
  betterAuthSecret: string | undefined;
  betterAuthUrl: string | undefined;
  repository: AuthRepository;
  /** Connected apps' access tokens; without it, such a token is as unknown as any other. */
  oauthTokens?: OAuthAccessTokenStore | undefined;
  clock: () => Date;
  /** How many verified signed tokens are remembered (VERIFIED_TOKENS_KEPT unless a test wants a few). */
  verifiedTokensKept?: number;
}

/**
 * Turns a bearer token into a principal. Four kinds are accepted: Doable's own access tokens (HS256, our
 * issuer), personal API tokens and connected apps' OAuth access tokens (opaque, told apart by their prefixes and
 * looked up by hash every time), and Better Auth tokens (HS256 with the shared BETTER_AUTH_SECRET, or the JWT
 * plugin's asymmetric tokens checked against its JWKS).
 */
export class TokenVerifier {
  /** Imported once: handing jose raw bytes would import the HMAC key again on every request. */
  readonly #key: Promise<webcrypto.CryptoKey>;
  readonly #betterAuthKey: Uint8Array | undefined;
  readonly #betterAuthJwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  readonly #options: TokenVerifierOptions;
  /** Better Auth subjects already known to have a user row, so the hot path skips the upsert. */
  readonly #knownSubjects = new Set<string>();
  /**
   * Signed tokens already verified, and whom they name. A client sends the same access token on every request
   * for its 15 minutes; checking the signature again each time was the largest cost of an authenticated request.
   * A signed token's answer cannot change before it expires (logout ends refresh tokens, not access tokens, see
   * DESIGN), so an entry is good until then. Personal API tokens are never kept: revoking one takes effect at once.
   */
  readonly #verified = new Map<string, Principal & { expiresAt: Date }>();

  constructor(options: TokenVerifierOptions) {
    this.#options = options;
    this.#key = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(options.jwtSecret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    this.#betterAuthKey = options.betterAuthSecret
      ? new TextEncoder().encode(options.betterAuthSecret)
      : undefined;
    this.#betterAuthJwks = options.betterAuthUrl
      ? createRemoteJWKSet(new URL(`${options.betterAuthUrl}/api/auth/jwks`), {
          cacheMaxAge: 10 * 60_000,
          cooldownDuration: 30_000,
        })
      : undefined;
  }

  /**
   * Signs an access token. `authTime` is when the person signed in (kept across refreshes); null for a session
   * started before it was recorded, whose tokens then carry no `auth_time` claim. `sessionId` is the refresh
   * family the token belongs to (the `sid` claim).
   */
  async issueAccessToken(
    user: { id: string; email: string | null },
    authTime: Date | null,
    sessionId: string,
  ): Promise<{ token: string; expiresIn: number }> {
    const now = Math.floor(this.#options.clock().getTime() / 1000);
    const expiresIn = this.#options.accessTokenMinutes * 60;
    const claims = {
      email: user.email,
      typ: 'access',
      sid: sessionId,
      ...(authTime ? { auth_time: Math.floor(authTime.getTime() / 1000) } : {}),
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setAudience(ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(now + expiresIn)
      .setJti(randomUUID())
      .sign(await this.#key);
    return { token, expiresIn };
  }

  /** Checks one of Doable's own access tokens and returns its claims. */
  async #verifyAccessToken(token: string): Promise<JWTPayload & { sub: string }> {
    try {
      const { payload } = await jwtVerify(token, await this.#key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: ISSUER,
        requiredClaims: ['sub', 'exp'],
        currentDate: this.#options.clock(),
      });
      if (payload.typ !== 'access') throw invalidToken();
      return payload as JWTPayload & { sub: string };
    } catch (error) {
      throw toAuthProblem(error);
    }
  }

  async verify(token: string): Promise<Principal> {
    if (token.startsWith(API_TOKEN_PREFIX)) return this.#verifyApiToken(token);
    // A prefix comparison, before the signed tokens' cache: what sessions pay for connected apps.
    if (token.startsWith(OAUTH_ACCESS_TOKEN_PREFIX)) return this.#verifyOAuthToken(token);
    const known = this.#verified.get(token);
    if (known && known.expiresAt > this.#options.clock()) return known;
    this.#verified.delete(token);
    const principal = await this.#verifySigned(token);
    if (principal.expiresAt) {
      if (this.#verified.size >= (this.#options.verifiedTokensKept ?? VERIFIED_TOKENS_KEPT))
        this.#verified.delete(this.#verified.keys().next().value ?? '');
      this.#verified.set(token, { ...principal, expiresAt: principal.expiresAt });
    }
    return principal;
  }

  /**
   * Verifies again, for a request that outlasts its start (a live update stream), a credential that is checked
   * against the database: a personal API token or a connected app's token. The same answer as `verify` (a 401
   * problem once it was revoked, expired or its account deleted), in one query, without the bookkeeping of its
   * last use. Undefined for a signed token, whose answer cannot change before it expires.
   */
  recheck(token: string): Promise<Principal> | undefined {
    if (token.startsWith(API_TOKEN_PREFIX)) return this.#verifyApiToken(token, false);
    if (token.startsWith(OAUTH_ACCESS_TOKEN_PREFIX)) return this.#verifyOAuthToken(token, false);
    return undefined;
  }

  async #verifySigned(token: string): Promise<Principal> {
    let alg: string | undefined;
    let issuer: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
      issuer = decodeJwt(token).iss;
    } catch {
      throw invalidToken();
    }
    if (alg === 'HS256' && issuer === ISSUER) {
      const payload = await this.#verifyAccessToken(token);
      // Stateless as to sessions, but the account must still be there: a deleted one's token would otherwise
      // read empty lists and fail on every write. One primary-key lookup per token, remembered with it.
      if (!(await this.#options.repository.userExists(payload.sub))) throw userGone();
      return {
        userId: payload.sub,
        via: 'access_token',
        expiresAt: expiry(payload),
        scopes: ALL_SCOPES,
        authTime: authTimeOf(payload),
        sessionId: typeof payload.sid === 'string' ? payload.sid : null,
      };
    }
    if (alg === 'HS256' && this.#betterAuthKey)
      return this.#verifyBetterAuth(token, this.#betterAuthKey, ['HS256']);
    if (alg && BETTER_AUTH_JWKS_ALGORITHMS.includes(alg) && this.#betterAuthJwks) {
      return this.#verifyBetterAuth(token, this.#betterAuthJwks, BETTER_AUTH_JWKS_ALGORITHMS);
    }
    throw invalidToken();
  }

  async #verifyApiToken(token: string, touch = true): Promise<Principal> {
    const found = await this.#options.repository.findApiTokenByHash(hashToken(token));
    if (!found) throw invalidToken();
    const now = this.#options.clock();
    if (found.expires_at && found.expires_at <= now) {
      throw apiTokenExpired();
    }
    if (
      touch &&
      (!found.last_used_at || now.getTime() - found.last_used_at.getTime() > LAST_USED_RESOLUTION_MS)
    ) {
      // Bookkeeping only: the request must not wait for it or fail because of it.
      this.#options.repository.touchApiToken(found.id, now).catch(() => {});
    }
    return {
      userId: found.user_id,
      via: 'api_token',
      expiresAt: found.expires_at,
      scopes: expandScopes(found.scopes),
      authTime: null,
      sessionId: null,
    };
  }

  /**
   * A connected app's access token: looked up on every use, like a personal API token, so that disconnecting the
   * app or revoking the token takes effect at once. It acts within the scopes the person allowed, and is never a
   * session: routes that manage credentials or connected apps refuse it.
   */
  async #verifyOAuthToken(token: string, touch = true): Promise<Principal> {
    const store = this.#options.oauthTokens;
    const found = store && (await store.find(hashToken(token), this.#options.clock()));
    if (!store || !found) throw invalidToken();
    const now = this.#options.clock();
    if (found.expiresAt <= now) {
      throw appTokenExpired();
    }
    if (
      touch &&
      (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS)
    ) {
      // Bookkeeping only: the request must not wait for it or fail because of it.
      store.touch(found.grantId, now).catch(() => {});
    }
    return {
      userId: found.userId,
      via: 'oauth',
      expiresAt: found.expiresAt,
      scopes: expandScopes(found.scopes),
      authTime: null,
      sessionId: null,
    };
  }

  async #verifyBetterAuth(
    token: string,
    key: Uint8Array | ReturnType<typeof createRemoteJWKSet>,
    algorithms: string[],
  ): Promise<Principal> {
    let payload: JWTPayload;
    try {
      const options = {
        algorithms,
        requiredClaims: ['exp'],
        currentDate: this.#options.clock(),
        // The JWT plugin names its base URL as both issuer and audience; shared-secret tokens vary, so only
        // the asymmetric ones are held to it.
        ...(key instanceof Uint8Array
          ? {}
          : { issuer: this.#options.betterAuthUrl, audience: this.#options.betterAuthUrl }),
      };
      payload =
        key instanceof Uint8Array
          ? (await jwtVerify(token, key, options)).payload
          : (await jwtVerify(token, key, options)).payload;
    } catch (error) {
      throw toAuthProblem(error);
    }
    // Front ends built on the seeds put the user id in `sub`, some in `userId` or `id`.
    const subject = [payload.sub, payload.userId, payload.user_id, payload.id].find(
      (value): value is string => typeof value === 'string' && value.length > 0 && value.length <= 200,
    );
    if (!subject) throw noSubject();
    if (!this.#knownSubjects.has(subject)) {
      await this.#options.repository.ensureExternalUser({
        id: subject,
        email: typeof payload.email === 'string' ? payload.email : null,
        name: typeof payload.name === 'string' ? payload.name : '',
      });
      if (this.#knownSubjects.size > 50_000) this.#knownSubjects.clear();
      this.#knownSubjects.add(subject);
    }
    return {
      userId: subject,
      via: 'better_auth',
      expiresAt: expiry(payload),
      scopes: ALL_SCOPES,
      // Honoured when the front end puts it in (the JWT plugin's definePayload can); the session's `iat` is not a
      // sign-in time, since the plugin issues a fresh token from an old session at any time.
      authTime: authTimeOf(payload),
      sessionId: null,
    };
  }
}

function expiry(payload: JWTPayload): Date | null {
  return payload.exp === undefined ? null : new Date(payload.exp * 1000);
}

/** OIDC's `auth_time` (seconds since the epoch), when present and sane. */
function authTimeOf(payload: JWTPayload): Date | null {
  const value = payload.auth_time;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? new Date(value * 1000) : null;
}

function toAuthProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof errors.JWTExpired) {
    return tokenExpired();
  }
  if (error instanceof errors.JOSEError) return invalidToken();
  // Anything else is the key set being out of reach: not the client's fault, and not ours to hide.
  return providerUnreachable();
}
