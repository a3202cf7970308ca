import type { ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { Database, Listening } from '../db/database.ts';
import { streamsFull, tooManyStreams } from './events.errors.ts';
import {
  createEventsRepository,
  EVENTS_CHANNEL,
  type EventRecord,
  type EventsRepository,
} from './events.repository.ts';

export interface HubOptions {
  database: Database;
  clock: () => Date;
  log: FastifyBaseLogger;
  /** How often every stream gets a comment, so that proxies and clients know it is alive. */
  heartbeatMs: number;
  /** Streams one account may hold on this instance (tabs, devices). */
  perUser: number;
  /** Streams this instance holds at most. */
  maxStreams: number;
  /**
   * How often a stream whose credential is checked against the database (a personal API token, a connected app's)
   * has it checked again, so that it ends soon after that stops working (CREDENTIAL_CHECK_MS unless configured).
   */
  credentialCheckMs?: number;
}

/** What a stream was opened with: when its credential expires, and how to ask whether it still works. */
export interface StreamCredential {
  /** When it stops working; null for a personal API token made before tokens expired. */
  expiresAt: Date | null;
  /**
   * For a credential that can be revoked before its expiry (see app.credentialCheck): false once it no longer
   * works, or names another user; it throws when that cannot be told. Undefined when only the expiry ends it.
   */
  stillValid?: (() => Promise<boolean>) | undefined;
}

/** Where a client asks to start: nowhere (a new client), after an event it saw, or from an id we cannot read. */
export type ResumePoint = { from: 'now' } | { from: 'id'; id: number } | { from: 'unknown' };

/** The reconnection delay the stream suggests to EventSource (`retry:`), in milliseconds. */
export const RETRY_MS = 3_000;
/** Events a reconnecting client is sent at most; one that missed more is told to re-read everything. */
export const REPLAY_LIMIT = 500;
/** Events this instance reads at most after its listening connection was replaced; more and every stream resets. */
const CATCH_UP_LIMIT = 1_000;
/**
 * What a stream may have waiting in this process (beyond what the kernel's socket buffer took) before its client
 * is taken to be gone or too slow and is disconnected: about a thousand events, more than a replay writes at once.
 */
export const MAX_BACKLOG_BYTES = 256 * 1024;
/** Live events held for a stream while its replay is read; more, and it is told to re-read everything. */
const MAX_QUEUED = 1_000;
/** Ids of events already delivered, so that one read again after a lost connection is not sent twice. */
const DELIVERED_KEPT = 5_000;
const PRUNE_EVERY_MS = 60_000;
/** How long a shutdown lets a client take the end of its stream. */
const SHUTDOWN_GRACE_MS = 1_000;
/**
 * How often a revocable credential's stream checks it again, unless EVENTS_CREDENTIAL_CHECK_SECONDS says: one query
 * per such stream per interval. Without it, a personal API token revoked while its stream is open would be followed
 * until it expires, up to a year later.
 */
export const CREDENTIAL_CHECK_MS = 30_000;
/** setTimeout's longest delay; a later expiry is waited for in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

interface Stream {
  userId: string;
  /** What the client reads: written here, sent by Fastify. */
  body: PassThrough;
  response: ServerResponse;
  log: FastifyBaseLogger;
  /** Live events that arrived while the replay was read, sent after it; undefined once live. */
  queued: Array<{ id: number; text: string }> | undefined;
  /** Set while queued: more arrived than are held, or the instance missed events; the client must re-read. */
  mustReset: string | undefined;
  /** The id a reconnect would resume from (what `id:` last said). */
  cursor: number;
  expiry: NodeJS.Timeout | undefined;
  /** The next check of a revocable credential. */
  recheck: NodeJS.Timeout | undefined;
  closed: boolean;
}

export type EventHub = ReturnType<typeof createEventHub>;

/**
 * This instance's open event streams, by user, and what feeds them: the database's notifications (every instance
 * hears every event, and writes it to the streams of the users in its audience), a heartbeat, and the pruning of
 * old events.
 */
