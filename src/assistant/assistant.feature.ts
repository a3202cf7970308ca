import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import type { ListNames } from '../lists/index.ts';
import type { TasksService } from '../tasks/index.ts';
import { createAssistantRepository } from './assistant.repository.ts';
import { assistantRoutes } from './assistant.routes.ts';
import { createAssistantService } from './assistant.service.ts';
import { createOfflineProvider } from './providers/offline/index.ts';
import type { Provider } from './providers/provider.ts';

export interface AssistantFeatureOptions {
  db: Db;
  clock: () => Date;
  tasks: TasksService;
  /** The user's lists by name, for the tools' `list`. */
  lists: ListNames;
  chatPerMinute: number;
  timeoutMs: number;
  /** Who writes the replies; the offline assistant when no model is configured. */
  provider?: Provider | undefined;
}

/**
 * Chat with the assistant under /api/{user_id}/chat and its stored conversations. Its tools are served to MCP
 * clients too, by the mcp feature, which app.ts registers with it.
 */
export async function registerAssistant(app: FastifyInstance, opts: AssistantFeatureOptions) {
  const service = createAssistantService({
    repository: createAssistantRepository(opts.db),
    tasks: opts.tasks,
    lists: opts.lists,
    provider: opts.provider ?? createOfflineProvider(),
    clock: opts.clock,
    timeoutMs: opts.timeoutMs,
  });
  await app.register(assistantRoutes, { service, chatPerMinute: opts.chatPerMinute });
  return { service };
}
