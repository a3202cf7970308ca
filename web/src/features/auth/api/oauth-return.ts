import { setSession, type User } from '../../../lib/api-client.ts';

/**
 * After an outside sign-in the server sends the browser to `/#access_token=…&refresh_token=…` or
 * `/#error=…&error_description=…`. Takes the session (or the error) out of the address bar and returns the
 * error to show, if any.
 */
export async function takeOAuthReturn(): Promise<string | undefined> {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const accessToken = fragment.get('access_token');
  const refreshToken = fragment.get('refresh_token');
  const error = fragment.get('error_description') ?? fragment.get('error');
  if (!accessToken && !error) return undefined;
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  if (error) return error;
  if (!accessToken || !refreshToken) return 'The sign-in came back incomplete; please try again.';
  // The session is not stored until the account is read, so a bad token never signs anyone in.
  const response = await fetch('/api/auth/me', { headers: { authorization: `Bearer ${accessToken}` } });
  if (!response.ok) return 'The sign-in could not be completed; please try again.';
  const user = (await response.json()) as User;
  setSession({ access_token: accessToken, refresh_token: refreshToken, user });
  return undefined;
}
