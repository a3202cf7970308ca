import { fileURLToPath } from 'node:url';
import { findDocumentFiles, readDocumentFile } from './files.ts';
import type { KnowledgeService } from './knowledge.service.ts';

/** Doable's user guide, shipped in the repository's docs/ folder. */
export const USER_GUIDE_DIR = fileURLToPath(new URL('../../docs', import.meta.url));

/**
 * Ingests the user guide when the knowledge base is empty, so that a fresh install answers questions about
 * itself. Ids are fixed (`guide:<file>`), so instances starting together write the same rows instead of
 * colliding. Returns how many documents were ingested.
 */
export async function seedUserGuide(service: KnowledgeService, dir = USER_GUIDE_DIR): Promise<number> {
  if (!(await service.isEmpty())) return 0;
  const files = await findDocumentFiles(dir);
  const documents = await Promise.all(
    files.map(async (file) => ({
      id: `guide:${file.path.replace(/\.[^.]+$/, '')}`,
      path: `docs/${file.path}`,
      content: await readDocumentFile(file),
    })),
  );
  if (documents.length === 0) return 0;
  await service.ingest(documents);
  return documents.length;
}
