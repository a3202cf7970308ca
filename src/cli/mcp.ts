import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import packageJson from '../../package.json' with { type: 'json' };
import { buildTokenVerifier } from '../auth/index.ts';
import { ConfigError, loadConfig, withGeneratedSecrets } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { DirectoryLockedError } from '../db/directory-lock.ts';
import { HttpProblem } from '../http/problem.ts';
import { createListNames } from '../lists/index.ts';
import { createMcpServer } from '../mcp/index.ts';
import { buildTasksService } from '../tasks/index.ts';

/**
 * `npm run mcp`: Doable's MCP server on stdio, for desktop MCP clients. DOABLE_TOKEN is a personal API token.
 * With DOABLE_URL every request is forwarded to that service's /mcp, so the tools run where the data is; without
 * it the local database (DATA_DIR or DATABASE_URL) is opened and the token checked there. Nothing but the
 * protocol may go to stdout: messages for people go to stderr.
 */
async function main() {
  const token = process.env.DOABLE_TOKEN?.trim();
  if (!token) {
    throw new UsageError(
      "DOABLE_TOKEN is required: create a personal API token in Doable's Settings → API tokens and set DOABLE_TOKEN to it.",
    );
  }
  const url = process.env.DOABLE_URL?.trim();
  const transport = new StdioServerTransport();
  if (url) {
    const server = await forwardingServer(url, token);
    await server.connect(transport);
    return;
  }

  const config = await withGeneratedSecrets(loadConfig());
  const database = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl, poolSize: 2 } : { dataDir: config.dataDir },
  );
  const clock = () => new Date();
  const stop = async () => {
    await database.close();
    process.exit(0);
  };
  try {
    await database.migrate();
    const verifier = buildTokenVerifier({
      db: database.db,
      clock,
      jwtSecret: config.jwtSecret,
      accessTokenMinutes: config.accessTokenMinutes,
      betterAuthSecret: config.betterAuthSecret,
      betterAuthUrl: config.betterAuthUrl,
    });
    const { userId, scopes } = await verifier.verify(token);
    const tasks = buildTasksService({ db: database.db, clock });
    const lists = createListNames(database.db);
    const server = await createMcpServer({ tasks, lists, userId, clock }, scopes);
    server.server.onclose = () => void stop();
    await server.connect(transport);
  } catch (error) {
    await database.close();
    throw error;
  }
  process.stdin.once('end', () => void stop());
}

/** A stdio server that passes the tool list and each tool call to the service's /mcp, unchanged. */
async function forwardingServer(url: string, token: string): Promise<Server> {
  const client = new Client({ name: 'doable-stdio', version: packageJson.version });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  const instructions = client.getInstructions();
  const server = new Server(
    { name: 'doable', version: packageJson.version },
    { capabilities: { tools: {} }, ...(instructions ? { instructions } : {}) },
  );
  server.setRequestHandler(ListToolsRequestSchema, (request) => client.listTools(request.params));
  server.setRequestHandler(CallToolRequestSchema, (request) => client.callTool(request.params));
  server.onclose = () => {
    void client.close().then(() => process.exit(0));
  };
  process.stdin.once('end', () => void server.close());
  return server;
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof DirectoryLockedError) {
    console.error(error.message);
  } else if (error instanceof HttpProblem) {
    console.error(`DOABLE_TOKEN was refused: ${error.message}`);
  } else {
    console.error('The Doable MCP server could not start:', error);
  }
  process.exit(1);
});
