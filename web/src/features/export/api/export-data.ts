import { apiResponse } from '../../../lib/api-client.ts';

/** The account as one JSON file, and the name the server gives it (doable-export-<day>.json). */
export async function exportData(): Promise<{ file: Blob; name: string }> {
  const response = await apiResponse('/api/me/export');
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'doable-export.json';
  return { file: await response.blob(), name };
}
