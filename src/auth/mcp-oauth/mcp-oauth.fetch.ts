import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';

/**
 * The one thing a client is told when a document could not be fetched, whatever kept it (a private address, no
 * such host, a closed port, a timeout): which it was would tell someone probing with client_ids what is behind
 * Doable. The reason goes to the log.
 */
export const NOT_FETCHED = 'the document could not be fetched';

/** oidc-provider gives each fetch 2.5 s; the same bound when it is called without one. */
const TIME_BOUND_MS = 2_500;

/**
 * Addresses a document is never fetched from: IANA's special-purpose registries (this network, private networks,
 * shared address space of carrier-grade NAT, loopback, link-local, documentation, benchmarking, multicast,
 * reserved), and for IPv6 everything outside global unicast 2000::/3 (unspecified, loopback, IPv4-mapped and
 * -compatible, NAT64, discard, unique-local, link-local, multicast) plus the special ranges inside it (IETF
 * protocol assignments with Teredo, documentation, 6to4). BlockList also matches an IPv4-mapped IPv6 address
 * against the IPv4 rules.
 */
const SPECIAL_USE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.31.196.0', 24],
  ['192.52.193.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['192.175.48.0', 24],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  SPECIAL_USE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 3],
  ['4000::', 2],
  ['8000::', 1],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['3fff::', 20],
] as const)
  SPECIAL_USE.addSubnet(network, prefix, 'ipv6');

/** An address on the public internet: neither special-use nor anything but an IP address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && !SPECIAL_USE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Every address a host name resolves to (DNS or the hosts file, as the system resolves). */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;
const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** Why a fetch was not made; never shown to the client (see NOT_FETCHED). */
class Refused extends Error {}

/**
 * The addresses a URL's host stands for, once, when every one of them may be connected to: a host that has one
 * private address among public ones is refused, since which one a connection takes is not ours to choose.
 */
export async function checkedAddresses(
  hostname: string,
  resolve: Resolve = systemResolve,
  allowed: (address: string) => boolean = isPublicAddress,
): Promise<LookupAddress[]> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(host);
  const addresses = family === 0 ? await resolve(host) : [{ address: host, family }];
  if (addresses.length === 0) throw new Refused(`${host} has no address`);
  const refused = addresses.find(({ address }) => !allowed(address));
  if (refused)
    throw new Refused(
      `${host} ${family === 0 ? `resolves to ${refused.address}, ` : 'is '}a special-use address`,
    );
  return addresses;
}

export interface DocumentFetchOptions {
  resolve?: Resolve;
  /** Which resolved addresses may be connected to: public ones; tests widen it to their own loopback server. */
  allowed?: (address: string) => boolean;
  /** Certificates to trust instead of the system's (a test's own). */
  ca?: string;
  /** Told why a fetch failed, for the log. */
  onFailure?: (url: URL, reason: string) => void;
}

export type DocumentFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * The fetch oidc-provider uses for client metadata documents (and any other document it would fetch): https
 * only, a GET, the host resolved and checked before any connection is made, and the connection made to the
 * address checked, not to a second lookup's (which DNS rebinding would answer differently). No redirect is
 * followed (a 3xx is the answer), and the whole fetch, body included, ends at 2.5 s. oidc-provider bounds the body
 * (5 kB). Every failure before an answer is the same error, NOT_FETCHED.
 */
export function createDocumentFetch(options: DocumentFetchOptions = {}): DocumentFetch {
  const { resolve = systemResolve, allowed = isPublicAddress, ca, onFailure } = options;
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const timeout = AbortSignal.timeout(TIME_BOUND_MS);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      if (url.protocol !== 'https:') throw new Refused(`${url.protocol} is not https:`);
      if ((init.method ?? 'GET') !== 'GET') throw new Refused(`${init.method} is not fetched`);
      const [address] = await untilAborted(checkedAddresses(url.hostname, resolve, allowed), signal);
      if (!address) throw new Refused(`${url.hostname} has no address`);
      return await get(
        url,
        address,
        { signal, ca, accept: new Headers(init.headers).get('accept') },
        (error) => onFailure?.(url, `reading the body: ${error.message}`),
      );
    } catch (error) {
      onFailure?.(url, error instanceof Error ? error.message : String(error));
      throw new Error(NOT_FETCHED);
    }
  };
}

/** A lookup that answers the address already checked, whatever it is asked. */
const pinned =
  (address: LookupAddress): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all) callback(null, [address]);
    else callback(null, address.address, address.family);
  };

function get(
  url: URL,
  address: LookupAddress,
  options: { signal: AbortSignal; ca: string | undefined; accept: string | null },
  onBodyError: (error: Error) => void,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'GET',
        headers: options.accept ? { accept: options.accept } : {},
        lookup: pinned(address),
        // A connection of its own each time: a pooled one may have been made to another address of the host.
        agent: false,
        signal: options.signal,
        ...(options.ca ? { ca: options.ca } : {}),
      },
      (incoming) => {
        incoming.on('error', onBodyError);
        try {
          resolve(toResponse(incoming));
        } catch (error) {
          incoming.destroy();
          reject(error);
        }
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Node's answer as a fetch Response (status, headers, the body as it streams in). */
function toResponse(incoming: IncomingMessage): Response {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] ?? '', raw[i + 1] ?? '');
  const status = incoming.statusCode ?? 0;
  // These statuses have no body, and Response refuses one.
  const bodyless = status === 204 || status === 205 || status === 304;
  if (bodyless) incoming.resume();
  const body = bodyless ? null : Readable.toWeb(incoming);
  return new Response(body, { status, statusText: incoming.statusMessage ?? '', headers });
}

/** A promise that gives up when the signal aborts (a DNS lookup cannot be cancelled, only left behind). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
