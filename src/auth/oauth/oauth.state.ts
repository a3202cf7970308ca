import { hkdfSync } from 'node:crypto';
import { jwtDecrypt } from 'jose/jwt/decrypt';
import { EncryptJWT } from 'jose/jwt/encrypt';
import { z } from 'zod';
import { PROVIDER_IDS } from './oauth.schemas.ts';

/** How long a sign-in may take between leaving for the provider and coming back. */
export const STATE_TTL_SECONDS = 10 * 60;

const stateSchema = z.object({
  provider: z.enum(PROVIDER_IDS),
  state: z.string(),
  code_verifier: z.string(),
  nonce: z.string(),
  redirect_to: z.string().nullable(),
  /** The front end's own random value, handed back with the result (see startQuery.return_state). */
  return_state: z.string().nullable().optional(),
});

export type SignInState = z.infer<typeof stateSchema>;

/**
 * The sign-in in progress travels in a cookie instead of a table: encrypted (the code verifier is a secret)
 * and bound to a lifetime, with a key derived from the JWT secret so that neither can stand in for the other.
 */
export function createStateSealer(jwtSecret: string, clock: () => Date) {
  const key = new Uint8Array(hkdfSync('sha256', jwtSecret, '', 'doable oauth sign-in state', 32));
  return {
    async seal(state: SignInState): Promise<string> {
      const now = Math.floor(clock().getTime() / 1000);
      return new EncryptJWT(state)
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuedAt(now)
        .setExpirationTime(now + STATE_TTL_SECONDS)
        .encrypt(key);
    },

    /** The state, or undefined when the cookie is missing, tampered with, foreign or expired. */
    async open(sealed: string | undefined): Promise<SignInState | undefined> {
      if (!sealed) return undefined;
      try {
        const { payload } = await jwtDecrypt(sealed, key, {
          keyManagementAlgorithms: ['dir'],
          contentEncryptionAlgorithms: ['A256GCM'],
          currentDate: clock(),
        });
        const parsed = stateSchema.safeParse(payload);
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export type StateSealer = ReturnType<typeof createStateSealer>;
