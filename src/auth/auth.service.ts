import { randomUUID } from 'node:crypto';
import {
  emailTaken,
  invalidCredentials,
  invalidRefreshToken,
  missingTokenToSignOutEverywhere,
  nothingToEnd,
  reauthenticationRequired,
  refreshTokenExpired,
  refreshTokenReused,
  sessionEnded,
  tokenNotFound,
  userGone,
  wrongCurrentPassword,
  wrongPassword,
} from './auth.errors.ts';
import type { ApiToken, AuthRepository, User } from './auth.repository.ts';
import { API_TOKEN_DEFAULT_DAYS, RECENT_SIGN_IN_MINUTES } from './credential-policy.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { DEFAULT_TOKEN_SCOPES, type Scope } from './scopes.ts';
import { hashToken, newOpaqueToken } from './secrets.ts';
import { API_TOKEN_PREFIX, type Principal, type TokenVerifier } from './token-verifier.ts';

/**
 * Two tabs that refresh at the same moment both present the same token. Within this window the second one
 * gets a sibling token instead of being taken for a thief, provided the token's child is still the family's
 * newest: a token two or more rotations old is reuse at any time.
 */
export const REFRESH_GRACE_MS = 30_000;

export interface AuthServiceDeps {
  repository: AuthRepository;
  verifier: TokenVerifier;
  refreshTokenDays: number;
  clock: () => Date;
  /**
   * Ends every app connected by OAuth (MCP clients), when they are served: with the sessions, on a sign-out
   * everywhere and a password change, so that an app allowed with a stolen session goes with it.
   */
  endConnectedApps?: ((userId: string) => Promise<void>) | undefined;
}

export function toUserResponse(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    timezone: user.timezone,
    created_at: user.created_at.toISOString(),
  };
}

/** Checks a user's password (through the login throttle, so that a stolen session cannot guess it). */
export type PasswordCheck = (user: User, password: string) => Promise<boolean>;

export function toApiTokenResponse(row: ApiToken) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at?.toISOString() ?? null,
    last_used_at: row.last_used_at?.toISOString() ?? null,
  };
}

