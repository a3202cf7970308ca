import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { toolNamed } from '../assistant/index.ts';
import { insufficientScope, type Principal, principalOf, type Scope } from '../auth/index.ts';
import { HttpProblem } from '../http/problem.ts';
import type { ListNames } from '../lists/index.ts';
import type { TasksService } from '../tasks/index.ts';

export interface McpRoutesOptions {
  tasks: TasksService;
  /** The user's lists by name, for the tools' `list`. */
  lists: ListNames;
  clock: () => Date;
  /** POSTs per user per minute. */
  perMinute: number;
  /**
   * Checks the bearer token: `app.authenticate`, whose 401 the OAuth server for MCP clients completes with where
   * to sign in (see auth/mcp-oauth/mcp-oauth.feature.ts).
   */
  authenticate?: onRequestAsyncHookHandler | undefined;
  /** The protected resource metadata of /mcp, which a 403 for a missing scope names too (MCP's step-up). */
  resourceMetadata?: string | undefined;
}

const notAllowed = (reply: FastifyReply) =>
  reply
    .code(405)
    .header('allow', 'POST')
    .send({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Method not allowed: this server is stateless, POST to /mcp.' },
      id: null,
    });

/**
 * The MCP authorization spec's scope challenge: a `tools/call` of a tool beyond the token's scopes is an HTTP 403
 * naming the scope that would do, read from the JSON-RPC message before the SDK sees it.
 * Unknown tools are left to the SDK, which answers them as a JSON-RPC error.
 */
function missingToolScope(body: unknown, principal: Principal, scopeOf: (name: string) => Scope | undefined) {
  if (!body || typeof body !== 'object') return undefined;
  const { method, params } = body as { method?: unknown; params?: { name?: unknown } };
  if (method !== 'tools/call' || typeof params?.name !== 'string') return undefined;
  const needed = scopeOf(params.name);
  return needed && !principal.scopes.has(needed) ? needed : undefined;
}

/** What a scope lets a connection do with the tools, as a person says it. */
const ALLOWS: Partial<Record<Scope, string>> = {
  'tasks:read': 'see your tasks',
  'tasks:write': 'change your tasks',
};

/**
 * A scope challenge on /mcp (a tool call beyond the token's scopes, or a token without tasks:read, refused by
 * every route's scope check), said to the person behind the MCP client: what this connection may not do and
 * where in Doable they let it, never a REST route to call. The challenge itself (status, code and the
 * WWW-Authenticate naming the scope) is insufficientScope's, unchanged.
 */
function inToolWords(error: unknown, request: FastifyRequest): unknown {
  if (!(error instanceof HttpProblem) || error.code !== 'auth.insufficient_scope') return error;
  const needed = /scope="([^"]+)"/.exec(error.headers['www-authenticate'] ?? '')?.[1] ?? '';
  const allow = ALLOWS[needed as Scope];
  if (!allow) return error;
  const words =
    request.principal?.via === 'oauth'
      ? `This app may not ${allow}. To let it, connect it to Doable again and allow it to ${allow}.`
      : `This connection may not ${allow}${needed === 'tasks:write' ? ', only read them' : ''}. To let it, ` +
        `create a token with the ${needed} scope in Doable's Settings → API tokens and use it here (or connect ` +
        `the app by its address and allow it to ${allow}).`;
  return new HttpProblem(error.status, error.code, words, { headers: error.headers });
}

/**
 * JSON-RPC batches (an array of messages in one POST) were removed from MCP in its 2025-06-18 revision. Served,
 * they let one request, counted once, run a hundred tool calls; refused here, one POST is one message and the
 * per-user budget counts each.
 */
const batchRefused = (reply: FastifyReply) =>
  reply.code(400).send({
    jsonrpc: '2.0',
    error: {
      code: -32600,
      message: 'Invalid Request: JSON-RPC batches are not supported; send one request per POST.',
    },
    id: null,
  });

/**
 * MCP over Streamable HTTP, stateless: every POST gets a fresh server and transport for the caller. The bearer
 * token (a personal API token, a connected app's OAuth token, or a session) is checked before MCP sees anything,
 * so a missing or bad token is a real HTTP 401 whose WWW-Authenticate names the protected resource metadata,
 * which is how MCP clients find where to sign in.
 */
export async function mcpRoutes(
  app: FastifyInstance,
  { tasks, lists, clock, perMinute, ...opts }: McpRoutesOptions,
) {
  const authenticate = opts.authenticate ?? app.authenticate;
  const perUser = app.limiter({
    name: 'mcp',
    max: perMinute,
    keyGenerator: (request) => principalOf(request).userId,
  });
  const schema = { hide: true };
  // The SDK takes a second or more to load on a busy machine: loaded with the first MCP request, not at start.
  let sdk: Promise<
    [typeof import('./mcp.server.ts'), typeof import('@modelcontextprotocol/sdk/server/streamableHttp.js')]
  >;
  // Listing tasks is the least any tool needs; each tools/call is held to its own tool's scope below.
  const config = { scope: 'tasks:read', resourceMetadata: opts.resourceMetadata } as const;
  // Thrown on, the reworded error reaches the app's error handler, which answers it as every refusal.
  const errorHandler = (error: unknown, request: FastifyRequest) => {
    throw inToolWords(error, request);
  };
  app.post(
    '/mcp',
    { onRequest: [authenticate, perUser], config, schema, errorHandler },
    async (request, reply) => {
      if (Array.isArray(request.body)) return batchRefused(reply);
      const principal = principalOf(request);
      sdk ??= Promise.all([
        import('./mcp.server.ts'),
        import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
      ]);
      const [{ buildMcpServer, scopeOfTool }, { StreamableHTTPServerTransport }] = await sdk;
      const needed = missingToolScope(request.body, principal, (name) => {
        const tool = toolNamed(name);
        return tool && scopeOfTool(tool);
      });
      if (needed) throw insufficientScope(needed, principal.via === 'oauth', opts.resourceMetadata);
      const server = buildMcpServer(
        { tasks, lists, userId: principal.userId, clock },
        principal.scopes,
        (err) => request.log.error({ err }, 'MCP tool failed'),
      );
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      });
      reply.hijack();
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    },
  );
  app.get('/mcp', { schema }, async (_request, reply) => notAllowed(reply));
  app.delete('/mcp', { schema }, async (_request, reply) => notAllowed(reply));
}
