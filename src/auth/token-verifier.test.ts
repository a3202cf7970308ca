import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuthRepository } from './auth.repository.ts';
import { TokenVerifier } from './token-verifier.ts';

/** A verifier over the repository methods given, at the clock given. */
function verifierOver(repository: Partial<AuthRepository>, clock: () => Date, verifiedTokensKept?: number) {
  return new TokenVerifier({
    jwtSecret: 'a test secret that is long enough for HS256 tokens',
    accessTokenMinutes: 15,
    betterAuthSecret: undefined,
    betterAuthUrl: undefined,
    repository: repository as AuthRepository,
    clock,
    ...(verifiedTokensKept === undefined ? {} : { verifiedTokensKept }),
  });
}

/** A verifier whose account lookups are counted: a lookup happens only when a token is verified afresh. */
function countingVerifier(now: { at: Date }) {
  const lookups: string[] = [];
  const verifier = verifierOver(
    {
      userExists: async (id: string) => {
        lookups.push(id);
        return true;
      },
    },
    () => now.at,
    2,
  );
  const issue = async () =>
    (await verifier.issueAccessToken({ id: randomUUID(), email: null }, null, randomUUID())).token;
  return { verifier, lookups, issue };
}

describe('verified access tokens', () => {
  it('are remembered, at most as many as allowed, the oldest forgotten first', async () => {
    const { verifier, lookups, issue } = countingVerifier({ at: new Date() });
    const [first, second, third] = [await issue(), await issue(), await issue()];
    await verifier.verify(first);
    await verifier.verify(first);
    await verifier.verify(second);
    expect(lookups).toHaveLength(2);
    await verifier.verify(third); // the cache is full: the first is forgotten
    await verifier.verify(third);
    await verifier.verify(second);
    expect(lookups).toHaveLength(3);
    await verifier.verify(first);
    expect(lookups).toHaveLength(4);
  });

  it('are not remembered past their expiry', async () => {
    const now = { at: new Date() };
    const { verifier, issue } = countingVerifier(now);
    const token = await issue();
    await verifier.verify(token);
    now.at = new Date(now.at.getTime() + 16 * 60_000);
    await expect(verifier.verify(token)).rejects.toMatchObject({ status: 401 });
  });
});

describe('checking a credential again (a live update stream)', () => {
  it('looks a personal API token up once, without touching its last use, and leaves signed tokens alone', async () => {
    const calls: string[] = [];
    let revoked = false;
    const verifier = verifierOver(
      {
        userExists: async () => true,
        findApiTokenByHash: async () => {
          calls.push('find');
          return revoked
            ? undefined
            : { id: 't1', user_id: 'u1', scopes: ['tasks:read'], expires_at: null, last_used_at: null };
        },
        touchApiToken: async () => void calls.push('touch'),
      } as unknown as Partial<AuthRepository>,
      () => new Date(),
    );
    await verifier.verify('doable_pat_abc');
    expect(calls).toEqual(['find', 'touch']);
    calls.length = 0;
    await expect(verifier.recheck('doable_pat_abc')).resolves.toMatchObject({
      userId: 'u1',
      via: 'api_token',
    });
    expect(calls).toEqual(['find']);
    revoked = true;
    await expect(verifier.recheck('doable_pat_abc')).rejects.toMatchObject({ status: 401 });
    const signed = await verifier.issueAccessToken({ id: 'u1', email: null }, null, randomUUID());
    expect(verifier.recheck(signed.token)).toBeUndefined();
  });
});
