import { createPrivateKey, hkdfSync, type JsonWebKey } from 'node:crypto';

/** The DER header of a PKCS #8 Ed25519 private key; the 32-byte seed follows it. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const derive = (secret: string, purpose: string, length: number) =>
  Buffer.from(hkdfSync('sha256', secret, 'doable mcp oauth', purpose, length));

/**
 * The authorization server's keys, derived from JWT_SECRET (HKDF with a label per use) rather than generated:
 * every instance and every restart has the same ones, so a cookie set by one instance is read by the next and an
 * ID token signed yesterday still verifies. Production requires JWT_SECRET; development keeps the generated one
 * in DATA_DIR (see withGeneratedSecrets). Changing the secret signs every browser out of a sign-in in progress,
 * which is all these keys protect besides ID tokens.
 */
export function deriveKeys(secret: string): { cookieKeys: string[]; signingKey: JsonWebKey } {
  const seed = derive(secret, 'signing key (Ed25519)', 32);
  const signingKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  }).export({ format: 'jwk' });
  return {
    cookieKeys: [derive(secret, 'cookie signing', 32).toString('base64url')],
    signingKey: { ...signingKey, kid: derive(secret, 'signing key id', 9).toString('base64url'), use: 'sig' },
  };
}
