import { api } from '../../../lib/api-client.ts';

export interface Provider {
  id: string;
  name: string;
}

/** The outside sign-ins this server has configured; none unless the owner set their client ids. */
export function getProviders(): Promise<Provider[]> {
  return api<Provider[]>('/api/auth/providers', { auth: false });
}

/**
 * Where a provider's button goes; the server comes back to the page with the session in the URL fragment, and
 * with `return_state`, which the page checks (see oauth-return.ts).
 */
export function providerUrl(id: string, returnState: string): string {
  const query = new URLSearchParams({ redirect_to: '/', return_state: returnState });
  return `/api/auth/oauth/${encodeURIComponent(id)}?${query}`;
}
