import { fileURLToPath } from 'node:url';
import type { Db } from '../db/database.ts';
import { findDocumentFiles, readDocumentFile } from './files.ts';
import { createKnowledgeRepository } from './knowledge.repository.ts';
import { createKnowledgeService, type KnowledgeService } from './knowledge.service.ts';

/** Doable's user guide, shipped in the repository's docs/ folder. */
export const USER_GUIDE_DIR = fileURLToPath(new URL('../../docs', import.meta.url));

/**
 * The user guide's documents have fixed ids (`guide:<file>`), so that instances starting together write the same
 * rows instead of colliding, and so that its pages are told from the documents an administrator added.
 */
const GUIDE = 'guide:';

async function readUserGuide(dir: string) {
  const files = await findDocumentFiles(dir);
  return Promise.all(
    files.map(async (file) => ({
      id: `${GUIDE}${file.path.replace(/\.[^.]+$/, '')}`,
      path: `docs/${file.path}`,
      content: await readDocumentFile(file),
    })),
  );
}

export interface GuideChanges {
  /** Pages added or ingested again because they changed. */
  ingested: number;
  /** Pages removed because docs/ no longer has them. */
  removed: number;
}

/**
 * Keeps the user guide in the knowledge base as docs/ has it, so that the docs chat answers about this version:
 *
 * - an empty knowledge base, or a database made at this start (a copy of the embedded template, which holds the
 *   guide of the install that made it), gets the whole guide: missing pages added, changed ones ingested again;
 * - otherwise only the guide's pages that it still holds are ingested again when they changed: a page an
 *   administrator deleted stays deleted (and a page new to the guide is not added to a knowledge base that has
 *   documents of its own).
 *
 * Either way a page gone from docs/ is removed. Pages are compared by content hash, which includes the embedding
 * model (the template's pages, made without one, are embedded once with the configured model), in one query and
 * without parsing them: a start whose guide is current reads eight files and makes one query.
 */
export async function syncUserGuide(
  service: KnowledgeService,
  { newDatabase = false, dir = USER_GUIDE_DIR }: { newDatabase?: boolean | undefined; dir?: string } = {},
): Promise<GuideChanges> {
  const [guide, held] = await Promise.all([readUserGuide(dir), service.contentHashes(GUIDE)]);
  const whole = newDatabase || (held.size === 0 && (await service.isEmpty()));
  const stale = guide.filter(
    (page) => (whole || held.has(page.id)) && held.get(page.id) !== service.contentHash(page),
  );
  if (stale.length > 0) await service.ingest(stale);
  const current = new Set(guide.map((page) => page.id));
  const gone = [...held.keys()].filter((id) => !current.has(id));
  for (const id of gone) await service.delete(id);
  return { ingested: stale.length, removed: gone.length };
}

/** Takes the user guide out of the knowledge base: a new database with KNOWLEDGE_SEED_DOCS=false starts empty. */
export async function removeUserGuide(service: KnowledgeService): Promise<void> {
  for (const id of (await service.contentHashes(GUIDE)).keys()) await service.delete(id);
}

/**
 * Puts the user guide into a new database, lexical search only: the embedded template (src/db/embedded-template.ts)
 * is made with it, so that a new database answers from the guide at once instead of ingesting it while starting
 * (0.6-0.8 s of a container's first start).
 */
export async function ingestUserGuideInto(db: Db): Promise<void> {
  await syncUserGuide(
    createKnowledgeService({ repository: createKnowledgeRepository(db), clock: () => new Date() }),
    { newDatabase: true },
  );
}
