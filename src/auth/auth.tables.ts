import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/**
 * People who use Doable. The id is text, not a uuid column, because a Better Auth front end names its users
 * and seed clients call `/api/{user_id}/tasks` with that very id.
 */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    email: text('email'),
    name: text('name').notNull().default(''),
    /** argon2id PHC string; null for accounts that only sign in through a provider. */
    password_hash: text('password_hash'),
    timezone: text('timezone').notNull().default('UTC'),
    /**
     * Granted by an operator (`npm run admin`), never by what a user typed: an e-mail in ADMIN_EMAILS counts only
     * when a sign-in provider verified it (see DESIGN).
     */
    is_admin: boolean('is_admin').notNull().default(false),
    created_at: createdAt(),
    updated_at: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

/** Links a user to an outside identity: an OAuth provider account or a Better Auth subject. */
export const identities = pgTable(
  'identities',
  {
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email'),
    created_at: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.subject] }), index('identities_user_idx').on(t.user_id)],
);

/**
 * Opaque refresh tokens, stored as SHA-256 hashes. Every login starts a family; each refresh replaces the
 * token with a new one of the same family, so a replayed old token can revoke the whole family. `parent_id` tells
 * whether a replayed token is the parent of the family's newest one (two tabs at once) or older (a copy).
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    family_id: uuid('family_id').notNull(),
    token_hash: text('token_hash').notNull(),
    /** The token that was exchanged for this one; null for the first token of a sign-in. */
    parent_id: uuid('parent_id'),
    expires_at: timestamp('expires_at', { withTimezone: true }).notNull(),
    /**
     * When the person last proved who they are (a password or a provider sign-in) in this family; rotation copies
     * it. Credential changes need it to be recent. Null for families started before it was recorded.
     */
    auth_time: timestamp('auth_time', { withTimezone: true }),
    /** When this token was exchanged for its successor. */
    used_at: timestamp('used_at', { withTimezone: true }),
    revoked_at: timestamp('revoked_at', { withTimezone: true }),
    created_at: createdAt(),
  },
  (t) => [
    uniqueIndex('refresh_tokens_hash_key').on(t.token_hash),
    index('refresh_tokens_family_idx').on(t.family_id),
    index('refresh_tokens_user_idx').on(t.user_id),
  ],
);

/** Personal API tokens for scripts and MCP clients; the secret is shown once and kept only as a hash. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    user_id: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    token_hash: text('token_hash').notNull(),
    /** What the token may do (see auth/scopes.ts); tokens made before scopes existed keep full rights. */
    scopes: text('scopes').array().notNull().default(sql`'{account}'::text[]`),
    /** Null: never expires (only tokens made before expiry existed). */
    expires_at: timestamp('expires_at', { withTimezone: true }),
    created_at: createdAt(),
    last_used_at: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.token_hash), index('api_tokens_user_idx').on(t.user_id)],
);
