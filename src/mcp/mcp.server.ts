import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import packageJson from '../../package.json' with { type: 'json' };
import { TOOLS } from '../assistant/tools/index.ts';
import { runTool, type ToolContext } from '../assistant/tools/tool.ts';

const INSTRUCTIONS =
  'Doable keeps the user’s tasks. Use list_tasks to find a task’s id before completing, updating or deleting ' +
  'it, and ask the user when several tasks fit. Pass due dates as the user said them ("next friday 5pm"): they ' +
  'are read in the user’s time zone.';

/**
 * One MCP server over the assistant's tools, acting for one user: the transports (Streamable HTTP per request,
 * stdio per process) only decide who that user is. Results carry structuredContent and the same JSON as text,
 * for clients that read only the text; a refused operation is an isError result with a sentence to act on.
 */
export function buildMcpServer(ctx: ToolContext): McpServer {
  const server = new McpServer(
    { name: 'doable', version: packageJson.version },
    { instructions: INSTRUCTIONS },
  );
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (args: unknown): Promise<CallToolResult> => {
        const result = await runTool(tool, args, ctx);
        if (!result.ok) return { isError: true, content: [{ type: 'text', text: result.error }] };
        return {
          content: [{ type: 'text', text: JSON.stringify(result.value) }],
          structuredContent: result.value,
        };
      },
    );
  }
  return server;
}
