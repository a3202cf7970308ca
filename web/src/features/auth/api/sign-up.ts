import { api, type Session, setSession, type User } from '../../../lib/api-client.ts';
import { currentName } from '../time-zones.ts';

export interface SignUpInput {
  name: string;
  email: string;
  password: string;
}

/**
 * Creates the account, then sets its time zone to the browser's, so that "tomorrow 5pm" in quick add and the
 * due dates in the list mean the same day as the clock on the wall.
 */
export async function signUp(input: SignUpInput): Promise<Session> {
  const body = input.name.trim() ? input : { email: input.email, password: input.password };
  const session = await api<Session>('/api/auth/register', { method: 'POST', body, auth: false });
  setSession(session);
  const device = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // By its current name, as Settings lists it.
  const timezone = device && currentName(device);
  if (timezone && timezone !== session.user.timezone) {
    try {
      const user = await api<User>('/api/auth/me', { method: 'PATCH', body: { timezone } });
      setSession({ ...session, user });
    } catch {
      // The account works without it; due dates are then read in the account's zone (UTC).
    }
  }
  return session;
}
