import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import type { ToolContext } from '../assistant/index.ts';
import { buildMcpServer } from './mcp.server.ts';

describe('a failure of ours in a tool', () => {
  it('reaches the client as a plain internal error, and its message (SQL, ids) only the log', async () => {
    // Found from outside: a query that failed sent its whole SQL text and parameters to the MCP client.
    const failure = new Error(
      'Failed query: select "id" from "tasks" where "user_id" = $1 params: secret-user',
    );
    const logged: unknown[] = [];
    const ctx = {
      userId: 'secret-user',
      clock: () => new Date(),
      tasks: { list: async () => Promise.reject(failure) },
      lists: {},
    } as unknown as ToolContext;
    const server = buildMcpServer(ctx, undefined, (error) => logged.push(error));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(clientSide);
    const answer = client.callTool({ name: 'list_tasks', arguments: {} });
    await expect(answer).rejects.toThrow('Something went wrong on our side; try again.');
    await expect(answer).rejects.not.toThrow(/select|secret/);
    expect(logged).toEqual([failure]);
    await client.close();
  });
});
