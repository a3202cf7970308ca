import { redirectKindOf } from './mcp-oauth.redirects.ts';

/**
 * What Doable takes from clients nobody has signed in yet: a registration, a client metadata document, an
 * authorization request. Each of them is stored (a client, a sign-in request in progress) on an anonymous
 * request, so each is held to sizes a real MCP client never comes near, and refused before oidc-provider stores
 * anything. The functions answer what is wrong in the words of the OAuth error's `error_description`, or nothing.
 */
export const LIMITS = {
  /** Characters of an app's name, once cleaned (see clientName): the consent page shows it in one line. */
  clientName: 200,
  redirectUris: 10,
  /** Characters of each redirect URI, and of any authorization request parameter. */
  uri: 2048,
  /** Bytes of a registration's JSON body (a client metadata document is held to 5 kB by oidc-provider). */
  registration: 8 * 1024,
  /** Characters of `state` and `nonce`, which a client makes up and gets back, and which are stored meanwhile. */
  stateOrNonce: 1024,
  /** Bytes of an authorization request's query. */
  query: 8 * 1024,
} as const;

/** Separators and white space of every kind (tabs, new lines, no-break and ideographic spaces). */
const SPACES = /[\s\p{Z}]+/gu;
/**
 * Characters that show nothing: controls (Cc), formatting (Cf: zero-width spaces and joiners, direction marks),
 * the default-ignorable ones (Hangul fillers U+115F, U+1160, U+3164, U+FFA0, variation selectors), and the blank
 * Braille pattern U+2800, which fonts draw as nothing. A name made of them would look empty, or like another.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;
/**
 * Combining marks past the second on one letter: no language stacks more once composed (NFC), and a tower of them
 * draws over the lines around the name, such as the consent page's own question.
 */
const STACKED_MARKS = /(\p{M}{2})\p{M}+/gu;

/**
 * An app's name as a person should see it: invisible characters removed, white space collapsed to single
 * spaces, trimmed. Null when nothing visible is left (or no name was given), so that the page names the app
 * otherwise (by its redirect host or client id).
 */
export function clientName(name: unknown): string | null {
  if (typeof name !== 'string') return null;
  const cleaned = name
    .toWellFormed()
    .normalize('NFC')
    .replace(STACKED_MARKS, '$1')
    .replace(SPACES, ' ')
    .replace(INVISIBLE, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  return cleaned || null;
}

/**
 * What is wrong with a client's metadata, a registration's or a metadata document's, as RFC 7591 words it: a
 * description that begins with `redirect_uris` is an `invalid_redirect_uri`, any other `invalid_client_metadata`
 * (oidc-provider's rule). Checked before oidc-provider's own checks, so any value may come.
 */
export function clientMetadataProblem(metadata: { client_name?: unknown; redirect_uris?: unknown }) {
  const name = clientName(metadata.client_name);
  if (name && [...name].length > LIMITS.clientName)
    return `client_name must be at most ${LIMITS.clientName} characters long`;
  const uris = metadata.redirect_uris;
  if (!Array.isArray(uris)) return undefined;
  if (uris.length > LIMITS.redirectUris)
    return `redirect_uris must hold at most ${LIMITS.redirectUris} addresses`;
  if (uris.some((uri) => typeof uri === 'string' && uri.length > LIMITS.uri))
    return `redirect_uris must each be at most ${LIMITS.uri} characters long`;
  // The code travels in the redirect's query: in the clear over http, except to this device (RFC 8252).
  if (
    uris.some(
      (uri) =>
        typeof uri === 'string' && URL.parse(uri)?.protocol === 'http:' && redirectKindOf(uri) !== 'loopback',
    )
  )
    return 'redirect_uris must be https, or http on this device (localhost, 127.0.0.1 or [::1])';
  return undefined;
}

/** A registration's body, by its declared length or, sent in chunks, by its JSON. */
export function registrationSizeProblem(declaredBytes: number | undefined, body: unknown) {
  const bytes = declaredBytes ?? Buffer.byteLength(JSON.stringify(body ?? {}));
  if (bytes <= LIMITS.registration) return undefined;
  return `a registration must be at most ${LIMITS.registration} bytes of JSON (this one is ${bytes})`;
}

/**
 * An authorization request's parameters (`name` → value, or values when repeated) and the length of its query:
 * `state` and `nonce` at most 1024 characters, any other parameter at most 2048, the query at most 8 kB.
 */
export function authorizationRequestProblem(params: Record<string, unknown>, queryBytes: number) {
  if (queryBytes > LIMITS.query)
    return `the authorization request must be at most ${LIMITS.query} bytes of parameters (this one is ${queryBytes})`;
  for (const [name, value] of Object.entries(params)) {
    const max = name === 'state' || name === 'nonce' ? LIMITS.stateOrNonce : LIMITS.uri;
    if ([value].flat().some((each) => typeof each === 'string' && each.length > max))
      // The name goes into error_description, which is plain ASCII: an odd one is not repeated.
      return `${/^[\w-]{1,40}$/.test(name) ? name : 'a parameter'} must be at most ${max} characters long`;
  }
  return undefined;
}
