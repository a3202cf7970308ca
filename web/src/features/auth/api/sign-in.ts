import { api, type Session, setSession } from '../../../lib/api-client.ts';

export interface SignInInput {
  email: string;
  password: string;
}

export async function signIn(input: SignInInput): Promise<Session> {
  const session = await api<Session>('/api/auth/login', { method: 'POST', body: input, auth: false });
  setSession(session);
  return session;
}
