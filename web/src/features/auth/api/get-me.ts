import { api, getSession, setSession, type User } from '../../../lib/api-client.ts';

/** Reads the account again (name, time zone), refreshing the tokens on the way if they have expired. */
export async function refreshMe(): Promise<void> {
  const user = await api<User>('/api/auth/me');
  const session = getSession();
  if (session) setSession({ ...session, user });
}
