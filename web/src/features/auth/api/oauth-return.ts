import { getSession, setSession, type User } from '../../../lib/api-client.ts';
import { navigate } from '../../../lib/router.ts';
import { providerUrl } from './get-providers.ts';

// The sign-in this tab started, if any: a random value the server carries through its sealed state and hands
// back in the fragment. sessionStorage keeps it to this tab and across the trip to the provider.
const PENDING_KEY = 'doable.oauth.return_state';
// The page to come back to after the trip, when it is not the list: an AI app's sign-in request waiting for an answer.
const RETURN_TO_KEY = 'doable.oauth.return_to';

/**
 * Leaves for the provider, remembering a fresh random value that must come back with the result, and the page of
 * this site to return to (a path, never another site).
 */
export function startOAuth(providerId: string, returnTo?: string) {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const returnState = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  sessionStorage.setItem(PENDING_KEY, returnState);
  if (returnTo?.startsWith('/') && !returnTo.startsWith('//'))
    sessionStorage.setItem(RETURN_TO_KEY, returnTo);
  else sessionStorage.removeItem(RETURN_TO_KEY);
  location.assign(providerUrl(providerId, returnState));
}

/**
 * After an outside sign-in the server sends the browser to `/#access_token=…&refresh_token=…&return_state=…` or
 * `/#error=…&error_description=…&return_state=…`. Takes the fragment out of the address bar at once and returns
 * what to tell the user, if anything. The session is taken only when this tab started the sign-in (the
 * return_state matches the one it kept), so a link carrying someone else's tokens signs nobody in (login CSRF);
 * and a session already here is never replaced by another account's.
 */
export async function takeOAuthReturn(): Promise<string | undefined> {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const accessToken = fragment.get('access_token');
  const refreshToken = fragment.get('refresh_token');
  const error = fragment.get('error_description') ?? fragment.get('error');
  if (!accessToken && !error) return undefined;
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  const expected = sessionStorage.getItem(PENDING_KEY);
  // One use: whatever came back, the value is spent.
  sessionStorage.removeItem(PENDING_KEY);
  const returnTo = sessionStorage.getItem(RETURN_TO_KEY);
  sessionStorage.removeItem(RETURN_TO_KEY);
  const returned = fragment.get('return_state');
  if (expected === null) return 'A sign-in link that was not started here was ignored.';
  // A refused sign-in may come back without the value (the server could not match it): its words are shown.
  if (error && (returned === null || returned === expected)) return error;
  if (returned !== expected) return 'A sign-in link that was not started here was ignored.';
  if (!accessToken || !refreshToken) return 'The sign-in came back incomplete; please try again.';
  // The session is not stored until the account is read, so a bad token never signs anyone in.
  const response = await fetch('/api/auth/me', { headers: { authorization: `Bearer ${accessToken}` } });
  if (!response.ok) return 'The sign-in could not be completed; please try again.';
  const user = (await response.json()) as User;
  const current = getSession();
  if (current && current.user.id !== user.id) {
    // Signed in meanwhile (another tab): switching accounts without a word is what this must never do.
    return `You are signed in as ${current.user.email ?? current.user.name}; sign out first to use another account.`;
  }
  setSession({ access_token: accessToken, refresh_token: refreshToken, user });
  if (returnTo) navigate(returnTo, { replace: true });
  return undefined;
}
