import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { createAnswerModel } from './answer.ts';
import { createEmbedder } from './embeddings.ts';
import { createKnowledgeRepository } from './knowledge.repository.ts';
import { knowledgeRoutes } from './knowledge.routes.ts';
import { createKnowledgeService } from './knowledge.service.ts';
import { seedUserGuide } from './seed.ts';
import { createVectorStore } from './vector-store.ts';

export interface KnowledgeFeatureOptions {
  db: Db;
  clock: () => Date;
  knowledge: Config['knowledge'];
  llm: Config['llm'];
  embeddings: Config['embeddings'];
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
  const { repository, service } = buildKnowledgeService({
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
      const standing = await repository.adminStanding(userId);
      return standing.isAdmin || standing.verifiedEmails.some((email) => admins.has(email.toLowerCase()));
    },
    askPerMinute: opts.knowledge.askPerMinute,
    askRequiresAccount: opts.knowledge.askRequiresAccount,
  });
  if (opts.knowledge.seedDocs) {
    // A failure here (an embeddings provider away) must not stop the service: the next start tries again.
    app.addHook('onReady', async () => {
      try {
        const seeded = await seedUserGuide(service);
        if (seeded > 0)
          app.log.info({ documents: seeded }, 'knowledge base was empty: ingested the user guide');
      } catch (error) {
        app.log.warn({ err: error }, 'could not ingest the user guide into the empty knowledge base');
      }
    });
  }
  return { service };
}
