import { api, getSession, setSession, type User } from '../../../lib/api-client.ts';

export interface MeChanges {
  name?: string;
  timezone?: string;
  current_password?: string;
  new_password?: string;
  revoke_api_tokens?: boolean;
}

/** Changes the account (PATCH /api/auth/me) and keeps the page's copy of it in step. */
export async function updateMe(changes: MeChanges): Promise<User> {
  const user = await api<User>('/api/auth/me', { method: 'PATCH', body: changes });
  const session = getSession();
  if (session) setSession({ ...session, user });
  return user;
}
