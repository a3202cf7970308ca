import type { Db } from '../db/database.ts';
import { createAuthRepository } from './auth.repository.ts';
import { toUserResponse } from './auth.service.ts';

/**
 * What an export of an account holds of auth's data: the profile and the names of its personal API tokens (never
 * their secrets). On the database handle given, so that the export reads it in its own transaction.
 */
export function createAccountTransfer(db: Db) {
  const repository = createAuthRepository(db);
  return {
    /** The account as GET /api/auth/me shows it; undefined when it no longer exists. */
    async profile(userId: string) {
      const user = await repository.findUserById(userId);
      return user && toUserResponse(user);
    },

    async apiTokens(userId: string) {
      return (await repository.listApiTokens(userId)).map((token) => ({
        name: token.name,
        created_at: token.created_at.toISOString(),
        last_used_at: token.last_used_at?.toISOString() ?? null,
      }));
    },
  };
}

export type AccountTransfer = ReturnType<typeof createAccountTransfer>;
