import { api } from '../../../lib/api-client.ts';

// Mirrors ImportResult in src/export/export.schemas.ts.
export interface ImportResult {
  tasks: { created: number; skipped: number };
  conversations: { created: number; skipped: number };
  messages: number;
  tags: number;
}

export function importData(document: unknown): Promise<ImportResult> {
  return api<ImportResult>('/api/me/import', { method: 'POST', body: document });
}
