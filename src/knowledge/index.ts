/**
 * The knowledge feature's public module: all that other code may use of src/knowledge: the feature, its service
 * built from the configuration (for `npm run ingest` and the evaluation), the reading of document files, and
 * the user guide's seeding (which a new embedded database is made with). The rest of the folder is the feature's
 * own (see DESIGN §4).
 */

export { findDocumentFiles, readDocumentFile } from './files.ts';
export {
  buildKnowledgeService,
  type KnowledgeFeatureOptions,
  registerKnowledge,
} from './knowledge.feature.ts';
export type { IngestedDocument, KnowledgeService, SearchResult } from './knowledge.service.ts';
export { ingestUserGuideInto, removeUserGuide, syncUserGuide } from './seed.ts';
