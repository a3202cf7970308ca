import { api } from '../../../lib/api-client.ts';
import type { ConnectRequest } from '../types.ts';

// These live under the sign-in request's own path: the browser holds a cookie for that path only, which ties the
// request to the browser that started it.
const base = (uid: string) => `/oauth/interaction/${encodeURIComponent(uid)}`;

export function getConnectRequest(uid: string): Promise<ConnectRequest> {
  return api<ConnectRequest>(`${base(uid)}/details`, { auth: false });
}

/** Allows or denies the app; answers where the browser goes next (back to the app, with a code or a refusal). */
export async function decideConnectRequest(uid: string, allow: boolean): Promise<string> {
  const { redirect_to } = await api<{ redirect_to: string }>(`${base(uid)}/decision`, {
    method: 'POST',
    body: { allow },
  });
  return redirect_to;
}
