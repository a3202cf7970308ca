import { createHash, randomBytes } from 'node:crypto';

/** A random secret for opaque tokens, with a readable prefix so a leaked one is easy to recognise. */
export function newOpaqueToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Opaque tokens are stored as SHA-256: they are long and random, so a slow hash would add nothing. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
