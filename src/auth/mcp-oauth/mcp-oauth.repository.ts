import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { and, desc, eq, gt, inArray, isNull, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { type AnyPgColumn, alias } from 'drizzle-orm/pg-core';
import { type Db, rowsOf } from '../../db/database.ts';
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

/**
 * The sweep's batches: small enough that one statement holds few locks and little time, and a run bounded (here
 * 10,000 rows of each sort) so that the write that happens to sweep is not held for long after a flood; what is
 * left goes at the next run, a minute later.
 */
const SWEEP_BATCH = 500;
const SWEEP_MAX_BATCHES = 20;

/** A live token or code of a grant (`grantId`, a column or expression naming the grant's id). */
const liveTokenOf = (grantId: SQLWrapper, now: Date) => sql`
  select 1 from ${oauthRecords} token
  where token.grant_id = ${grantId} and token.kind in ('AccessToken', 'RefreshToken', 'AuthorizationCode')
    and token.expires_at > ${now.toISOString()}::timestamptz`;

/** Not past its expiry (records without one never expire). */
const live = (expiresAt: AnyPgColumn, now: Date) => or(isNull(expiresAt), gt(expiresAt, now));

export function createMcpOAuthRepository(db: Db) {
  /**
   * Deletes the rows `select` picks (`kind, id`, at most `limit`), batch after batch until a batch comes back
   * short or SWEEP_MAX_BATCHES have run; other statements get their turn between batches.
   */
  async function inBatches(select: (limit: number) => SQL): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < SWEEP_MAX_BATCHES; batch++) {
      if (batch > 0) await yieldToOthers();
      const result = await db.execute(sql`
        with deleted as (
          delete from ${oauthRecords} where (kind, id) in (${select(SWEEP_BATCH)}) returning 1)
        select count(*)::int as n from deleted`);
      const deleted = rowsOf<{ n: number }>(result)[0]?.n ?? 0;
      total += deleted;
      if (deleted < SWEEP_BATCH) break;
    }
    return total;
  }

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
     * Forgets records that expired before `before`, grants that never got a token, and dynamically registered
     * clients that no grant has named for a week. Each kind goes in batches until one comes back short, so that a
     * flood of anonymous sign-in requests or registrations is cleared by the next sweep rather than outgrowing it,
     * while no single statement holds many rows' locks; rows another transaction holds are skipped rather than
     * waited for. Answers how many rows went.
     */
    async sweep(before: Date): Promise<number> {
      const at = sql`${before.toISOString()}::timestamptz`;
      const expired = await inBatches(
        (limit) =>
          sql`select kind, id from ${oauthRecords} where expires_at < ${at} limit ${limit} for update skip locked`,
      );
      // A grant that holds no live token or code a day after it was made: allowed on the page, but the browser
      // never came back to finish, or every token of it has run out.
      const unusedGrants = await inBatches(
        (limit) => sql`
          select kind, id from ${oauthRecords} grant_row
          where kind = 'Grant' and created_at < ${at} - interval '1 day'
            and not exists (${liveTokenOf(sql`grant_row.id`, before)})
          limit ${limit} for update skip locked`,
      );
      const unusedClients = await inBatches(
        (limit) => sql`
          select kind, id from ${oauthRecords} client
          where kind = 'Client' and created_at < ${at} - make_interval(days => ${UNUSED_CLIENT_DAYS})
            and not exists (select 1 from ${oauthRecords} grant_row
              where grant_row.kind = 'Grant' and grant_row.client_id = client.id)
          limit ${limit} for update skip locked`,
      );
      return expired + unusedGrants + unusedClients;
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
