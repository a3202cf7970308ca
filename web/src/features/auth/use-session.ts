import { useSyncExternalStore } from 'react';
import { getSession, type Session, subscribeSession } from '../../lib/api-client.ts';

/** The signed-in session, or null; re-renders when it changes here or in another tab. */
export function useSession(): Session | null {
  return useSyncExternalStore(subscribeSession, getSession);
}
