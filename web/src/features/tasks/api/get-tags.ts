import { api } from '../../../lib/api-client.ts';
import type { TagCount } from '../types.ts';

export function getTags(): Promise<TagCount[]> {
  return api<TagCount[]>('/api/me/tags');
}
