import type { FastifyInstance } from 'fastify';
import { adminStanding } from '../auth/index.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { createAnswerModel } from './answer.ts';
import { createEmbedder } from './embeddings.ts';
import { createKnowledgeRepository } from './knowledge.repository.ts';
import { knowledgeRoutes } from './knowledge.routes.ts';
import { createKnowledgeService } from './knowledge.service.ts';
import { removeUserGuide, syncUserGuide } from './seed.ts';
import { createVectorStore } from './vector-store.ts';

export interface KnowledgeFeatureOptions {
  db: Db;
  clock: () => Date;
  knowledge: Config['knowledge'];
  llm: Config['llm'];
  embeddings: Config['embeddings'];
  /** The database was made at this start (see Database.isNew): what it holds of the user guide is the template's. */
  newDatabase?: boolean | undefined;
}

/** The service wired from the configuration; the CLI uses it without the HTTP side. */
export function buildKnowledgeService(
  opts: Omit<KnowledgeFeatureOptions, 'knowledge'> & { warn: (message: string, error: unknown) => void },
) {
  const repository = createKnowledgeRepository(opts.db);
  const service = createKnowledgeService({
    repository,
    clock: opts.clock,
    embedder: opts.embeddings ? createEmbedder(opts.embeddings) : undefined,
    vectorStore: opts.embeddings ? createVectorStore(opts.db, repository) : undefined,
    answerModel: opts.llm ? createAnswerModel(opts.llm) : undefined,
    warn: opts.warn,
  });
  return { repository, service };
}

/** Ask the docs: ingest under /api/knowledge/documents, answers at /api/knowledge/ask. */
export async function registerKnowledge(app: FastifyInstance, opts: KnowledgeFeatureOptions) {
  const { service } = buildKnowledgeService({
    ...opts,
    warn: (message, error) => app.log.warn({ err: error }, message),
  });
  const admins = new Set(opts.knowledge.adminEmails);
  await app.register(knowledgeRoutes, {
    service,
    ingestToken: opts.knowledge.ingestToken,
    // ADMIN_EMAILS counts only for an address a provider verified: password sign-up proves nothing, so whoever
    // registered the address first would otherwise be the administrator.
    isAdmin: async (userId) => {
      const standing = await adminStanding(opts.db, userId);
      return standing.isAdmin || standing.verifiedEmails.some((email) => admins.has(email.toLowerCase()));
    },
    askPerMinute: opts.knowledge.askPerMinute,
    askRequiresAccount: opts.knowledge.askRequiresAccount,
  });
  // The user guide: kept as docs/ has it, or, with KNOWLEDGE_SEED_DOCS=false, not brought in by a new database
  // (a copy of the embedded template holds it). A failure (an embeddings provider away) must not stop the
  // service: the next start tries again.
  app.addHook('onReady', async () => {
    try {
      if (opts.knowledge.seedDocs) {
        const changes = await syncUserGuide(service, { newDatabase: opts.newDatabase });
        if (changes.ingested + changes.removed > 0)
          app.log.info(changes, 'brought the user guide in the knowledge base up to date');
      } else if (opts.newDatabase) await removeUserGuide(service);
    } catch (error) {
      app.log.warn({ err: error }, 'could not bring the user guide in the knowledge base up to date');
    }
  });
  return { service };
}