export function createEventHub(options: HubOptions) {
  const { database, clock, log } = options;
  const credentialCheckMs = options.credentialCheckMs ?? CREDENTIAL_CHECK_MS;
  const repository: EventsRepository = createEventsRepository(database.db);
  const byUser = new Map<string, Set<Stream>>();
  let count = 0;
  /** The newest event id this instance has seen: where a catch-up starts, and what heartbeats advance to. */
  let position = 0;
  const delivered = new Set<number>();
  let listening: Listening | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let pruning: NodeJS.Timeout | undefined;
  let stopped = false;

  const eventText = (event: EventRecord) =>
    `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({
      type: event.type,
      id: event.id,
      list_id: event.list_id,
      task_id: event.task_id,
      actor: event.actor_id === null ? null : { id: event.actor_id, name: event.actor_name ?? '' },
      at: event.at.toISOString(),
    })}\n\n`;
  const resetText = (cursor: number, reason: string) =>
    `id: ${cursor}\nevent: reset\ndata: ${JSON.stringify({ type: 'reset', reason })}\n\n`;

  /** Bytes written to the stream that its client has not taken yet, beyond what the kernel holds for it. */
  const backlog = (stream: Stream) =>
    stream.body.writableLength + stream.body.readableLength + stream.response.writableLength;

  function write(stream: Stream, text: string) {
    if (stream.closed) return;
    stream.body.write(text);
    const waiting = backlog(stream);
    if (waiting > MAX_BACKLOG_BYTES) {
      stream.log.warn(
        { backlog_bytes: waiting },
        'live updates: the client takes too long to read; its stream is closed',
      );
      close(stream, 'drop');
    }
  }

  function send(stream: Stream, id: number, text: string) {
    if (stream.closed) return;
    if (stream.queued) {
      if (stream.queued.length < MAX_QUEUED) stream.queued.push({ id, text });
      else stream.mustReset ??= 'too_many';
      return;
    }
    stream.cursor = Math.max(stream.cursor, id);
    write(stream, text);
  }

  /** Ends a stream: `end` lets the client read what was written, `drop` discards it (a client not reading). */
  function close(stream: Stream, how: 'end' | 'drop') {
    if (stream.closed) return;
    forget(stream);
    if (how === 'end') stream.body.end();
    else stream.body.destroy();
  }

  function forget(stream: Stream) {
    if (stream.closed) return;
    stream.closed = true;
    clearTimeout(stream.expiry);
    clearTimeout(stream.recheck);
    const streams = byUser.get(stream.userId);
    if (streams?.delete(stream)) count -= 1;
    if (streams?.size === 0) byUser.delete(stream.userId);
  }

  function deliver(event: EventRecord) {
    if (delivered.has(event.id)) return;
    delivered.add(event.id);
    if (delivered.size > DELIVERED_KEPT) {
      const [oldest] = delivered;
      if (oldest !== undefined) delivered.delete(oldest);
    }
    position = Math.max(position, event.id);
    let text: string | undefined;
    for (const userId of event.audience) {
      for (const stream of byUser.get(userId) ?? []) {
        text ??= eventText(event);
        send(stream, event.id, text);
      }
    }
  }

  function resetAll(reason: string) {
    for (const streams of byUser.values())
      for (const stream of streams) {
        if (stream.queued) stream.mustReset ??= reason;
        else write(stream, resetText(position, reason));
      }
  }

  /** A notification: the event itself, or (when it did not fit in one) its id, to read. */
  function notified(payload: string) {
    let parsed: Partial<Omit<EventRecord, 'at'>> & { at?: string };
    try {
      parsed = JSON.parse(payload);
    } catch {
      log.warn(
        { payload: payload.slice(0, 200) },
        'live updates: a notification that is not JSON was ignored',
      );
      return;
    }
    if (typeof parsed.id !== 'number') return;
    if (!parsed.audience || !parsed.type) {
      repository.byId(parsed.id).then(
        (event) => event && deliver(event),
        (err: unknown) => log.warn({ err, event_id: parsed.id }, 'live updates: an event could not be read'),
      );
      return;
    }
    deliver({
      id: parsed.id,
      type: parsed.type,
      audience: parsed.audience,
      list_id: parsed.list_id ?? null,
      task_id: parsed.task_id ?? null,
      actor_id: parsed.actor_id ?? null,
      actor_name: parsed.actor_name ?? null,
      at: new Date(parsed.at ?? Date.now()),
    });
  }

  /** After a lost listening connection: what was announced meanwhile, read from the table. */
  async function catchUp() {
    try {
      const missed = await repository.after(position, CATCH_UP_LIMIT + 1);
      if (missed.length > CATCH_UP_LIMIT) {
        position = missed[missed.length - 1]?.id ?? position;
        resetAll('missed');
        log.warn('live updates: too many events missed while the database was away; every stream was reset');
        return;
      }
      for (const event of missed) deliver(event);
      if (missed.length > 0)
        log.info({ events: missed.length }, 'live updates: events missed while away were delivered');
    } catch (err) {
      log.warn(
        { err },
        'live updates: the events missed while away could not be read; every stream was reset',
      );
      resetAll('missed');
    }
  }

  return {
    /** Starts listening, the heartbeat and the pruning (when the app is ready). */
    async start() {
      let heard = true;
      listening = await database.listen(EVENTS_CHANNEL, {
        notify: notified,
        listening: (resumed) => {
          heard = true;
          if (resumed) {
            log.info('live updates: listening for events again; reading what was missed');
            void catchUp();
          } else
            repository.bounds().then(
              ({ newest }) => (position = Math.max(position, newest ?? 0)),
              () => {},
            );
        },
        // Said once per outage, not for each attempt to connect again.
        lost: (err) => {
          if (heard)
            log.warn({ err }, 'live updates: the connection listening for events was lost; reconnecting');
          heard = false;
        },
      });
      heartbeat = setInterval(() => {
        for (const streams of byUser.values())
          for (const stream of streams) {
            if (stream.queued) continue;
            stream.cursor = Math.max(stream.cursor, position);
            write(stream, `: keep-alive\nid: ${stream.cursor}\n\n`);
          }
      }, options.heartbeatMs);
      heartbeat.unref();
      const prune = () =>
        repository.prune().catch((err: unknown) => log.warn({ err }, 'live updates: pruning events failed'));
      pruning = setInterval(prune, PRUNE_EVERY_MS);
      pruning.unref();
    },

    /**
     * Ends every stream (a shutdown: the clients reconnect, to another instance) and stops listening. Run before
     * the server closes, so that the streams do not hold it open.
     */
    async stop() {
      stopped = true;
      clearInterval(heartbeat);
      clearInterval(pruning);
      for (const streams of [...byUser.values()])
        for (const stream of [...streams]) {
          stream.body.write(': this server is stopping; reconnect\n\n');
          // Not kept alive for another request: the server's close waits for every connection, and one that
          // becomes idle after the close began would only be closed by the keep-alive timeout (72 s).
          const { response } = stream;
          const { socket } = response;
          response.once('finish', () => socket?.end());
          // Nor waited for: a client that does not take the end within a second is cut off.
          const cut = setTimeout(() => response.destroy(), SHUTDOWN_GRACE_MS);
          response.once('close', () => clearTimeout(cut));
          close(stream, 'end');
        }
      await listening?.close();
    },

    /**
     * Takes a stream for the user, within the caps (else a 429 or 503 problem). Live events are held for it until
     * `begin` has written what comes before them.
     */
    open(userId: string, response: ServerResponse, streamLog: FastifyBaseLogger): Stream {
      if (stopped) throw streamsFull(options.maxStreams);
      const streams = byUser.get(userId) ?? new Set<Stream>();
      if (streams.size >= options.perUser) throw tooManyStreams(options.perUser);
      if (count >= options.maxStreams) throw streamsFull(options.maxStreams);
      const stream: Stream = {
        userId,
        body: new PassThrough(),
        response,
        log: streamLog,
        queued: [],
        mustReset: undefined,
        cursor: 0,
        expiry: undefined,
        recheck: undefined,
        closed: false,
      };
      streams.add(stream);
      byUser.set(userId, streams);
      count += 1;
      // Whoever ends it (the client hanging up, Fastify, this hub), it leaves the user's streams.
      stream.body.on('close', () => forget(stream));
      stream.body.on('error', () => forget(stream));
      return stream;
    },

    /** A stream that will not be sent after all (its opening failed). */
    abandon(stream: Stream) {
      close(stream, 'drop');
    },

    /**
     * Writes the stream's beginning: the reconnection delay, then what the client missed since `resume` (or a
     * `reset` when that cannot be told: an id older than what is kept, or unknown), or for a new client only the id
     * to resume from; then the live events that came meanwhile. Closes the stream when the credential expires, so
     * that the client comes back with a fresh one, or, for one that can be revoked, within an interval of its no
     * longer working (revoked, its account deleted).
     */
    async begin(stream: Stream, resume: ResumePoint, credential: StreamCredential) {
      const { oldest, newest } = await repository.bounds();
      const head = newest ?? 0;
      let text = `retry: ${RETRY_MS}\n\n`;
      const replayed = new Set<number>();
      let reset: string | undefined;
      if (resume.from === 'unknown') reset = 'unknown_id';
      else if (resume.from === 'id') {
        if (resume.id > head) reset = 'unknown_id';
        else if (oldest !== null && resume.id < oldest - 1) reset = 'expired_id';
        else {
          const events = await repository.replay(stream.userId, resume.id, REPLAY_LIMIT + 1);
          if (events.length > REPLAY_LIMIT) reset = 'too_many';
          else
            for (const event of events) {
              replayed.add(event.id);
              text += eventText(event);
            }
        }
      }
      stream.cursor = Math.max(head, position);
      const queued = stream.queued ?? [];
      stream.queued = undefined;
      reset ??= stream.mustReset;
      if (reset) text += resetText(stream.cursor, reset);
      else {
        text += `id: ${stream.cursor}\n\n`;
        for (const { id, text: event } of queued) {
          if (replayed.has(id)) continue;
          stream.cursor = Math.max(stream.cursor, id);
          text += event;
        }
      }
      write(stream, text);
      if (credential.expiresAt && !stream.closed) closeAt(stream, credential.expiresAt);
      if (credential.stillValid && !stream.closed) recheckLater(stream, credential.stillValid);
    },

    /** Streams open on this instance: in all, and the user's. */
    streams(userId?: string): number {
      return userId === undefined ? count : (byUser.get(userId)?.size ?? 0);
    },
  };

  function closeAt(stream: Stream, expiresAt: Date) {
    const wait = expiresAt.getTime() - clock().getTime();
    stream.expiry = setTimeout(
      () => {
        if (stream.closed) return;
        if (wait > LONGEST_TIMER_MS) return closeAt(stream, expiresAt);
        stream.body.write(': the access token expired; reconnect with a fresh one and Last-Event-ID\n\n');
        close(stream, 'end');
      },
      Math.max(0, Math.min(wait, LONGEST_TIMER_MS)),
    );
    stream.expiry.unref();
  }

  /**
   * Checks the stream's credential again after an interval, and then again, one check at a time: ends the stream
   * once it no longer works, keeps it when the check fails (the database away: a revocation needs it too).
   */
  function recheckLater(stream: Stream, stillValid: () => Promise<boolean>) {
    stream.recheck = setTimeout(async () => {
      if (stream.closed) return;
      let valid = true;
      try {
        valid = await stillValid();
      } catch (err) {
        stream.log.warn(
          { err },
          'live updates: the stream’s credential could not be checked; tried again later',
        );
      }
      if (stream.closed) return;
      if (valid) return recheckLater(stream, stillValid);
      stream.log.info(
        'live updates: the stream’s credential no longer works (revoked); the stream was ended',
      );
      stream.body.write(
        ': the credential no longer works (revoked, or its account deleted); reconnect with a valid one\n\n',
      );
      close(stream, 'end');
    }, credentialCheckMs);
    stream.recheck.unref();
  }
}
