import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import type { Db } from '../db/database.ts';
import { mcpRoutes } from '../mcp/mcp.routes.ts';
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
  chatPerMinute: number;
  mcpPerMinute: number;
  timeoutMs: number;
  /** Who writes the replies; the offline assistant when no model is configured. */
  provider?: Provider | undefined;
  /** How /mcp authenticates: `app.authenticate` with the OAuth challenge of auth/mcp-oauth on a 401. */
  authenticateMcp?: onRequestAsyncHookHandler | undefined;
}

/** Chat with the assistant under /api/{user_id}/chat, its stored conversations, and the MCP server at /mcp. */
export async function registerAssistant(app: FastifyInstance, opts: AssistantFeatureOptions) {
  const service = createAssistantService({
    repository: createAssistantRepository(opts.db),
    tasks: opts.tasks,
    provider: opts.provider ?? createOfflineProvider(),
    clock: opts.clock,
    timeoutMs: opts.timeoutMs,
  });
  await app.register(assistantRoutes, { service, chatPerMinute: opts.chatPerMinute });
  // The same tools for MCP clients, at /mcp.
  await app.register(mcpRoutes, {
    tasks: opts.tasks,
    clock: opts.clock,
    perMinute: opts.mcpPerMinute,
    authenticate: opts.authenticateMcp,
  });
  return { service };
}
