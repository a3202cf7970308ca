import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ownPathOnly, principalOf, userParams } from '../auth/index.ts';
import { aliases } from '../http/aliases.ts';
import { HttpProblem, problemBody, problemSchema } from '../http/problem.ts';
import {
  chatBody,
  chatReplySchema,
  conversationParams,
  conversationSchema,
  messageSchema,
} from './assistant.schemas.ts';
import type { AssistantService } from './assistant.service.ts';

export interface AssistantRoutesOptions {
  service: AssistantService;
  chatPerMinute: number;
}

const secured = [{ bearer: [] }];
const wantsEvents = (request: FastifyRequest) => /\btext\/event-stream\b/.test(request.headers.accept ?? '');
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema };

export async function assistantRoutes(
  app: FastifyInstance,
  { service, chatPerMinute }: AssistantRoutesOptions,
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const onRequest = [
    app.authenticate,
    ownPathOnly(
      'assistant.forbidden',
      'You can only talk about your own tasks; put your own user id, or "me", in the path.',
    ),
  ];
  // Every assistant route needs the `assistant` scope from a personal API token (see auth/scopes.ts).
  const config = { scope: 'assistant' } as const;
  const perUser = app.limiter({
    name: 'chat',
    max: chatPerMinute,
    keyGenerator: (request) => principalOf(request).userId,
  });

  for (const { url, schema } of aliases(['/api/:user_id/chat', '/api/users/:user_id/chat'], {
    tags: ['assistant'],
    summary: 'Talk to the assistant about your tasks',
    description:
      'Send a message, get a reply and the tool calls the assistant made. Without an LLM key the offline ' +
      'assistant answers: it adds, lists, completes, reschedules, renames, re-tags and deletes tasks named ' +
      'loosely, follows "it", asks before changing several tasks, and undoes the last change. With ' +
      '`Accept: text/event-stream` the reply is streamed as server-sent events: `conversation` ' +
      '{conversation_id}, `text` {delta}, `tool_call` {tool_name, parameters, result}, then `done` with the ' +
      'whole reply, or `error` with a problem.',
    security: secured,
    params: userParams,
    body: chatBody,
    response: { 200: chatReplySchema, 404: problemSchema, 502: problemSchema, 503: problemSchema, ...errors },
  })) {
    r.post(url, { onRequest: [...onRequest, perUser], config, schema }, async (request, reply) => {
      const userId = principalOf(request).userId;
      if (!wantsEvents(request)) return service.chat(userId, request.body);
      // Streamed: each piece of text and each tool call as it happens, then the whole reply; a failure after
      // the stream began is an `error` event carrying the problem.
      const events = new PassThrough();
      const send = (event: string, data: unknown) =>
        events.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      service
        .chat(userId, request.body, (event) => {
          if (event.type === 'text') send('text', { delta: event.delta });
          else if (event.type === 'tool_call') send('tool_call', event.call);
          else send('conversation', { conversation_id: event.conversation_id });
        })
        .then((result) => send('done', result))
        .catch((error: unknown) => {
          const problem =
            error instanceof HttpProblem
              ? problemBody(error.status, error.code, error.message, request)
              : problemBody(500, 'request.failed', 'Something went wrong on our side; try again.', request);
          if (!(error instanceof HttpProblem)) request.log.error({ err: error }, 'chat stream failed');
          send('error', problem);
        })
        .finally(() => events.end());
      return (
        reply
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('x-accel-buffering', 'no')
          // A stream is sent as it is; the JSON schema above describes the non-streamed answer.
          .send(events as never)
      );
    });
  }

  for (const { url, schema } of aliases(
    ['/api/:user_id/conversations', '/api/users/:user_id/conversations'],
    {
      tags: ['assistant'],
      summary: 'Your conversations with the assistant, latest first',
      security: secured,
      params: userParams,
      response: { 200: z.array(conversationSchema), ...errors },
    },
  )) {
    r.get(url, { onRequest, config, schema }, async (request) =>
      service.listConversations(principalOf(request).userId),
    );
  }

  for (const { url, schema } of aliases(
    [
      '/api/:user_id/conversations/:conversation_id/messages',
      '/api/users/:user_id/conversations/:conversation_id/messages',
    ],
    {
      tags: ['assistant'],
      summary: 'The messages of a conversation, oldest first, with the tool calls made',
      security: secured,
      params: conversationParams,
      response: { 200: z.array(messageSchema), 404: problemSchema, ...errors },
    },
  )) {
    r.get(url, { onRequest, config, schema }, async (request) =>
      service.messages(principalOf(request).userId, request.params.conversation_id),
    );
  }

  for (const { url, schema } of aliases(
    ['/api/:user_id/conversations/:conversation_id', '/api/users/:user_id/conversations/:conversation_id'],
    {
      tags: ['assistant'],
      summary: 'Delete a conversation and its messages',
      security: secured,
      params: conversationParams,
      response: { 204: z.null().describe('Deleted'), 404: problemSchema, ...errors },
    },
  )) {
    r.delete(url, { onRequest, config, schema }, async (request, reply) => {
      await service.deleteConversation(principalOf(request).userId, request.params.conversation_id);
      return reply.code(204).send(null);
    });
  }
}
