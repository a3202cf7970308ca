import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { createAuthRepository } from './auth.repository.ts';
import { identities, users } from './auth.tables.ts';
import { hashPassword } from './passwords.ts';

export interface AdminAccount {
  id: string;
  email: string | null;
  name: string;
}

const byEmail = (email: string) => sql`lower(${users.email}) = lower(${email.trim()})`;

/**
 * The operator's grant (`npm run admin`): `users.is_admin`, which needs no sign-in provider. The account must
 * exist; the answer is the account changed, or undefined when no account has that email.
 */
export async function setAdmin(db: Db, email: string, isAdmin: boolean): Promise<AdminAccount | undefined> {
  const [row] = await db
    .update(users)
    .set({ is_admin: isAdmin, updated_at: new Date() })
    .where(byEmail(email))
    .returning({ id: users.id, email: users.email, name: users.name });
  return row;
}

/**
 * The operator's way back into an account whose password is forgotten (`npm run admin -- reset-password`), since
 * Doable sends no mail: the password is set and every sign-in of the account ends (its refresh tokens are
 * revoked), as a password change in Settings does. Undefined when no account has that email.
 */
export async function resetPassword(
  db: Db,
  email: string,
  password: string,
): Promise<AdminAccount | undefined> {
  const now = new Date();
  const [row] = await db
    .update(users)
    .set({ password_hash: await hashPassword(password), updated_at: now })
    .where(byEmail(email))
    .returning({ id: users.id, email: users.email, name: users.name });
  if (row) await createAuthRepository(db).revokeAllRefreshTokens(row.id, now);
  return row;
}

/**
 * The operator's deletion of an account (`npm run admin -- delete-account`), which the person cannot do yet
 * themselves: the account and all it holds go (its tasks, lists with their tasks, conversations, tokens, sign-ins,
 * connected apps, by the tables' cascades); in lists shared with it, the tasks it added stay the owner's and
 * name nobody as their maker. Undefined when no account has that email.
 */
export async function deleteAccount(db: Db, email: string): Promise<AdminAccount | undefined> {
  const [row] = await db
    .delete(users)
    .where(byEmail(email))
    .returning({ id: users.id, email: users.email, name: users.name });
  return row;
}

export async function listAdmins(db: Db): Promise<AdminAccount[]> {
  return db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.is_admin, true))
    .orderBy(asc(users.email));
}

/**
 * What may make an account an administrator: the flag an operator sets (`npm run admin`), and the email
 * addresses a sign-in provider verified for it (identities keep an email only when it was verified).
 */
export async function adminStanding(
  db: Db,
  userId: string,
): Promise<{ isAdmin: boolean; verifiedEmails: string[] }> {
  const rows = await db
    .select({ isAdmin: users.is_admin, email: identities.email })
    .from(users)
    .leftJoin(identities, eq(identities.user_id, users.id))
    .where(eq(users.id, userId));
  return {
    isAdmin: rows.some((row) => row.isAdmin),
    verifiedEmails: rows.flatMap((row) => (row.email ? [row.email] : [])),
  };
}
