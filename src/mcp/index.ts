/**
 * The mcp feature's public module: the assistant's tools served to MCP clients, over HTTP at /mcp (registered
 * with the assistant) and to `npm run mcp` on stdio. The rest of the folder is the feature's own (see DESIGN §4).
 */

export { createMcpServer, type McpFeatureOptions, registerMcp } from './mcp.feature.ts';
