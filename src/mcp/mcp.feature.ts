import type { FastifyInstance } from 'fastify';
import { type McpRoutesOptions, mcpRoutes } from './mcp.routes.ts';

export type McpFeatureOptions = McpRoutesOptions;

/**
 * The assistant's tools for MCP clients, over Streamable HTTP at /mcp; on with the assistant feature. The MCP SDK
 * is loaded by the first request, not at start.
 */
export async function registerMcp(app: FastifyInstance, opts: McpFeatureOptions) {
  await app.register(mcpRoutes, opts);
}

/**
 * One MCP server over the assistant's tools, acting for one user, for a transport of the caller's (stdio in
 * `npm run mcp`). Loads the MCP SDK when called, so that the service's start does not.
 */
export async function createMcpServer(
  ...args: Parameters<typeof import('./mcp.server.ts').buildMcpServer>
): Promise<ReturnType<typeof import('./mcp.server.ts').buildMcpServer>> {
  const { buildMcpServer } = await import('./mcp.server.ts');
  return buildMcpServer(...args);
}
