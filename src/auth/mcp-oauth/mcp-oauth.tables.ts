import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../auth.tables.ts';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * Everything the OAuth authorization server for MCP clients keeps (oidc-provider's "models"): registered clients,
 * sign-in requests in progress (interactions), grants, authorization codes, access and refresh tokens, and its
 * short browser sessions. One row per model instance, in Doable's database, so that every instance serves every
 * step of a sign-in (see mcp-oauth.adapter.ts, which reads and writes it).
 *
 * `id` is the model's own id, except for the kinds whose id is a credential (tokens, codes, the cookies' values),
 * where it is the SHA-256 of it, as for personal API tokens: a copy of the database signs nobody in. The other
 * columns are copied out of `payload` for the lookups oidc-provider makes (by grant, by session uid) and for
 * Doable's own (an account's connected apps). Rows past `expires_at` are never read, and are swept by later writes.
 */
export const oauthRecords = pgTable(
  'oauth_records',
  {
    /** oidc-provider's model name: Client, Grant, AccessToken, RefreshToken, AuthorizationCode, Interaction, … */
    kind: text('kind').notNull(),
    id: text('id').notNull(),
    payload: jsonb('payload').notNull(),
    grant_id: text('grant_id'),
    /** A session's uid (oidc-provider looks sessions up by it). */
    uid: text('uid'),
    /** Whose it is: deleting the account deletes its grants, codes and tokens. */
    account_id: text('account_id').references(() => users.id, { onDelete: 'cascade' }),
    client_id: text('client_id'),
    /** Null: never (a registered client). */
    expires_at: timestamptz('expires_at'),
    /** When a code or a refresh token was used; a second use revokes its grant. */
    consumed_at: timestamptz('consumed_at'),
    /** Grants: the app as the person saw it when they allowed it (name, web site, redirect host). */
    shown: jsonb('shown'),
    /** Grants: when one of its access tokens was last used (at most once a minute). */
    last_used_at: timestamptz('last_used_at'),
    created_at: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.id] }),
    index('oauth_records_grant_idx').on(t.grant_id).where(sql`${t.grant_id} is not null`),
    index('oauth_records_uid_idx').on(t.uid).where(sql`${t.uid} is not null`),
    index('oauth_records_account_idx').on(t.account_id, t.client_id).where(sql`${t.account_id} is not null`),
    index('oauth_records_expires_idx').on(t.expires_at),
  ],
);
