import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.ts';
import { createEventHub } from './events.hub.ts';
import { eventsRoutes } from './events.routes.ts';

export interface EventsFeatureOptions {
  database: Database;
  clock: () => Date;
  /** EVENTS_HEARTBEAT_SECONDS, EVENTS_STREAMS_PER_USER, EVENTS_MAX_STREAMS, EVENTS_CREDENTIAL_CHECK_SECONDS. */
  heartbeatSeconds: number;
  perUser: number;
  maxStreams: number;
  credentialCheckSeconds: number;
}

/**
 * Live updates at GET /api/{user_id}/events, registered with the tasks feature. The events themselves are written
 * by the features that change tasks and lists (publishEvent, eventInsert); this serves them to the streams this
 * instance holds, from the database's notifications. Listening starts when the app is ready; the streams end
 * before the server closes (a shutdown must not wait for clients that never hang up) and listening after.
 */
export async function registerEvents(app: FastifyInstance, opts: EventsFeatureOptions) {
  const hub = createEventHub({
    database: opts.database,
    clock: opts.clock,
    log: app.log,
    heartbeatMs: opts.heartbeatSeconds * 1000,
    perUser: opts.perUser,
    maxStreams: opts.maxStreams,
    credentialCheckMs: opts.credentialCheckSeconds * 1000,
  });
  app.addHook('onReady', () => hub.start());
  app.addHook('preClose', () => hub.stop());
  await app.register(eventsRoutes, {
    hub,
    heartbeatSeconds: opts.heartbeatSeconds,
    perUser: opts.perUser,
    credentialCheckSeconds: opts.credentialCheckSeconds,
  });
  return { hub };
}
