import { z } from 'zod';
import { EVENT_TYPES } from './events.repository.ts';

export const eventsQuery = z.strictObject({
  last_event_id: z
    .string()
    .regex(/^\d+$/, 'must be the id of an event the stream sent, a whole number')
    .optional()
    .describe(
      'Resume after this event, as the Last-Event-ID header does (which wins when both are given): for clients ' +
        'that cannot set headers on a reconnect',
    ),
});

export const eventsHeaders = z.looseObject({
  'last-event-id': z
    .string()
    .optional()
    .describe(
      'The last `id:` the stream sent; EventSource sends it on a reconnect. The user’s events after it are sent ' +
        'first (500 at most), or one `reset` event when that cannot be told (older than what is kept, or not an ' +
        'id of this server).',
    ),
});

/** The data of each event (its `event:` field is the type, its `id:` field the id). */
export const liveEventSchema = z
  .object({
    type: z
      .enum([...EVENT_TYPES, 'reset'])
      .describe(
        'What changed. `tasks.reset` (many tasks at once, as an import does) and `reset` (the stream could not ' +
          'resume, see Last-Event-ID) both mean: read everything again',
      ),
    id: z.number().int().describe('The event id, also in the `id:` field').optional(),
    list_id: z.number().int().nullable().optional().describe('The list it happened in, if any'),
    task_id: z.number().int().nullable().optional().describe('The task it happened to, if any'),
    actor: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .optional()
      .describe('Who made the change'),
    at: z.string().optional().describe('When, ISO 8601'),
    reason: z
      .enum(['unknown_id', 'expired_id', 'too_many', 'missed'])
      .optional()
      .describe('Of a `reset`: why the stream could not resume'),
  })
  .meta({ id: 'LiveEvent' });
