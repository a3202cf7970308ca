import { api } from '../../../lib/api-client.ts';
import type { CreatedApiToken, Scope } from '../types.ts';

export interface ApiTokenInput {
  name: string;
  scopes: Scope[];
  expires_in_days: number;
  /** The current password: needed only when the last sign-in is not recent (sudo mode). */
  password?: string;
}

export function createApiToken(input: ApiTokenInput): Promise<CreatedApiToken> {
  return api<CreatedApiToken>('/api/auth/tokens', { method: 'POST', body: input });
}
