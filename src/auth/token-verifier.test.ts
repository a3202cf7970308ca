import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuthRepository } from './auth.repository.ts';
import { TokenVerifier } from './token-verifier.ts';

/** A verifier whose account lookups are counted: a lookup happens only when a token is verified afresh. */
function countingVerifier(now: { at: Date }) {
  const lookups: string[] = [];
  const repository = {
    userExists: async (id: string) => {
      lookups.push(id);
      return true;
    },
  } as unknown as AuthRepository;
  const verifier = new TokenVerifier({
    jwtSecret: 'a test secret that is long enough for HS256 tokens',
    accessTokenMinutes: 15,
    betterAuthSecret: undefined,
    betterAuthUrl: undefined,
    repository,
    clock: () => now.at,
    verifiedTokensKept: 2,
  });
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
