import { ApiError, apiResponse, getSession } from './api-client.ts';

/**
 * Live updates: the account's stream of changes (GET /api/me/events, server-sent events), read with fetch because
 * EventSource cannot send the bearer token, and kept open: reconnected after a pause that grows with each failure,
 * resuming after the last event seen, with the token refreshed by the API client when it expired.
 */

/** One event of a stream: its `event:` name (`message` when unnamed), `data:` lines and the `id:` it carried. */
export interface ServerEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * Reads a text/event-stream as the WHATWG spec says, a piece at a time: lines end with CR, LF or CRLF, a blank
 * line dispatches the block, a line starting with a colon is a comment. `onId` hears every `id:` (a block without
 * data still moves the point to resume from), `onEvent` every block with data.
 */
export function eventStreamParser(handlers: { onEvent(event: ServerEvent): void; onId(id: string): void }) {
  let buffer = '';
  let data: string[] = [];
  let name = '';
  let id: string | undefined;
  const line = (text: string) => {
    if (text === '') {
      if (id !== undefined) handlers.onId(id);
      if (data.length > 0) handlers.onEvent({ event: name || 'message', data: data.join('\n'), id });
      data = [];
      name = '';
      id = undefined;
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'event') name = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  };
  return (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split(/\r\n|\r|\n/);
    // The last piece may be a line still coming (a lone CR at the end may yet be followed by its LF).
    buffer = lines.pop() ?? '';
    for (const text of lines) line(text);
  };
}

export type LiveStatus = 'connecting' | 'live' | 'paused';

/** The first pause after a failure, and the longest. */
const RETRY_MS = { first: 1_000, most: 30_000 };
/** A stream that ends sooner than this after opening counts as a failure (and the pause grows). */
const MIN_LIFE_MS = 5_000;

/**
 * Follows the account's changes until the returned function is called: `onEvent` for each event (a change, or a
 * `reset`: read everything again), `onStatus` when the stream opens or is lost. One call per tab.
 */
export function followChanges(options: {
  onEvent(event: ServerEvent): void;
  onStatus(status: LiveStatus): void;
}): () => void {
  let stopped = false;
  let lastId: string | undefined;
  let failures = 0;
  let controller: AbortController | undefined;
  let wake: (() => void) | undefined;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  // Back online: try again now rather than after the pause.
  const online = () => wake?.();
  window.addEventListener('online', online);

  (async () => {
    while (!stopped) {
      options.onStatus('connecting');
      controller = new AbortController();
      let waitMs = 0;
      let opened: number | undefined;
      try {
        const query = lastId === undefined ? '' : `?last_event_id=${encodeURIComponent(lastId)}`;
        const response = await apiResponse(`/api/me/events${query}`, {
          accept: 'text/event-stream',
          signal: controller.signal,
        });
        if (!response.body) throw new Error('no stream');
        options.onStatus('live');
        opened = Date.now();
        // A parser per connection: what a broken one left half-read is not an event.
        const parse = eventStreamParser({
          onEvent: (event) => options.onEvent(event),
          onId: (id) => {
            lastId = id;
          },
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parse(value);
        }
        // Ended by the server (the token expired, or the instance is stopping): come back at once, unless it
        // keeps ending as soon as it opens.
        if (Date.now() - opened > MIN_LIFE_MS) failures = 0;
        else failures += 1;
        waitMs = failures === 0 ? 100 : Math.min(RETRY_MS.most, RETRY_MS.first * 2 ** (failures - 1));
      } catch (error) {
        if (stopped) break;
        // Signed out (the refresh was refused): the page stops following, nothing to retry.
        if (error instanceof ApiError && error.status === 401 && !getSession()) break;
        // A stream that had been open a while and broke starts the pauses over.
        if (opened !== undefined && Date.now() - opened > MIN_LIFE_MS) failures = 0;
        failures += 1;
        // Too many tabs open: a longer pause, as the server asks.
        waitMs =
          error instanceof ApiError && error.status === 429
            ? RETRY_MS.most
            : Math.min(RETRY_MS.most, RETRY_MS.first * 2 ** (failures - 1)) * (0.8 + Math.random() * 0.4);
      }
      if (stopped) break;
      if (waitMs > 100) options.onStatus('paused');
      await pause(waitMs);
    }
  })();

  return () => {
    stopped = true;
    controller?.abort();
    wake?.();
    window.removeEventListener('online', online);
  };
}
