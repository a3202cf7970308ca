import type { FastifyInstance } from 'fastify';
import { tooManyRequests } from '../http/rate-limit.ts';

export interface LoginThrottleOptions {
  /** Failed sign-ins to one account from one address per minute before that address must wait. */
  failuresPerMinute: number;
  /** Failed sign-ins to one account from all addresses per hour before the account counts as under attack. */
  accountFailuresPerHour: number;
}

/**
 * Stops password guessing without handing anyone a way to lock the owner out. Only failures count, never a
 * correct password. They are counted per account *and* address, so a guesser elsewhere cannot make the owner's
 * own address wait; a correct password clears that address's count. Failures across all addresses are counted
 * too: past their ceiling the account is under attack, and each address gets one failure per minute instead of
 * the usual few. That slows a guesser spread over many addresses while the owner, who rarely mistypes, still
 * signs in. Keys are hashed (see rate-limit.ts): the store holds no e-mail address.
 */
export function createLoginThrottle(app: FastifyInstance, options: LoginThrottleOptions) {
  const fromAddress = app.counter({
    name: 'login-failures',
    max: options.failuresPerMinute,
    windowSeconds: 60,
  });
  const onAccount = app.counter({
    name: 'login-failures-account',
    max: options.accountFailuresPerHour,
    windowSeconds: 3600,
  });
  const accountKey = (identifier: string) => identifier.trim().toLowerCase();
  const pairKey = (identifier: string, address: string) => `${accountKey(identifier)}\n${address}`;

  return {
    /** Throws 429 when this address has used up its failures for this account. */
    async check(identifier: string, address: string): Promise<void> {
      const [pair, account] = await Promise.all([
        fromAddress.peek(pairKey(identifier, address)),
        onAccount.peek(accountKey(identifier)),
      ]);
      const allowed = account.used >= options.accountFailuresPerHour ? 1 : options.failuresPerMinute;
      if (pair.used < allowed) return;
      const seconds = Math.max(1, pair.resetSeconds);
      throw tooManyRequests(
        allowed,
        pair,
        `Too many failed sign-ins to this account from your address; check the password and try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
      );
    },
    async failed(identifier: string, address: string): Promise<void> {
      await Promise.all([
        fromAddress.add(pairKey(identifier, address)),
        onAccount.add(accountKey(identifier)),
      ]);
    },
    async succeeded(identifier: string, address: string): Promise<void> {
      await fromAddress.reset(pairKey(identifier, address));
    },
  };
}
