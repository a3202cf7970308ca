import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import packageJson from '../../package.json' with { type: 'json' };
import { TOOLS } from '../assistant/tools/index.ts';
import { runTool, type Tool, type ToolContext } from '../assistant/tools/tool.ts';
import { ALL_SCOPES, type Scope } from '../auth/scopes.ts';

const INSTRUCTIONS =
  'Doable keeps the user’s tasks. Use list_tasks to find a task’s id before completing, updating or deleting ' +
  'it, and ask the user when several tasks fit. Pass due dates as the user said them ("next friday 5pm"): they ' +
  'are read in the user’s time zone.';

/** The scope a personal API token needs to call a tool: its own annotations say whether it changes anything. */
export function scopeOfTool(tool: Tool): Scope {
  return tool.annotations.readOnlyHint ? 'tasks:read' : 'tasks:write';
}

/**
 * One MCP server over the assistant's tools, acting for one user: the transports (Streamable HTTP per request,
 * stdio per process) only decide who that user is. Results carry structuredContent and the same JSON as text,
 * for clients that read only the text; a refused operation is an isError result with a sentence to act on. Only
 * the tools the credential's scopes allow are served (and listed): a read-only token sees list_tasks alone.
 */
export function buildMcpServer(ctx: ToolContext, scopes: ReadonlySet<Scope> = ALL_SCOPES): McpServer {
  const server = new McpServer(
    { name: 'doable', version: packageJson.version },
    { instructions: INSTRUCTIONS },
  );
  for (const tool of TOOLS) {
    if (!scopes.has(scopeOfTool(tool))) continue;
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
