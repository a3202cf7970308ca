import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * A stand-in for a hosted model: a local HTTP server that speaks the Chat Completions protocol, streamed as the
 * assistant always asks, and gives scripted replies in order. Each request body is kept for assertions.
 */
export type ScriptedReply =
  | { text: string }
  | { toolCalls: Array<{ name: string; arguments: string }> }
  | { status: number }
  | { delayMs: number; reply: ScriptedReply };

export interface FakeLlm {
  url: string;
  requests: Array<Record<string, unknown>>;
  /** Replaces whatever is left of the script, and forgets the requests seen. */
  script(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

export async function startFakeLlm(): Promise<FakeLlm> {
  const queue: ScriptedReply[] = [];
  const requests: Array<Record<string, unknown>> = [];
  const server: Server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    requests.push(body);
    let reply = queue.shift() ?? { text: 'No more scripted replies.' };
    while ('delayMs' in reply) {
      const { delayMs } = reply;
      const next: ScriptedReply = reply.reply;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (res.destroyed) return;
      reply = next;
    }
    if ('status' in reply) {
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
      return;
    }
    const chunks = 'text' in reply ? textChunks(reply.text) : toolCallChunks(reply.toolCalls);
    const finish = 'text' in reply ? 'stop' : 'tool_calls';
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const delta of chunks) res.write(`data: ${JSON.stringify(chunk(delta, null))}\n\n`);
    res.write(`data: ${JSON.stringify(chunk({}, finish))}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fake LLM did not listen');
  return {
    url: `http://127.0.0.1:${address.port}/v1`,
    requests,
    script: (...replies) => {
      queue.splice(0, queue.length, ...replies);
      requests.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (part) => {
      data += part;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

/** Text in pieces of a few words, as models stream it. */
function textChunks(text: string): Array<Record<string, unknown>> {
  const pieces = text.match(/\S+\s*/g) ?? [text];
  return [{ role: 'assistant', content: '' }, ...pieces.map((content) => ({ content }))];
}

/** Each call announced with its id and name, then its arguments in two halves. */
function toolCallChunks(calls: Array<{ name: string; arguments: string }>): Array<Record<string, unknown>> {
  return calls.flatMap((call, index) => {
    const half = Math.floor(call.arguments.length / 2);
    return [
      {
        tool_calls: [
          {
            index,
            id: `call_${index}_${call.name}`,
            type: 'function',
            function: { name: call.name, arguments: '' },
          },
        ],
      },
      { tool_calls: [{ index, function: { arguments: call.arguments.slice(0, half) } }] },
      { tool_calls: [{ index, function: { arguments: call.arguments.slice(half) } }] },
    ];
  });
}

function chunk(delta: Record<string, unknown>, finish: string | null) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'fake',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}
