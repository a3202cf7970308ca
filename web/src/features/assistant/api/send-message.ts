import { ApiError, apiResponse } from '../../../lib/api-client.ts';
import type { ToolCall } from '../types.ts';

export type ChatEvent =
  | { type: 'conversation'; conversation_id: number }
  | { type: 'text'; delta: string }
  | { type: 'tool_call'; call: ToolCall }
  | { type: 'done'; response: string; conversation_id: number };

/**
 * Sends a message and reads the reply as server-sent events, calling `onEvent` for each as it arrives. Read with
 * fetch and a stream reader (EventSource can neither POST nor send the bearer). An `error` event is thrown as
 * an ApiError, like a refused request.
 */
export async function sendMessage(
  message: string,
  conversationId: number | undefined,
  onEvent: (event: ChatEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const response = await apiResponse('/api/me/chat', {
    method: 'POST',
    body: conversationId === undefined ? { message } : { message, conversation_id: conversationId },
    accept: 'text/event-stream',
    signal,
  });
  if (!response.body) throw new ApiError(0, { detail: 'The reply could not be read; try again.' });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    // Events are separated by a blank line; the last piece may be incomplete and waits for more.
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop() ?? '';
    for (const block of blocks) dispatch(block, onEvent);
  }
  if (buffer.trim()) dispatch(buffer, onEvent);
}

function dispatch(block: string, onEvent: (event: ChatEvent) => void) {
  let name = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (data.length === 0) return;
  const payload = JSON.parse(data.join('\n')) as Record<string, unknown>;
  if (name === 'error') throw new ApiError(Number(payload.status) || 500, payload);
  if (name === 'conversation')
    onEvent({ type: 'conversation', conversation_id: Number(payload.conversation_id) });
  else if (name === 'text') onEvent({ type: 'text', delta: String(payload.delta ?? '') });
  else if (name === 'tool_call') onEvent({ type: 'tool_call', call: payload as unknown as ToolCall });
  else if (name === 'done')
    onEvent({
      type: 'done',
      response: String(payload.response ?? ''),
      conversation_id: Number(payload.conversation_id),
    });
}
