import { OAUTH_SCOPES } from '../scopes.ts';
import type { OAuthAccessTokenStore } from '../token-verifier.ts';
import type { McpOAuthRepository } from './mcp-oauth.repository.ts';

interface AccessTokenPayload {
  accountId?: unknown;
  scope?: unknown;
  aud?: unknown;
  exp?: unknown;
}

/**
 * Connected apps' access tokens for the one token verifier: what oidc-provider stored for a token, read in one
 * statement, and accepted only for Doable's resource (`aud`), within the scopes a connected app may hold.
 */
export function createOAuthTokenStore(
  repository: McpOAuthRepository,
  resource: string,
): OAuthAccessTokenStore {
  return {
    async find(hash, now) {
      const row = await repository.findAccessToken(hash, now);
      if (!row?.grant_id) return undefined;
      const payload = row.payload as AccessTokenPayload;
      const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (typeof payload.accountId !== 'string' || typeof payload.exp !== 'number') return undefined;
      if (audiences.length !== 1 || audiences[0] !== resource) return undefined;
      const granted = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
      return {
        userId: payload.accountId,
        scopes: OAUTH_SCOPES.filter((scope) => granted.includes(scope)),
        expiresAt: new Date(payload.exp * 1000),
        grantId: row.grant_id,
        lastUsedAt: row.last_used_at,
      };
    },
    touch: (grantId, at) => repository.touchGrant(grantId, at),
  };
}
