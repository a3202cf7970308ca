import { api } from '../../../lib/api-client.ts';
import type { ApiToken } from '../types.ts';

export function getApiTokens(): Promise<ApiToken[]> {
  return api<ApiToken[]>('/api/auth/tokens');
}
