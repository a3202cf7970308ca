import { and, desc, eq, gt, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { apiTokens, identities, refreshTokens, users } from './auth.tables.ts';

export type User = typeof users.$inferSelect;
export type RefreshToken = typeof refreshTokens.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
type NewRefreshToken = Pick<
  typeof refreshTokens.$inferInsert,
  'user_id' | 'family_id' | 'token_hash' | 'expires_at' | 'parent_id' | 'auth_time'
>;

const byEmail = (email: string) => sql`lower(${users.email}) = lower(${email})`;

/**
 * The time zone an account's dates are read in ('UTC' unless it set one). A function of the database handle, so
 * that another feature (tasks) reads it within its own transaction.
 */
export async function userTimeZone(db: Db, userId: string): Promise<string> {
  const [user] = await db.select({ timezone: users.timezone }).from(users).where(eq(users.id, userId));
  return user?.timezone ?? 'UTC';
}

/** The name and address of an account, as another feature shows it (the lists feature: who shares a list). */
export interface UserProfile {
  id: string;
  name: string;
  email: string | null;
}

/**
 * The accounts of these ids that exist, by id. A function of the database handle, so that another feature (lists)
 * reads them within its own transaction.
 */
export async function userProfiles(db: Db, ids: readonly string[]): Promise<Map<string, UserProfile>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * SQL for the ids of the accounts with this address (compared without case), as a text[]: for another feature
 * (lists) telling an invited person's open pages of the invitation, without a round trip or an answer to the inviter.
 */
export const accountsWithEmail = (email: string): SQL<string[]> =>
  sql<string[]>`array(select ${users.id} from ${users} where lower(${users.email}) = lower(${email}))`;

/**
 * The same for several addresses at once, given as SQL for a text[] of lower-case addresses (a list's pending
 * invitations, which are kept lower-case): who is told that the list they are invited to was deleted.
 */
export const accountsWithEmails = (emails: SQL<string[]>): SQL<string[]> =>
  sql<string[]>`array(select ${users.id} from ${users} where lower(${users.email}) = any(${emails}))`;

/**
 * SQL for `id` when an account has it, else null: for another feature (tasks) writing back a user id it kept, of
 * an account that may have been deleted since.
 */
export const knownUserId = (id: SQL): SQL<string | null> =>
  sql<string | null>`(select ${users.id} from ${users} where ${users.id} = ${id})`;

/**
 * SQL for a user's name ('' when none was given, null for no such user), for another feature's statement that
 * records who acted (the live updates' events), so that it costs no round trip of its own.
 */
export function userNameOf(userId: unknown): SQL<string | null> {
  return sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${userId})`;
}

export function createAuthRepository(db: Db) {
  return {
    /** Returns undefined when the email is taken. */
    async createUser(values: { email: string | null; name: string; password_hash: string | null }) {
      const [user] = await db.insert(users).values(values).onConflictDoNothing().returning();
      return user;
    },

    async findUserById(id: string) {
      const [user] = await db.select().from(users).where(eq(users.id, id));
      return user;
    },

    async userExists(id: string) {
      const found = await db.select({ id: users.id }).from(users).where(eq(users.id, id));
      return found.length > 0;
    },

    async findUserByEmail(email: string) {
      const [user] = await db.select().from(users).where(byEmail(email));
      return user;
    },

    async updateUser(id: string, values: Partial<Pick<User, 'name' | 'timezone' | 'password_hash'>>) {
      const [user] = await db
        .update(users)
        .set({ ...values, updated_at: sql`now()` })
        .where(eq(users.id, id))
        .returning();
      return user;
    },

    /**
     * Makes sure a user with this exact id exists (Better Auth names its users). The email is kept only when no
     * other account has it: taking over an account by claiming its email is exactly what must not happen.
     */
    async ensureExternalUser(values: { id: string; email: string | null; name: string }) {
      const [created] = await db
        .insert(users)
        .values(values)
        .onConflictDoNothing()
        .returning({ id: users.id });
      if (created || !values.email) return;
      await db
        .insert(users)
        .values({ ...values, email: null })
        .onConflictDoNothing();
    },

    async findIdentity(provider: string, subject: string) {
      const [identity] = await db
        .select()
        .from(identities)
        .where(and(eq(identities.provider, provider), eq(identities.subject, subject)));
      return identity;
    },

    async linkIdentity(values: { provider: string; subject: string; user_id: string; email: string | null }) {
      await db.insert(identities).values(values).onConflictDoNothing();
    },

    async insertRefreshToken(values: NewRefreshToken) {
      await db.insert(refreshTokens).values(values);
    },

    async findRefreshToken(tokenHash: string) {
      const [token] = await db.select().from(refreshTokens).where(eq(refreshTokens.token_hash, tokenHash));
      return token;
    },

    /**
     * Marks a token as exchanged and stores its successor, in one transaction, so that a request finding the
     * token used also finds its child. False when another request already exchanged it (or it was revoked).
     */
    rotateRefreshToken(id: string, at: Date, next: NewRefreshToken) {
      return db.transaction(async (tx) => {
        const claimed = await tx
          .update(refreshTokens)
          .set({ used_at: at })
          .where(
            and(eq(refreshTokens.id, id), isNull(refreshTokens.used_at), isNull(refreshTokens.revoked_at)),
          )
          .returning({ id: refreshTokens.id });
        if (claimed.length === 0) return false;
        await tx.insert(refreshTokens).values({ ...next, parent_id: id });
        return true;
      });
    },

    /** The token issued last in a family (siblings issued together share a parent, so either one will do). */
    async findNewestRefreshToken(familyId: string) {
      const [token] = await db
        .select()
        .from(refreshTokens)
        .where(eq(refreshTokens.family_id, familyId))
        .orderBy(desc(refreshTokens.created_at))
        .limit(1);
      return token;
    },

    async revokeFamily(familyId: string, at: Date) {
      await db
        .update(refreshTokens)
        .set({ revoked_at: at })
        .where(and(eq(refreshTokens.family_id, familyId), isNull(refreshTokens.revoked_at)));
    },

    /** Whether a sign-in (refresh family) still has a token that is neither revoked nor expired. */
    async sessionActive(familyId: string, now: Date) {
      const [row] = await db
        .select({ id: refreshTokens.id })
        .from(refreshTokens)
        .where(
          and(
            eq(refreshTokens.family_id, familyId),
            isNull(refreshTokens.revoked_at),
            gt(refreshTokens.expires_at, now),
          ),
        )
        .limit(1);
      return row !== undefined;
    },

    async revokeAllRefreshTokens(userId: string, at: Date) {
      await db
        .update(refreshTokens)
        .set({ revoked_at: at })
        .where(and(eq(refreshTokens.user_id, userId), isNull(refreshTokens.revoked_at)));
    },

    async createApiToken(values: {
      user_id: string;
      name: string;
      token_hash: string;
      scopes: string[];
      expires_at: Date;
    }) {
      const [token] = await db.insert(apiTokens).values(values).returning();
      if (!token) throw new Error('insert returned no row');
      return token;
    },

    listApiTokens(userId: string) {
      return db
        .select()
        .from(apiTokens)
        .where(eq(apiTokens.user_id, userId))
        .orderBy(desc(apiTokens.created_at));
    },

    async deleteApiToken(userId: string, id: string) {
      const deleted = await db
        .delete(apiTokens)
        .where(and(eq(apiTokens.id, id), eq(apiTokens.user_id, userId)))
        .returning({ id: apiTokens.id });
      return deleted.length === 1;
    },

    async deleteAllApiTokens(userId: string) {
      await db.delete(apiTokens).where(eq(apiTokens.user_id, userId));
    },

    async findApiTokenByHash(tokenHash: string) {
      const [token] = await db.select().from(apiTokens).where(eq(apiTokens.token_hash, tokenHash));
      return token;
    },

    async touchApiToken(id: string, at: Date) {
      await db.update(apiTokens).set({ last_used_at: at }).where(eq(apiTokens.id, id));
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;
