import { useEffect, useRef, useState } from 'react';
import { followChanges, type LiveStatus } from '../lib/server-events.ts';

/**
 * Changes made elsewhere (another tab or device, the assistant, MCP, the API) shown without a reload: while signed
 * in, the tab follows the account's live updates and calls `onChange` for them, at most once per DEBOUNCE_MS, so
 * that a burst of changes (a list deleted with its tasks, several tabs at work) reads the page once. Every event
 * asks for the same thing, the view read again: what a page shows of a change (a task in a list, the lists'
 * counts, the tags) is cheaper to read again than to work out. Answers the stream's status.
 */
export function useLiveUpdates(userId: string | undefined, onChange: () => void): LiveStatus | undefined {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const changed = useRef(onChange);
  changed.current = onChange;
  useEffect(() => {
    if (!userId) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = followChanges({
      onEvent: () => {
        timer ??= setTimeout(() => {
          timer = undefined;
          changed.current();
        }, DEBOUNCE_MS);
      },
      onStatus: setStatus,
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [userId]);
  return userId ? status : undefined;
}

/** How long events are gathered before the page reads again: well within the second a change should take. */
const DEBOUNCE_MS = 150;