export function createAuthService({
  repository,
  verifier,
  refreshTokenDays,
  clock,
  endConnectedApps,
}: AuthServiceDeps) {
  /** A refresh token of a family and the row that stores it (as a hash); the family's sign-in time goes along. */
  function newRefreshToken(userId: string, familyId: string, authTime: Date | null) {
    const token = newOpaqueToken('');
    const row = {
      user_id: userId,
      family_id: familyId,
      token_hash: hashToken(token),
      expires_at: new Date(clock().getTime() + refreshTokenDays * 86_400_000),
      auth_time: authTime,
    };
    return { token, row };
  }

  async function session(user: User, refresh: ReturnType<typeof newRefreshToken>) {
    const access = await verifier.issueAccessToken(user, refresh.row.auth_time, refresh.row.family_id);
    const refreshToken = refresh.token;
    return {
      access_token: access.token,
      refresh_token: refreshToken,
      token_type: 'bearer' as const,
      expires_in: access.expiresIn,
      user: toUserResponse(user),
    };
  }

  /**
   * Issues an access token and the first refresh token of a new family. Called only when the person has just
   * proved who they are (password, registration, provider sign-in): that moment is the family's `auth_time`.
   */
  async function startSession(user: User) {
    const authTime = clock();
    const refresh = newRefreshToken(user.id, randomUUID(), authTime);
    await repository.insertRefreshToken(refresh.row);
    return session(user, refresh);
  }

  /**
   * Sudo mode: creating a personal API token, or a first password, needs the person and not just a token they
   * left behind. Either the current password in the request, or a sign-in younger than RECENT_SIGN_IN_MINUTES.
   * Wrong passwords go through the login throttle (the caller's `checkPassword`).
   */
  async function requireRecentSignIn(
    principal: Principal,
    user: User,
    password: string | undefined,
    checkPassword: (user: User, password: string) => Promise<boolean>,
  ) {
    if (password !== undefined && user.password_hash) {
      if (await checkPassword(user, password)) return;
      throw wrongPassword();
    }
    // A sign-in ended since (a password change, a sign-out everywhere, a stolen refresh token coming back) is no
    // sign-in at all, however young: its access tokens live on for their minutes, but must not mint credentials.
    if (principal.sessionId && !(await repository.sessionActive(principal.sessionId, clock()))) {
      throw sessionEnded();
    }
    const authTime = principal.authTime?.getTime();
    if (authTime !== undefined && clock().getTime() - authTime <= RECENT_SIGN_IN_MINUTES * 60_000) return;
    throw reauthenticationRequired(Boolean(user.password_hash));
  }

  async function requireUser(id: string) {
    const user = await repository.findUserById(id);
    if (!user) throw userGone();
    return user;
  }

  return {
    startSession,
    requireUser,

    async register(input: { email: string; password: string; name?: string | undefined }) {
      const user = await repository.createUser({
        email: input.email,
        name: input.name ?? input.email.split('@')[0] ?? '',
        password_hash: await hashPassword(input.password),
      });
      if (!user) {
        throw emailTaken();
      }
      return startSession(user);
    },

    async login(email: string, password: string) {
      const user = await repository.findUserByEmail(email);
      // Same answer, and the same work, whether the email is unknown or the password wrong.
      const ok = await verifyPassword(user?.password_hash, password);
      if (!user || !ok) throw invalidCredentials();
      return startSession(user);
    },

    async refresh(refreshToken: string) {
      const now = clock();
      const token = await repository.findRefreshToken(hashToken(refreshToken));
      if (!token || token.revoked_at) throw invalidRefreshToken();
      if (token.expires_at <= now) {
        throw refreshTokenExpired();
      }
      const user = await requireUser(token.user_id);
      // A refresh is not a sign-in: the family keeps the time of the sign-in it started from.
      const next = newRefreshToken(user.id, token.family_id, token.auth_time);
      if (!token.used_at && (await repository.rotateRefreshToken(token.id, now, next.row))) {
        return session(user, next);
      }
      // Already exchanged. Two tabs refreshing at once present the same token: the later one gets a sibling of
      // the newest token. Anything else is a copy coming back (the token is older, or late): end every session
      // that descends from the sign-in.
      const [used, newest] = await Promise.all([
        repository.findRefreshToken(token.token_hash),
        repository.findNewestRefreshToken(token.family_id),
      ]);
      if (!used || used.revoked_at) throw invalidRefreshToken();
      const usedAt = used.used_at ?? now;
      if (newest?.parent_id !== token.id || now.getTime() - usedAt.getTime() > REFRESH_GRACE_MS) {
        await repository.revokeFamily(token.family_id, now);
        throw refreshTokenReused();
      }
      await repository.insertRefreshToken({ ...next.row, parent_id: token.id });
      return session(user, next);
    },

    async logout(input: {
      refreshToken?: string | undefined;
      all?: boolean | undefined;
      principal: Principal | null;
    }) {
      const now = clock();
      if (input.all) {
        if (!input.principal) throw missingTokenToSignOutEverywhere();
        await repository.revokeAllRefreshTokens(input.principal.userId, now);
        await endConnectedApps?.(input.principal.userId);
        return;
      }
      if (!input.refreshToken) {
        throw nothingToEnd();
      }
      const token = await repository.findRefreshToken(hashToken(input.refreshToken));
      // Unknown or already ended: logging out is idempotent and says nothing about other people's tokens.
      if (token && (!input.principal || input.principal.userId === token.user_id)) {
        await repository.revokeFamily(token.family_id, now);
      }
    },

    /**
     * A new password needs the current one (or, for an account without one, a recent sign-in). It signs out
     * every session and, unless `revoke_api_tokens` is false, revokes every personal API token: the old password
     * may be why it is changed, and whoever knew it may have made tokens.
     */
    async updateMe(
      principal: Principal,
      input: {
        name?: string | undefined;
        timezone?: string | undefined;
        current_password?: string | undefined;
        new_password?: string | undefined;
        revoke_api_tokens?: boolean | undefined;
      },
      checkPassword: PasswordCheck,
    ) {
      const userId = principal.userId;
      const user = await requireUser(userId);
      const changes: { name?: string; timezone?: string; password_hash?: string } = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.timezone !== undefined) changes.timezone = input.timezone;
      if (input.new_password !== undefined) {
        if (user.password_hash) {
          if (!(await checkPassword(user, input.current_password ?? ''))) {
            throw wrongCurrentPassword();
          }
        } else {
          // No password to ask for: a first password needs a fresh sign-in through the provider.
          await requireRecentSignIn(principal, user, undefined, checkPassword);
        }
        changes.password_hash = await hashPassword(input.new_password);
      }
      const updated = await repository.updateUser(userId, changes);
      if (!updated) throw userGone();
      if (changes.password_hash) {
        await repository.revokeAllRefreshTokens(userId, clock());
        await endConnectedApps?.(userId);
        if (input.revoke_api_tokens !== false) await repository.deleteAllApiTokens(userId);
      }
      return toUserResponse(updated);
    },

    /** A personal API token, after a recent sign-in (see requireRecentSignIn). */
    async createApiToken(
      principal: Principal,
      input: {
        name: string;
        scopes?: Scope[] | undefined;
        expires_in_days?: number | undefined;
        password?: string | undefined;
      },
      checkPassword: PasswordCheck,
    ) {
      const user = await requireUser(principal.userId);
      await requireRecentSignIn(principal, user, input.password, checkPassword);
      const token = newOpaqueToken(API_TOKEN_PREFIX);
      const days = input.expires_in_days ?? API_TOKEN_DEFAULT_DAYS;
      const row = await repository.createApiToken({
        user_id: user.id,
        name: input.name,
        token_hash: hashToken(token),
        scopes: [...new Set(input.scopes ?? DEFAULT_TOKEN_SCOPES)],
        expires_at: new Date(clock().getTime() + days * 86_400_000),
      });
      return { ...toApiTokenResponse(row), token };
    },

    async listApiTokens(userId: string) {
      const rows = await repository.listApiTokens(userId);
      return rows.map(toApiTokenResponse);
    },

    async revokeApiToken(userId: string, id: string) {
      if (!(await repository.deleteApiToken(userId, id))) {
        throw tokenNotFound();
      }
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
