import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import packageJson from '../../package.json' with { type: 'json' };
import { noSuchTool, runTool, TOOLS, type Tool, type ToolContext } from '../assistant/index.ts';
import { ALL_SCOPES, type Scope } from '../auth/index.ts';

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
export function buildMcpServer(
  ctx: ToolContext,
  scopes: ReadonlySet<Scope> = ALL_SCOPES,
  /** Told of a failure of ours in a tool (logged with the request id), which the client only hears of as such. */
  onFailure: (error: unknown) => void = () => {},
): McpServer {
  const server = new McpServer(
    { name: 'doable', version: packageJson.version },
    { instructions: INSTRUCTIONS, capabilities: { tools: { listChanged: true } } },
  );
  const served = TOOLS.filter((tool) => scopes.has(scopeOfTool(tool)));
  const calls = new Map<string, (args: unknown) => Promise<CallToolResult>>();
  for (const tool of served) {
    const call = async (args: unknown): Promise<CallToolResult> => {
      const result = await runTool(tool, args, ctx);
      if (!result.ok) return { isError: true, content: [{ type: 'text', text: result.error }] };
      return {
        content: [{ type: 'text', text: JSON.stringify(result.value) }],
        structuredContent: result.value,
      };
    };
    calls.set(tool.name, call);
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: { title: tool.title, ...tool.annotations },
      },
      call,
    );
  }
  // The SDK would check the arguments against the input schema before a tool runs, and answer in zod's words
  // with its internal paths ("MCP error -32602: … Invalid arguments for tool add_task: … at tags.0"). runTool
  // checks them itself and says what is wrong in the tool's own terms, so calls go straight to it; the SDK
  // still lists the tools from what registerTool was given.
  server.server.setRequestHandler(CallToolRequestSchema, async ({ params }) => {
    const call = calls.get(params.name);
    if (call) {
      try {
        return await call(params.arguments);
      } catch (error) {
        // Not a refusal (those are isError results) but a failure of ours: its message may hold SQL and ids.
        onFailure(error);
        throw new McpError(ErrorCode.InternalError, 'Something went wrong on our side; try again.');
      }
    }
    return { isError: true, content: [{ type: 'text', text: noSuchTool(params.name, served) }] };
  });
  return server;
}
