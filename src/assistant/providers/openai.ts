import type OpenAI from 'openai';
import type {
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions/completions';
import { z } from 'zod';
import type { Tool } from '../tools/tool.ts';
import {
  type ChatMessage,
  type GenerateRequest,
  type Generation,
  type Provider,
  ProviderError,
  type ToolCallRequest,
} from './provider.ts';

export interface OpenAiOptions {
  apiKey: string;
  /** Any OpenAI-compatible endpoint: OpenAI, OpenRouter, Ollama, vLLM, llama.cpp. */
  baseURL: string | undefined;
  model: string;
}

/**
 * A model behind the Chat Completions protocol, through the official client. Replies are always streamed, so
 * the chat route can pass the text on as it comes; tool calls are gathered from their streamed pieces.
 */
export function createOpenAiProvider(options: OpenAiOptions): Provider {
  // The SDK is loaded with the first message, not at start. One retry for a dropped connection; the chat loop's
  // own time bound covers the rest.
  let client: Promise<OpenAI> | undefined;
  return {
    name: 'openai',
    async generate(request: GenerateRequest): Promise<Generation> {
      try {
        client ??= import('openai').then(
          ({ default: OpenAI }) =>
            new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL ?? null, maxRetries: 1 }),
        );
        const stream = await (await client).chat.completions.create(
          {
            model: options.model,
            messages: toOpenAiMessages(request),
            tools: request.tools.map(toOpenAiTool),
            stream: true,
          },
          { signal: request.signal },
        );
        let text = '';
        const calls: Array<{ id: string; name: string; arguments: string }> = [];
        for await (const chunk of stream) {
          const delta = chunk.choices[0]?.delta;
          if (delta?.content) {
            text += delta.content;
            request.onText?.(delta.content);
          }
          for (const piece of delta?.tool_calls ?? []) {
            calls[piece.index] ??= { id: piece.id ?? `call_${piece.index}`, name: '', arguments: '' };
            const call = calls[piece.index] as { id: string; name: string; arguments: string };
            if (piece.id) call.id = piece.id;
            if (piece.function?.name) call.name += piece.function.name;
            if (piece.function?.arguments) call.arguments += piece.function.arguments;
          }
        }
        return { text, toolCalls: calls.filter(Boolean).map(parseCall) };
      } catch (error) {
        throw await asProviderError(error, request.signal);
      }
    },
  };
}

/** Arguments that are not a JSON object are passed on as text; the loop answers them with a tool error. */
function parseCall(call: { id: string; name: string; arguments: string }): ToolCallRequest {
  if (call.arguments.trim() === '') return { id: call.id, name: call.name, arguments: {} };
  try {
    const parsed: unknown = JSON.parse(call.arguments);
    const isObject = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
    return { id: call.id, name: call.name, arguments: isObject ? parsed : call.arguments };
  } catch {
    return { id: call.id, name: call.name, arguments: call.arguments };
  }
}

export function toOpenAiTool(tool: Tool): ChatCompletionFunctionTool {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(tool.input, { io: 'input', target: 'draft-7' });
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters } };
}

/** The stored conversation as the model sees it: its own earlier tool calls followed by their results. */
export function toOpenAiMessages(request: GenerateRequest): ChatCompletionMessageParam[] {
  const today = new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: request.timeZone,
  }).format(request.now);
  const messages: ChatCompletionMessageParam[] = [
    {
      role: 'system',
      content: `${request.system} It is now ${today} in the user’s time zone (${request.timeZone}).`,
    },
  ];
  for (const message of request.messages) messages.push(...toOpenAi(message));
  return messages;
}

function toOpenAi(message: ChatMessage): ChatCompletionMessageParam[] {
  if (message.role === 'user') return [{ role: 'user', content: message.content }];
  if (message.toolCalls.length === 0) return [{ role: 'assistant', content: message.content }];
  return [
    {
      role: 'assistant',
      content: message.content || null,
      tool_calls: message.toolCalls.map((call) => ({
        id: call.id,
        type: 'function' as const,
        function: {
          name: call.tool_name,
          arguments: typeof call.parameters === 'string' ? call.parameters : JSON.stringify(call.parameters),
        },
      })),
    },
    ...message.toolCalls.map((call) => ({
      role: 'tool' as const,
      tool_call_id: call.id,
      content: JSON.stringify(call.result),
    })),
  ];
}

async function asProviderError(error: unknown, signal: AbortSignal): Promise<unknown> {
  const { default: OpenAI } = await import('openai');
  if (signal.aborted || error instanceof OpenAI.APIConnectionTimeoutError) {
    return new ProviderError('timeout', 'the model took too long');
  }
  if (error instanceof OpenAI.APIConnectionError)
    return new ProviderError('unavailable', 'the model is unreachable');
  if (error instanceof OpenAI.APIError) {
    const status = error.status ?? 0;
    const kind = status === 429 || status >= 500 ? 'unavailable' : 'failed';
    return new ProviderError(kind, `the model answered ${status || 'an error'}`);
  }
  if (error instanceof SyntaxError)
    return new ProviderError('failed', 'the model sent a reply that is not valid');
  return error;
}
