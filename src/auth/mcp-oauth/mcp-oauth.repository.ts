import { and, desc, eq, gt, inArray, isNull, or, type SQLWrapper, sql } from 'drizzle-orm';
import { type AnyPgColumn, alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/database.ts';
import type { RedirectKind } from './mcp-oauth.schemas.ts';
import { oauthRecords } from './mcp-oauth.tables.ts';

export type OAuthRecord = typeof oauthRecords.$inferSelect;
type NewOAuthRecord = Pick<
  typeof oauthRecords.$inferInsert,
  'kind' | 'id' | 'payload' | 'grant_id' | 'uid' | 'account_id' | 'client_id' | 'expires_at' | 'created_at'
>;

/** What the consent page showed of an app, kept on its grant for the list of connected apps. */
export interface ShownClient {
  name: string;
  client_uri: string | null;
  logo_uri: string | null;
  redirect_host: string;
  redirect_kind: RedirectKind;
  registration: 'metadata_document' | 'dynamic';
}

/** The kinds that make up an app's connection to an account: removing them disconnects it at once. */
const CONNECTION_KINDS = ['Grant', 'AccessToken', 'RefreshToken', 'AuthorizationCode'];

/** A dynamically registered client that no grant names is forgotten this long after it registered. */
const UNUSED_CLIENT_DAYS = 7;

/** A live token or code of a grant (`grantId`, a column or expression naming the grant's id). */
const liveTokenOf = (grantId: SQLWrapper, now: Date) => sql`
  select 1 from ${oauthRecords} token
  where token.grant_id = ${grantId} and token.kind in ('AccessToken', 'RefreshToken', 'AuthorizationCode')
    and token.expires_at > ${now.toISOString()}::timestamptz`;

/** Not past its expiry (records without one never expire). */
const live = (expiresAt: AnyPgColumn, now: Date) => or(isNull(expiresAt), gt(expiresAt, now));

export function createMcpOAuthRepository(db: Db) {
  return {
    async upsert(record: NewOAuthRecord) {
      // Only what the model owns is replaced: a grant keeps what was shown and when it was last used.
      const { payload, grant_id, uid, account_id, client_id, expires_at } = record;
      await db
        .insert(oauthRecords)
        .values(record)
        .onConflictDoUpdate({
          target: [oauthRecords.kind, oauthRecords.id],
          set: { payload, grant_id, uid, account_id, client_id, expires_at },
        });
    },

    /** A record that has not expired by `now`. */
    async find(kind: string, id: string, now: Date) {
      const [row] = await db
        .select({ payload: oauthRecords.payload, consumed_at: oauthRecords.consumed_at })
        .from(oauthRecords)
        .where(and(eq(oauthRecords.kind, kind), eq(oauthRecords.id, id), live(oauthRecords.expires_at, now)));
      return row;
    },

    async findByUid(kind: string, uid: string, now: Date) {
      const [row] = await db
        .select({ payload: oauthRecords.payload, consumed_at: oauthRecords.consumed_at })
        .from(oauthRecords)
        .where(
          and(eq(oauthRecords.kind, kind), eq(oauthRecords.uid, uid), live(oauthRecords.expires_at, now)),
        )
        .limit(1);
      return row;
    },

    /**
     * Marks a code or refresh token used, once: true for the request that did, false when another request did
     * first (oidc-provider checks, then consumes; two requests with one token can both pass the check).
     */
    async consume(kind: string, id: string, at: Date): Promise<boolean> {
      const consumed = await db
        .update(oauthRecords)
        .set({ consumed_at: at })
        .where(and(eq(oauthRecords.kind, kind), eq(oauthRecords.id, id), isNull(oauthRecords.consumed_at)))
        .returning({ id: oauthRecords.id });
      return consumed.length > 0;
    },

    /** Ends the connection a code or token belongs to: its grant and everything issued under it. */
    async revokeGrantOf(kind: string, id: string) {
      const [record] = await db
        .select({ grant_id: oauthRecords.grant_id })
        .from(oauthRecords)
        .where(and(eq(oauthRecords.kind, kind), eq(oauthRecords.id, id)));
      if (!record?.grant_id) return;
      await db
        .delete(oauthRecords)
        .where(
          or(
            and(eq(oauthRecords.kind, 'Grant'), eq(oauthRecords.id, record.grant_id)),
            and(eq(oauthRecords.grant_id, record.grant_id), inArray(oauthRecords.kind, CONNECTION_KINDS)),
          ),
        );
    },

    /** Ends every connection of an account (a password change, a sign-out everywhere). */
    async disconnectAll(accountId: string) {
      await db
        .delete(oauthRecords)
        .where(and(eq(oauthRecords.account_id, accountId), inArray(oauthRecords.kind, CONNECTION_KINDS)));
    },

    async destroy(kind: string, id: string) {
      await db.delete(oauthRecords).where(and(eq(oauthRecords.kind, kind), eq(oauthRecords.id, id)));
    },

    async revokeByGrantId(kind: string, grantId: string) {
      await db
        .delete(oauthRecords)
        .where(and(eq(oauthRecords.kind, kind), eq(oauthRecords.grant_id, grantId)));
    },

    /**
     * Forgets up to 100 records that expired before `before`, and up to 100 dynamically registered clients that
     * no grant has named for a week; rows another transaction holds are skipped rather than waited for.
     */
    async sweep(before: Date) {
      await db.execute(sql`
        delete from ${oauthRecords} where (kind, id) in (
          select kind, id from ${oauthRecords} where expires_at < ${before.toISOString()}::timestamptz
          limit 100 for update skip locked)`);
      // A grant that holds no live token or code a day after it was made: allowed on the page, but the browser
      // never came back to finish, or every token of it has run out.
      await db.execute(sql`
        delete from ${oauthRecords} where (kind, id) in (
          select kind, id from ${oauthRecords} grant_row
          where kind = 'Grant'
            and created_at < ${before.toISOString()}::timestamptz - interval '1 day'
            and not exists (${liveTokenOf(sql`grant_row.id`, before)})
          limit 100 for update skip locked)`);
      await db.execute(sql`
        delete from ${oauthRecords} where (kind, id) in (
          select kind, id from ${oauthRecords} client
          where kind = 'Client'
            and created_at < ${before.toISOString()}::timestamptz - make_interval(days => ${UNUSED_CLIENT_DAYS})
            and not exists (select 1 from ${oauthRecords} grant_row
              where grant_row.kind = 'Grant' and grant_row.client_id = client.id)
          limit 100 for update skip locked)`);
    },

    /**
     * An access token by the hash of its value, with its grant's last use: one statement on the primary key.
     * Undefined when it is unknown, revoked (its row is gone) or its grant is gone; an expired one is returned, so
     * that the answer can say it expired.
     */
    async findAccessToken(hash: string, now: Date) {
      const grant = alias(oauthRecords, 'grant_row');
      const [row] = await db
        .select({
          payload: oauthRecords.payload,
          grant_id: oauthRecords.grant_id,
          last_used_at: grant.last_used_at,
        })
        .from(oauthRecords)
        .innerJoin(
          grant,
          and(eq(grant.kind, 'Grant'), eq(grant.id, oauthRecords.grant_id), live(grant.expires_at, now)),
        )
        .where(and(eq(oauthRecords.kind, 'AccessToken'), eq(oauthRecords.id, hash)));
      return row;
    },

    async touchGrant(grantId: string, at: Date) {
      await db
        .update(oauthRecords)
        .set({ last_used_at: at })
        .where(and(eq(oauthRecords.kind, 'Grant'), eq(oauthRecords.id, grantId)));
    },

    async showGrant(grantId: string, shown: ShownClient) {
      await db
        .update(oauthRecords)
        .set({ shown })
        .where(and(eq(oauthRecords.kind, 'Grant'), eq(oauthRecords.id, grantId)));
    },

    /** The account's grants that hold a live token or code (its connected apps), newest first. */
    listGrants(accountId: string, now: Date) {
      return db
        .select({
          client_id: oauthRecords.client_id,
          payload: oauthRecords.payload,
          shown: oauthRecords.shown,
          created_at: oauthRecords.created_at,
          last_used_at: oauthRecords.last_used_at,
        })
        .from(oauthRecords)
        .where(
          and(
            eq(oauthRecords.kind, 'Grant'),
            eq(oauthRecords.account_id, accountId),
            live(oauthRecords.expires_at, now),
            sql`exists (${liveTokenOf(oauthRecords.id, now)})`,
          ),
        )
        .orderBy(desc(oauthRecords.created_at));
    },

    /** Ends an app's connection to an account: its grants, codes and tokens, in one statement. */
    async disconnect(accountId: string, clientId: string) {
      const deleted = await db
        .delete(oauthRecords)
        .where(
          and(
            eq(oauthRecords.account_id, accountId),
            eq(oauthRecords.client_id, clientId),
            inArray(oauthRecords.kind, CONNECTION_KINDS),
          ),
        )
        .returning({ kind: oauthRecords.kind });
      return deleted.length;
    },
  };
}

export type McpOAuthRepository = ReturnType<typeof createMcpOAuthRepository>;
