import { hashToken } from '../secrets.ts';
import type { McpOAuthRepository } from './mcp-oauth.repository.ts';

/** Kinds whose id is no credential, kept as it is: a client's id is public, a grant's is only ever named by tokens. */
const PLAIN_IDS = new Set(['Client', 'Grant']);

/** Expired records are swept by writes, at most this often per instance. */
const SWEEP_EVERY_MS = 60_000;

type Payload = Record<string, unknown> & {
  jti?: string;
  grantId?: string;
  uid?: string;
  accountId?: string;
  clientId?: string;
  client_id?: string;
};

/**
 * Text PostgreSQL can store: a client may put NUL or half a surrogate pair anywhere (a registration's
 * `client_name`, a `client_id` in a form), which text and jsonb columns refuse with an error, not a miss.
 */
const storable = (value: string) => value.isWellFormed() && !value.includes('\0');
const text = (value: unknown) => (typeof value === 'string' && storable(value) ? value : null);
const clean = (_key: string, value: unknown) =>
  typeof value === 'string' && !storable(value) ? value.toWellFormed().replaceAll('\0', '\ufffd') : value;

export interface AdapterOptions {
  repository: McpOAuthRepository;
  clock: () => Date;
  /** Throws to refuse the request before a code or refresh token is consumed (see `consume`). */
  beforeConsume?: () => void;
}

/**
 * oidc-provider's storage adapter (its interface: https://github.com/panva/node-oidc-provider/blob/main/example/my_adapter.js),
 * on the `oauth_records` table of Doable's database, PGlite or PostgreSQL: every instance reads what another
 * wrote, so a sign-in started on one is finished on any. One instance of the class per model (oidc-provider's
 * kinds), as oidc-provider constructs it.
 *
 * A credential is never stored: for every kind but clients and grants, the row's id is the SHA-256 of the id
 * (a token's value, a cookie's), and `jti` is left out of the stored payload and put back from the id asked for.
 * Expiry is the row's `expires_at`, which reads respect; expired rows are deleted by later writes.
 */
export function createAdapter({ repository, clock, beforeConsume }: AdapterOptions) {
  let lastSweep = 0;
  return class DatabaseAdapter {
    readonly kind: string;

    constructor(kind: string) {
      this.kind = kind;
    }

    /** The row's id, or undefined for an id no row can have. */
    #key(id: unknown): string | undefined {
      if (typeof id !== 'string') return undefined;
      if (!PLAIN_IDS.has(this.kind)) return hashToken(id);
      return storable(id) ? id : undefined;
    }

    #restore(id: string | undefined, row: { payload: unknown; consumed_at: Date | null } | undefined) {
      if (!row) return undefined;
      const payload = { ...(row.payload as Payload) };
      if (id !== undefined && !PLAIN_IDS.has(this.kind)) payload.jti = id;
      if (row.consumed_at) payload.consumed = Math.floor(row.consumed_at.getTime() / 1000);
      return payload;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number) {
      const now = clock();
      const key = this.#key(id);
      if (key === undefined) throw new Error(`oidc-provider saved a ${this.kind} with an id no row can have`);
      const stored = PLAIN_IDS.has(this.kind) ? payload : { ...payload, jti: undefined };
      await repository.upsert({
        kind: this.kind,
        id: key,
        payload: JSON.parse(JSON.stringify(stored, clean)),
        grant_id: text(payload.grantId),
        uid: text(payload.uid),
        account_id: text(payload.accountId),
        client_id: text(payload.clientId) ?? text(payload.client_id),
        expires_at: typeof expiresIn === 'number' ? new Date(now.getTime() + expiresIn * 1000) : null,
        // By the app's clock, as expiry is, so that the sweep's "a day after it was made" agrees with it.
        created_at: now,
      });
      if (now.getTime() - lastSweep >= SWEEP_EVERY_MS) {
        lastSweep = now.getTime();
        await repository.sweep(now);
      }
    }

    async find(id: string) {
      const key = this.#key(id);
      if (key === undefined) return undefined;
      return this.#restore(id, await repository.find(this.kind, key, clock()));
    }

    async findByUid(uid: string) {
      if (typeof uid !== 'string' || !storable(uid)) return undefined;
      return this.#restore(undefined, await repository.findByUid(this.kind, uid, clock()));
    }

    /** Device flow only, which is off. */
    async findByUserCode() {
      return undefined;
    }

    async consume(id: string) {
      beforeConsume?.();
      const key = this.#key(id);
      if (key === undefined || (await repository.consume(this.kind, key, clock()))) return;
      // Another request with the same code or refresh token got there between oidc-provider's check and this
      // write: the reuse it detects one request after the other, met the same way (the connection ends).
      await repository.revokeGrantOf(this.kind, key);
      // Imported here, not at the top: oidc-provider loads with the first sign-in, not at start.
      const { errors } = await import('oidc-provider');
      throw new errors.InvalidGrant(
        `${this.kind === 'RefreshToken' ? 'refresh token' : 'code'} already used`,
      );
    }

    async destroy(id: string) {
      const key = this.#key(id);
      if (key !== undefined) await repository.destroy(this.kind, key);
    }

    async revokeByGrantId(grantId: string) {
      if (typeof grantId === 'string' && storable(grantId))
        await repository.revokeByGrantId(this.kind, grantId);
    }
  };
}
