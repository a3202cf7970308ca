import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/lib.ts';
import {
  createTestApp,
  expectPlainWords,
  registerUser,
  TEST_SECRET,
  type TestApp,
} from '../../test/helpers.ts';
import { TOOLS } from '../assistant/index.ts';
import { connectApp, consentByHttp, listeningTestApp } from '../auth/testing.ts';
import { clientFor } from '../tasks/testing.ts';

const CLI = new URL('../cli/mcp.ts', import.meta.url).pathname;
const INSPECTOR = new URL(
  '../../node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js',
  import.meta.url,
).pathname;
const run = promisify(execFile);

let t: TestApp;
let base: string;
let token: string;
let userId: string;

/** A personal API token, as an MCP client is given. */
async function apiToken(
  app: TestApp,
  user: Awaited<ReturnType<typeof registerUser>>,
  scopes?: string[],
): Promise<string> {
  const response = await clientFor(app, user).post('/api/auth/tokens', { name: 'mcp', scopes });
  return response.json().token;
}

async function httpClient(bearer = token): Promise<Client> {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', base), {
      requestInit: { headers: { authorization: `Bearer ${bearer}` } },
    }),
  );
  return client;
}

beforeAll(async () => {
  t = await createTestApp();
  const user = await registerUser(t.app);
  userId = user.id;
  token = await apiToken(t, user);
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => t.close());

describe('MCP over Streamable HTTP', () => {
  it('lists the six tools with input and output schemas (snapshot), and reports its size', async () => {
    const client = await httpClient();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'add_task',
      'list_tasks',
      'complete_task',
      'update_task',
      'delete_task',
      'restore_task',
    ]);
    for (const tool of tools) expect(tool.outputSchema?.type).toBe('object');
    const json = JSON.stringify({ tools });
    await expect(`${JSON.stringify({ tools }, null, 2)}\n`).toMatchFileSnapshot(
      '__snapshots__/tools-list.json',
    );
    // The whole list goes into every model request of an MCP client: keep it small. It was under 14,000 bytes
    // with five tools; restore_task added 1,823, most of it the task in its output schema, and refusing unknown
    // arguments (`additionalProperties: false` in each input schema) 150: 14,827 in all. Lists put list_id in
    // the task (15,631); the tools' own task (see toolTask: plain ids, its list's name) and `list` in three tools
    // came to 14,874.
    expect(Buffer.byteLength(json)).toBeLessThan(15_000);
    console.info(`tools/list result: ${Buffer.byteLength(json)} bytes`);
    await client.close();
  });

  it.each([
    ['add_task', { readOnlyHint: false, destructiveHint: false, idempotentHint: false }],
    ['list_tasks', { readOnlyHint: true, destructiveHint: false, idempotentHint: true }],
    ['complete_task', { readOnlyHint: false, destructiveHint: false, idempotentHint: true }],
    ['update_task', { readOnlyHint: false, destructiveHint: false, idempotentHint: true }],
    ['delete_task', { readOnlyHint: false, destructiveHint: true, idempotentHint: false }],
    ['restore_task', { readOnlyHint: false, destructiveHint: false, idempotentHint: true }],
  ])('annotates %s', async (name, hints) => {
    const client = await httpClient();
    const tool = (await client.listTools()).tools.find((x) => x.name === name);
    expect(tool?.annotations).toEqual({ title: expect.any(String), ...hints, openWorldHint: false });
    await client.close();
  });

  it('runs tools for the token’s user, with structured content and the same JSON as text', async () => {
    const client = await httpClient();
    const added = (await client.callTool({
      name: 'add_task',
      arguments: { title: 'Call mum', due_date: '2026-12-03', tags: ['family'] },
    })) as CallToolResult;
    expect(added.isError).toBeFalsy();
    expect(added.structuredContent).toMatchObject({
      task: { title: 'Call mum', user_id: userId, tags: ['family'] },
    });
    expect(JSON.parse((added.content[0] as { text: string }).text)).toEqual(added.structuredContent);
    const id = (added.structuredContent as { task: { id: number } }).task.id;

    const done = (await client.callTool({
      name: 'complete_task',
      arguments: { task_id: id },
    })) as CallToolResult;
    expect(done.structuredContent).toMatchObject({ task: { completed: true } });
    const listed = (await client.callTool({
      name: 'list_tasks',
      arguments: { status: 'completed' },
    })) as CallToolResult;
    expect(listed.structuredContent).toMatchObject({ total: 1, tasks: [{ id }] });
    await client.close();
  });

  it('adds to a list by its name and lists that list, naming each task’s list', async () => {
    const user = await registerUser(t.app);
    await clientFor(t, user).post('/api/me/lists', { name: 'Release' });
    const client = await httpClient(await apiToken(t, user));
    const added = (await client.callTool({
      name: 'add_task',
      arguments: { title: 'Tag v2', list: 'release' },
    })) as CallToolResult;
    expect(added.isError).toBeFalsy();
    expect(added.structuredContent).toMatchObject({ task: { title: 'Tag v2', list: 'Release' } });
    await client.callTool({ name: 'add_task', arguments: { title: 'Elsewhere' } });
    const listed = (await client.callTool({
      name: 'list_tasks',
      arguments: { list: 'Release' },
    })) as CallToolResult;
    expect(listed.structuredContent).toMatchObject({
      total: 1,
      tasks: [{ title: 'Tag v2', list: 'Release' }],
    });
    const unknown = (await client.callTool({
      name: 'add_task',
      arguments: { title: 'Lost', list: 'Releases' },
    })) as CallToolResult;
    expect(unknown).toMatchObject({
      isError: true,
      content: [
        {
          text: 'There is no list called "Releases"; your lists are: Inbox, Release. Did you mean Release?',
        },
      ],
    });
    await client.close();
  });

  it('answers a refused operation or invalid arguments as a tool error in the words of tools', async () => {
    const client = await httpClient();
    const call = async (name: string, args: Record<string, unknown>) => {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      expect(result.isError).toBe(true);
      const text = (result.content[0] as { text: string }).text;
      // Never a REST route, an HTTP status or the SDK's and zod's own wording with internal paths.
      expect(text).not.toMatch(/\/api\/|\b(GET|POST|PATCH|HTTP)\b|\b[45]\d\d\b/);
      expectPlainWords(text);
      return text;
    };
    expect(await call('delete_task', { task_id: 999_999 })).toBe(
      'No task with this task_id belongs to the user; find its id with list_tasks.',
    );
    expect(await call('add_task', { title: 42, tags: ['ok', ' '], priority: 'critical' })).toBe(
      'Invalid arguments for add_task: `title` must be a string, not a whole number; `priority` must be one of ' +
        'low, medium, high, urgent; `tags[1]` must not be empty.',
    );
    expect(await call('update_task', { task_id: 'seven', clear: ['everything'] })).toBe(
      'Invalid arguments for update_task: `task_id` must be a number, not a string; `clear[0]` must be one of ' +
        'description, due_date, recurrence, tags.',
    );
    expect(await call('remove_task', { task_id: 1 })).toBe(
      'There is no tool "remove_task"; use one of add_task, list_tasks, complete_task, update_task, delete_task, ' +
        'restore_task.',
    );
    await client.close();
  });

  it('refuses an argument a tool does not have, with the one meant, and changes nothing', async () => {
    const user = await registerUser(t.app);
    const client = await httpClient(await apiToken(t, user));
    const refused = async (name: string, args: Record<string, unknown>) => {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      expect(result.isError, JSON.stringify(result)).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      const text = (result.content[0] as { text: string }).text;
      expectPlainWords(text);
      return text;
    };
    expect(await refused('add_task', { title: 'mcp typo test', priorty: 'high', tgas: ['x'] })).toBe(
      'add_task has no argument `priorty`; did you mean `priority`? It has no argument `tgas`; did you mean ' +
        '`tags`? Its arguments are: title, description, priority, tags, due_date, recurrence, list.',
    );
    const listed = (await client.callTool({
      name: 'list_tasks',
      arguments: { status: 'all' },
    })) as CallToolResult;
    expect(listed.structuredContent).toMatchObject({ total: 0, tasks: [] });
    expect(await refused('list_tasks', { staus: 'completed' })).toBe(
      'list_tasks has no argument `staus`; did you mean `status`? Its arguments are: search, status, list, ' +
        'priority, tags, due, due_before, due_after, sort_by, order, limit.',
    );
    expect(await refused('add_task', { titel: 'x' })).toBe(
      'add_task has no argument `titel`; did you mean `title`? Its arguments are: title, description, priority, ' +
        'tags, due_date, recurrence, list. Also, `title` is required.',
    );
    const priority = await refused('add_task', { title: 'x', priority: 'critical' });
    expect(priority).toBe(
      'Invalid arguments for add_task: `priority` must be one of low, medium, high, urgent.',
    );
    expect(priority).not.toMatch(/Invalid option|expected one of|priority\.\d/);
    expect(await refused('add_task', { title: 'x', recurrence: 'every monday' })).not.toMatch(
      /BYSETPOS|=\.\.\./,
    );
    // The tools say so when listed: an MCP client that checks arguments against the schema refuses them itself.
    for (const tool of (await client.listTools()).tools) {
      expect(tool.inputSchema.additionalProperties, tool.name).toBe(false);
    }
    expect((await clientFor(t, user).get('/api/me/tasks?status=all')).json().total).toBe(0);
    await client.close();
  });

  it('keeps each user to their own tasks', async () => {
    const other = await registerUser(t.app);
    const mine = await httpClient();
    const { task } = (
      (await mine.callTool({ name: 'add_task', arguments: { title: 'Private' } })) as CallToolResult
    ).structuredContent as { task: { id: number } };
    const theirs = await httpClient(await apiToken(t, other));
    const attempt = (await theirs.callTool({
      name: 'delete_task',
      arguments: { task_id: task.id },
    })) as CallToolResult;
    expect(attempt.isError).toBe(true);
    await Promise.all([mine.close(), theirs.close()]);
  });

  it('serves a read-only token list_tasks alone, and answers a write tool with the 403 scope challenge', async () => {
    const user = await registerUser(t.app);
    const readOnly = await apiToken(t, user, ['tasks:read']);
    const client = await httpClient(readOnly);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['list_tasks']);
    const listed = (await client.callTool({ name: 'list_tasks', arguments: {} })) as CallToolResult;
    expect(listed.structuredContent).toMatchObject({ total: 0 });
    await client.close();
    for (const tool of TOOLS.filter((tool) => !tool.annotations.readOnlyHint)) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/mcp',
        headers: {
          authorization: `Bearer ${readOnly}`,
          accept: 'application/json, text/event-stream',
        },
        payload: {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: tool.name, arguments: { title: 'not allowed', task_id: 1 } },
        },
      });
      expect(response.statusCode, tool.name).toBe(403);
      // Like the 401, it names the resource metadata: where an OAuth client asks for more (MCP's step-up).
      expect(response.headers['www-authenticate']).toMatch(
        /^Bearer error="insufficient_scope", scope="tasks:write", resource_metadata="http:\/\/[^"]+\/\.well-known\/oauth-protected-resource\/mcp"$/,
      );
      expect(response.json().code).toBe('auth.insufficient_scope');
      // Said to the person behind the MCP client: what to do in Doable, not a REST route to call.
      expect(response.json().detail).toBe(
        'This connection may not change your tasks, only read them. To let it, create a token with the ' +
          "tasks:write scope in Doable's Settings → API tokens and use it here (or connect the app by its " +
          'address and allow it to change your tasks).',
      );
    }
    const tasks = await clientFor(t, user).get('/api/me/tasks?status=all');
    expect(tasks.json().total).toBe(0);
  });

  it('tells an app connected to read only to connect again and allow changes, with the same challenge', async () => {
    const oauth = await listeningTestApp();
    try {
      const user = await registerUser(oauth.app);
      const app = await connectApp(oauth.base, user.accessToken, { scope: 'tasks:read' });
      const response = await oauth.app.inject({
        method: 'POST',
        url: '/mcp',
        headers: {
          authorization: `Bearer ${app.accessToken}`,
          accept: 'application/json, text/event-stream',
        },
        payload: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'add_task', arguments: {} } },
      });
      expect(response.statusCode).toBe(403);
      expect(response.headers['www-authenticate']).toMatch(
        /^Bearer error="insufficient_scope", scope="tasks:write", resource_metadata="[^"]+\/\.well-known\/oauth-protected-resource\/mcp"$/,
      );
      expect(response.json().detail).toBe(
        'This app may not change your tasks. To let it, connect it to Doable again and allow it to change your ' +
          'tasks.',
      );
    } finally {
      await oauth.close();
    }
  });

  it('refuses a token without any task scope before MCP sees the request', async () => {
    const user = await registerUser(t.app);
    const chatOnly = await apiToken(t, user, ['assistant']);
    await expect(httpClient(chatOnly)).rejects.toThrow(/403|insufficient_scope|Forbidden/);
    const response = await t.app.inject({
      method: 'POST',
      url: '/mcp',
      headers: { authorization: `Bearer ${chatOnly}`, accept: 'application/json, text/event-stream' },
      payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['www-authenticate']).toMatch(
      /^Bearer error="insufficient_scope", scope="tasks:read", resource_metadata="[^"]+\/\.well-known\/oauth-protected-resource\/mcp"$/,
    );
    expect(response.json().detail).not.toMatch(/\/api\/|\b(GET|POST|PATCH|DELETE)\b/);
    expect(response.json().detail).toMatch(
      /^This connection may not see your tasks\. .*Settings → API tokens/,
    );
  });

  it('answers a real 401 with WWW-Authenticate without a valid token, and 405 to GET and DELETE', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    for (const authorization of [undefined, 'Bearer not-a-token']) {
      const response = await fetch(new URL('/mcp', base), {
        method: 'POST',
        body,
        headers: authorization ? { ...headers, authorization } : headers,
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(new URL('/mcp', base), {
        method,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(405);
    }
  });

  it('refuses a JSON-RPC batch with 400 and a JSON-RPC error, running none of its calls', async () => {
    const call = (id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'add_task', arguments: { title: `batch ${id}`, recurrence: 'FREQ=DAILY' } },
    });
    const response = await fetch(new URL('/mcp', base), {
      method: 'POST',
      body: JSON.stringify(Array.from({ length: 100 }, (_, i) => call(i + 1))),
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      jsonrpc: '2.0',
      error: {
        code: -32600,
        message: 'Invalid Request: JSON-RPC batches are not supported; send one request per POST.',
      },
      id: null,
    });
    const tasks = await t.app.inject({
      method: 'GET',
      url: '/api/me/tasks?search=batch',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(tasks.json().total).toBe(0);
  });
});

describe('the MCP Inspector CLI', () => {
  it('lists the tools and calls one over HTTP with a bearer token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'doable-inspector-'));
    const inspect = async (...args: string[]) => {
      const { stdout } = await run(
        process.execPath,
        [
          INSPECTOR,
          '--cli',
          new URL('/mcp', base).href,
          '--transport',
          'http',
          '--header',
          `Authorization: Bearer ${token}`,
          ...args,
        ],
        {
          env: { ...process.env, MCP_CATALOG_PATH: join(dir, 'mcp.json'), HOME: dir },
          timeout: 60_000,
        },
      );
      return JSON.parse(stdout);
    };
    try {
      const listed = await inspect('--method', 'tools/list');
      expect(listed.tools.map((tool: { name: string }) => tool.name)).toContain('delete_task');
      const called = await inspect(
        '--method',
        'tools/call',
        '--tool-name',
        'add_task',
        '--tool-arg',
        'title=From the inspector',
      );
      expect(called.structuredContent).toMatchObject({
        task: { title: 'From the inspector', user_id: userId },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('the MCP Inspector CLI by OAuth', () => {
  it('signs in by URL alone: it registers, prints the authorization URL, and takes the code at its callback', async () => {
    const oauth = await listeningTestApp();
    const dir = await mkdtemp(join(tmpdir(), 'doable-inspector-oauth-'));
    try {
      const user = await registerUser(oauth.app);
      const callback = `http://127.0.0.1:${await freePort()}/oauth/callback`;
      // No browser here: the CLI prints the URL (MCP_AUTO_OPEN_ENABLED lets it log in without a terminal) and
      // waits on its loopback callback; the person's part is done over HTTP, and the browser's last hop sent to it.
      const child = spawn(
        process.execPath,
        [INSPECTOR, '--cli', new URL('/mcp', oauth.base).href, '--method', 'tools/list', '--format', 'json'],
        {
          env: {
            ...process.env,
            HOME: dir,
            MCP_CATALOG_PATH: join(dir, 'mcp.json'),
            MCP_OAUTH_CALLBACK_URL: callback,
            MCP_AUTO_OPEN_ENABLED: 'true',
            BROWSER: 'true',
          },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const printed = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk) => {
          stderr += chunk;
          const url = /navigate to: (\S+)/.exec(stderr)?.[1];
          if (url) resolve(url);
        });
        child.on('exit', () => reject(new Error(`the Inspector exited: ${stderr}`)));
      });
      expect(new URL(printed).searchParams.get('resource')).toBe(`${oauth.base}/mcp`);
      const landing = await consentByHttp(printed, user.accessToken);
      expect(`${landing.origin}${landing.pathname}`).toBe(callback);
      expect((await fetch(landing)).status).toBe(200);
      expect(await exited).toBe(0);
      const { result } = JSON.parse(stdout);
      expect(result.tools.map((tool: { name: string }) => tool.name)).toContain('add_task');
    } finally {
      await oauth.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('MCP over stdio (npm run mcp)', () => {
  it('forwards to the service at DOABLE_URL', async () => {
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [CLI],
        env: { PATH: process.env.PATH ?? '', DOABLE_TOKEN: token, DOABLE_URL: base },
        stderr: 'pipe',
      }),
    );
    expect((await client.listTools()).tools).toHaveLength(TOOLS.length);
    const added = (await client.callTool({
      name: 'add_task',
      arguments: { title: 'Over stdio' },
    })) as CallToolResult;
    expect(added.structuredContent).toMatchObject({ task: { title: 'Over stdio', user_id: userId } });
    await client.close();
  });

  it('opens the local database without DOABLE_URL and checks the token there', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'doable-mcp-'));
    const env = { NODE_ENV: 'test', JWT_SECRET: TEST_SECRET, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    try {
      const { openDatabase } = await import('../db/database.ts');
      const database = await openDatabase({ dataDir });
      await database.migrate();
      const local = await createTestApp({ database, env });
      const user = await registerUser(local.app);
      const localToken = await apiToken(local, user);
      await local.close();
      await database.close();

      const spawnClient = async (bearer: string) => {
        const client = new Client({ name: 'test', version: '1.0.0' });
        await client.connect(
          new StdioClientTransport({
            command: process.execPath,
            args: [CLI],
            env: { PATH: process.env.PATH ?? '', ...env, DOABLE_TOKEN: bearer },
            stderr: 'pipe',
          }),
        );
        return client;
      };
      const client = await spawnClient(localToken);
      const added = (await client.callTool({
        name: 'add_task',
        arguments: { title: 'Local' },
      })) as CallToolResult;
      expect(added.structuredContent).toMatchObject({ task: { title: 'Local', user_id: user.id } });
      await client.close();
      await expect(spawnClient('doable_pat_wrong')).rejects.toThrow();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
