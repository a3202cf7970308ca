import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers.ts';
import { type Database, rowsOf } from '../../db/database.ts';
import { hashToken } from '../secrets.ts';
import { createAdapter } from './mcp-oauth.adapter.ts';
import { createMcpOAuthRepository } from './mcp-oauth.repository.ts';

let database: Database;
let now = new Date('2026-03-01T12:00:00Z');
const DAY = 24 * 60 * 60_000;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const Adapter = () => createAdapter({ repository: createMcpOAuthRepository(database.db), clock: () => now });
const later = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

async function rows(kind: string) {
  const result = await database.db.execute(
    sql`select id, payload::text as payload from oauth_records where kind = ${kind} order by created_at`,
  );
  return rowsOf<{ id: string; payload: string }>(result);
}

describe('the oidc-provider adapter on the database', () => {
  it('sweeps a grant that holds no live token a day after it was made, and keeps one that does', async () => {
    const adapter = Adapter();
    const grants = new adapter('Grant');
    const tokens = new adapter('RefreshToken');
    await grants.upsert('abandoned', { jti: 'abandoned', clientId: 'c' }, 365 * 24 * 3600);
    await grants.upsert('in-use', { jti: 'in-use', clientId: 'c' }, 365 * 24 * 3600);
    await tokens.upsert('doable_ort_in-use', { jti: 'doable_ort_in-use', grantId: 'in-use' }, 30 * 24 * 3600);
    await database.db.execute(
      sql`update oauth_records set created_at = created_at - interval '2 days' where kind = 'Grant'`,
    );
    later(2 * 60_000);
    await tokens.upsert('doable_ort_other', { jti: 'doable_ort_other', grantId: 'none' }, 60);
    expect(await grants.find('abandoned')).toBeUndefined();
    expect(await grants.find('in-use')).toBeDefined();
  });

  it('stores a credential only as its hash and gives it back under the value it was asked by', async () => {
    const tokens = new (Adapter())('AccessToken');
    const value = 'doable_oat_the-token-value';
    await tokens.upsert(value, { jti: value, grantId: 'g1', clientId: 'c1', scope: 'tasks:read' }, 3600);
    const [stored] = await rows('AccessToken');
    expect(stored?.id).toBe(hashToken(value));
    expect(stored?.payload).not.toContain('the-token-value');
    expect(await tokens.find(value)).toMatchObject({ jti: value, grantId: 'g1', scope: 'tasks:read' });
    expect(await tokens.find('doable_oat_another')).toBeUndefined();
  });

  it('keeps clients and grants under their own ids', async () => {
    const clients = new (Adapter())('Client');
    await clients.upsert('client-1', { client_id: 'client-1', redirect_uris: ['http://127.0.0.1/cb'] });
    expect((await rows('Client'))[0]?.id).toBe('client-1');
    expect(await clients.find('client-1')).toEqual({
      client_id: 'client-1',
      redirect_uris: ['http://127.0.0.1/cb'],
    });
  });

  it('forgets a record at its expiry, and says when a code was used', async () => {
    const codes = new (Adapter())('AuthorizationCode');
    await codes.upsert('code-1', { jti: 'code-1', grantId: 'g2' }, 60);
    await codes.consume('code-1');
    expect(await codes.find('code-1')).toMatchObject({ consumed: Math.floor(now.getTime() / 1000) });
    later(61_000);
    expect(await codes.find('code-1')).toBeUndefined();
  });

  it('consumes a refresh token once: a request that loses the race to it ends its connection', async () => {
    const adapter = Adapter();
    const grants = new adapter('Grant');
    const tokens = new adapter('RefreshToken');
    await grants.upsert('raced', { jti: 'raced', clientId: 'c' }, 3600);
    await tokens.upsert('doable_ort_raced', { jti: 'doable_ort_raced', grantId: 'raced' }, 600);
    await tokens.upsert('doable_ort_next', { jti: 'doable_ort_next', grantId: 'raced' }, 600);
    // Both requests read it unused (oidc-provider checks, then consumes): only the first write may win.
    const results = await Promise.allSettled([
      tokens.consume('doable_ort_raced'),
      tokens.consume('doable_ort_raced'),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((result) => result.status === 'rejected');
    expect(refused?.reason).toMatchObject({ error: 'invalid_grant' });
    expect(await grants.find('raced')).toBeUndefined();
    expect(await tokens.find('doable_ort_next')).toBeUndefined();
  });

  it('revokes by grant and finds sessions by uid', async () => {
    const adapter = Adapter();
    const tokens = new adapter('RefreshToken');
    await tokens.upsert('doable_ort_1', { jti: 'doable_ort_1', grantId: 'g3' }, 600);
    await tokens.upsert('doable_ort_2', { jti: 'doable_ort_2', grantId: 'g4' }, 600);
    await tokens.revokeByGrantId('g3');
    expect(await tokens.find('doable_ort_1')).toBeUndefined();
    expect(await tokens.find('doable_ort_2')).toBeDefined();
    const sessions = new adapter('Session');
    await sessions.upsert(
      'cookie-value',
      { jti: 'cookie-value', uid: 'session-uid', accountId: undefined },
      600,
    );
    expect(await sessions.findByUid('session-uid')).toMatchObject({ uid: 'session-uid' });
    await sessions.destroy('cookie-value');
    expect(await sessions.findByUid('session-uid')).toBeUndefined();
  });

  it('treats text PostgreSQL cannot hold as a miss, and stores it mended', async () => {
    const clients = new (Adapter())('Client');
    expect(await clients.find('a\u0000b')).toBeUndefined();
    expect(await clients.find('\ud800')).toBeUndefined();
    await clients.upsert('client-odd', { client_id: 'client-odd', client_name: 'nul\u0000 and \ud800' });
    expect(await clients.find('client-odd')).toEqual({
      client_id: 'client-odd',
      client_name: 'nul\ufffd and \ufffd',
    });
  });

  it('sweeps expired records, and registrations no grant named for a week, as later writes happen', async () => {
    const adapter = Adapter();
    const interactions = new adapter('Interaction');
    const clients = new adapter('Client');
    const grants = new adapter('Grant');
    await interactions.upsert('old', { jti: 'old' }, 60);
    await clients.upsert('unused', { client_id: 'unused' });
    await clients.upsert('connected', { client_id: 'connected' });
    await grants.upsert('grant-1', { jti: 'grant-1', clientId: 'connected' }, 365 * 24 * 3600);
    await database.db.execute(
      sql`update oauth_records set created_at = ${new Date(now.getTime() - 8 * DAY).toISOString()}::timestamptz
        where kind = 'Client' and id in ('unused', 'connected')`,
    );
    later(2 * 60_000);
    await interactions.upsert('new', { jti: 'new' }, 60);
    const left = await database.db.execute(
      sql`select kind, id from oauth_records where id in ('unused', 'connected', ${hashToken('old')}, ${hashToken('new')})`,
    );
    expect(
      rowsOf<{ kind: string; id: string }>(left)
        .map((row) => `${row.kind} ${row.id}`)
        .sort(),
    ).toEqual(['Client connected', `Interaction ${hashToken('new')}`]);
  });

  it('sweeps a flood of expired sign-in requests in one run, in batches, and no more than its bound', async () => {
    const repository = createMcpOAuthRepository(database.db);
    const flood = async (count: number) =>
      database.db.execute(sql`
        insert into oauth_records (kind, id, payload, expires_at, created_at)
        select 'Interaction', 'flood-' || n, '{}'::jsonb, ${new Date(now.getTime() - 60_000).toISOString()}::timestamptz,
          ${now.toISOString()}::timestamptz
        from generate_series(1, ${count}) n`);
    const left = async () =>
      rowsOf<{ n: number }>(
        await database.db.execute(sql`select count(*)::int as n from oauth_records where id like 'flood-%'`),
      )[0]?.n;
    // Far more than one batch: a sweep of a hundred rows a minute never caught up with anonymous requests.
    await flood(1_234);
    later(2 * 60_000);
    await new (Adapter())('Interaction').upsert('after-the-flood', { jti: 'after-the-flood' }, 60);
    expect(await left()).toBe(0);
    // One run stops at its bound (10,000 rows of a sort), so that the write that sweeps is not held for long.
    await flood(10_250);
    expect(await repository.sweep(now)).toBe(10_000);
    expect(await left()).toBe(250);
    expect(await repository.sweep(now)).toBe(250);
  }, 30_000);
});
