import { api, getSession, setSession } from '../../../lib/api-client.ts';

/** Ends this session on the server too, so its refresh token stops working; signs out here whatever happens. */
export async function signOut() {
  const session = getSession();
  setSession(null);
  if (!session) return;
  try {
    await api('/api/auth/logout', {
      method: 'POST',
      body: { refresh_token: session.refresh_token },
      auth: false,
    });
  } catch {
    // Already signed out here; the refresh token expires on its own.
  }
}
