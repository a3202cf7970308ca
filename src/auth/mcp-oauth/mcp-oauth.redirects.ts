import { BlockList, isIP } from 'node:net';
import type { RedirectKind } from './mcp-oauth.schemas.ts';

/**
 * Where an app sends the browser back to, read for a person: a website, or an app on their own device. Shared by
 * the consent page (what it shows) and the registration's checks (what it accepts).
 */

/** The loopback addresses: IPv4's 127/8 and IPv6's ::1 (an IPv4-mapped 127.x address is checked as IPv4). */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** A host that is always this device: localhost and its subdomains (RFC 6761), or a loopback address. */
export function isLoopback(hostname: string) {
  const host = hostname.replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * How a person should read the address the browser goes back to: a website, or an app on their own device, which
 * an http address on loopback (RFC 8252's native apps, with any port) and a scheme of the app's own (`cursor:`)
 * both are. Showing such an address's host ("127.0.0.1", "anysphere.cursor-retrieval") as if it were a site
 * misleads.
 */
export function redirectKindOf(uri: unknown): RedirectKind {
  const url = typeof uri === 'string' ? URL.parse(uri) : null;
  if (!url) return 'web';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'custom_scheme';
  return isLoopback(url.hostname) ? 'loopback' : 'web';
}

/** The address's part worth showing beside its kind: a site's host, `localhost`, or the app's scheme. */
export const hostOf = (uri: unknown) => {
  const url = typeof uri === 'string' ? URL.parse(uri) : null;
  if (!url) return '';
  const kind = redirectKindOf(uri);
  if (kind === 'loopback') return 'localhost';
  if (kind === 'custom_scheme') return url.protocol;
  return url.host;
};

/**
 * The site an app says is its own (`client_uri`), when something vouches for it: the host the browser returns to,
 * or the host serving its client metadata document. Anyone may register as "Claude" with `https://claude.ai` as
 * its site; shown beside the name, that claim would lend the impersonation trust. Unvouched, it is not shown.
 */
export function vouchedSite(site: string | null, vouchers: unknown[]): string | null {
  const claimed = site === null ? null : URL.parse(site);
  if (claimed?.protocol !== 'https:') return null;
  const hosts = vouchers.map((uri) => (typeof uri === 'string' ? URL.parse(uri)?.hostname : undefined));
  return hosts.includes(claimed.hostname) ? site : null;
}
