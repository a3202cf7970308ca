/**
 * Query parameters whose values are secrets or grant something: an OAuth callback's `code` and `state`, and
 * anything named like a token, password or key. Matched on the whole name or, for the token-like words, a part of
 * it (`id_token`, `client_secret`, `api_key`, and `return_state`, the web page's proof that it started a sign-in).
 */
const SECRET_NAMES = new Set(['code', 'state', 'sig', 'auth', 'authorization', 'ticket']);
const SECRET_PARTS = /token|secret|passw|pwd|key|signature|credential|session|verifier|nonce|jwt|state/i;

const REDACTED = '[redacted]';

function isSecret(rawName: string): boolean {
  let name = rawName;
  try {
    name = decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    // A malformed escape: judge the name as written.
  }
  name = name.trim().toLowerCase();
  return SECRET_NAMES.has(name) || SECRET_PARTS.test(name);
}

/**
 * The URL as a log line may show it: path and query kept as sent, except the values of secret parameters, so an
 * OAuth callback (`?code=…&state=…`) or a token put in a query string by a client never lands in the logs.
 */
export function urlForLog(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const hash = url.indexOf('#', query);
  const end = hash === -1 ? url.length : hash;
  const params = url
    .slice(query + 1, end)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      const name = equals === -1 ? part : part.slice(0, equals);
      return equals !== -1 && isSecret(name) ? `${name}=${REDACTED}` : part;
    });
  return `${url.slice(0, query)}?${params.join('&')}`;
}
