import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ownPathOnly, principalOf, userParams } from '../auth/index.ts';
import { problemSchema } from '../http/problem.ts';
import { type EventHub, RETRY_MS, type ResumePoint } from './events.hub.ts';
import { eventsHeaders, eventsQuery, liveEventSchema } from './events.schemas.ts';

export interface EventsRoutesOptions {
  hub: EventHub;
  heartbeatSeconds: number;
  perUser: number;
  credentialCheckSeconds: number;
}

const secured = [{ bearer: [] }];

/**
 * Where a client resumes. An id is what this server wrote in an `id:` field: digits that make a safe integer.
 * The header comes from EventSource, which sends back whatever it was given, so anything else there is not
 * refused but answered with a `reset` (the client re-reads); the query parameter is checked by its schema.
 */
export function resumePoint(header: string | undefined, query: string | undefined): ResumePoint {
  const given = header?.trim() || query;
  if (given === undefined || given === '') return { from: 'now' };
  if (!/^\d{1,16}$/.test(given)) return { from: 'unknown' };
  const id = Number(given);
  return Number.isSafeInteger(id) ? { from: 'id', id } : { from: 'unknown' };
}

export async function eventsRoutes(
  app: FastifyInstance,
  { hub, heartbeatSeconds, perUser, credentialCheckSeconds }: EventsRoutesOptions,
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/:user_id/events',
    {
      onRequest: [
        app.authenticate,
        ownPathOnly(
          'events.forbidden',
          'You can only follow your own changes; put your own user id, or "me", in the path.',
        ),
      ],
      // What the stream says is what reading tasks and lists shows.
      config: { scope: 'tasks:read' },
      schema: {
        tags: ['events'],
        summary: 'Live updates: changes to your tasks and lists, as server-sent events',
        description:
          'A `text/event-stream` that stays open: an event for each change to a task or list you can see, ' +
          'whoever made it and however (this page or another, the assistant, MCP, the API, an import), sent ' +
          'when the change is saved. Each event has an `id:`, an `event:` naming its type (`task.created`, ' +
          '`task.updated`, `task.deleted`, `task.restored`, `list.created`, `list.updated`, `list.deleted`, ' +
          '`tasks.reset`, `reset`) and JSON `data:` `{type, id, list_id, task_id, actor: {id, name}, at}`: ' +
          'ids, not contents, so read what changed with the other routes. `tasks.reset` and `reset` mean: read ' +
          `everything again. A comment line arrives every ${heartbeatSeconds} s (with the \`id:\` to resume ` +
          `from); \`retry: ${RETRY_MS}\` suggests the reconnection delay. On a reconnect, send the last id in ` +
          '`Last-Event-ID` (EventSource does) or `?last_event_id=` to get what you missed. The stream ends when ' +
          'the access token expires: reconnect with a fresh one. A personal API token or a connected app’s token ' +
          `is checked again every ${credentialCheckSeconds} s: the stream ends (with a comment saying why) soon ` +
          'after it is revoked or its account deleted. EventSource cannot send an Authorization ' +
          'header: read the stream with fetch. ' +
          `At most ${perUser} streams per account on one server (429 beyond: close other tabs); a client that ` +
          'does not read is disconnected.',
        security: secured,
        params: userParams,
        querystring: eventsQuery,
        headers: eventsHeaders,
        response: {
          200: {
            description: 'The stream of events; see above. Each `data:` line is one LiveEvent as JSON.',
            content: { 'text/event-stream': { schema: liveEventSchema } },
          },
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          429: problemSchema,
          503: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const resume = resumePoint(request.headers['last-event-id'], request.query.last_event_id);
      const stream = hub.open(principal.userId, reply.raw, request.log);
      try {
        await hub.begin(stream, resume, {
          expiresAt: principal.expiresAt,
          stillValid: app.credentialCheck(request),
        });
      } catch (error) {
        hub.abandon(stream);
        throw error;
      }
      return (
        reply
          .header('content-type', 'text/event-stream; charset=utf-8')
          // No cache, and no proxy may transform (compress) it; X-Accel-Buffering: no asks nginx not to buffer it.
          .header('cache-control', 'no-cache, no-transform')
          .header('x-accel-buffering', 'no')
          .send(stream.body as never)
      );
    },
  );
}
