import { api } from '../../../lib/api-client.ts';

export interface Provider {
  id: string;
  name: string;
}

/** The outside sign-ins this server has configured; none unless the owner set their client ids. */
export function getProviders(): Promise<Provider[]> {
  return api<Provider[]>('/api/auth/providers', { auth: false });
}

/** Where a provider's button goes; the server comes back to the page with the session in the URL fragment. */
export function providerUrl(id: string): string {
  return `/api/auth/oauth/${encodeURIComponent(id)}?redirect_to=${encodeURIComponent('/')}`;
}
