import { type MouseEvent, useSyncExternalStore } from 'react';

/**
 * The page's few routes need no router library: the path and query live in `location`, changes go through
 * `navigate`, and components re-render through useSyncExternalStore. The server answers every page path with
 * index.html (src/web/web.feature.ts), so a reload lands on the same page.
 */
const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};
window.addEventListener('popstate', notify);

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function navigate(to: string, { replace = false } = {}) {
  if (to === `${location.pathname}${location.search}`) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
}

export function useLocation(): { path: string; search: string } {
  const path = useSyncExternalStore(subscribe, () => location.pathname);
  const search = useSyncExternalStore(subscribe, () => location.search);
  return { path, search };
}

/** A link's click handler: the page follows it without a reload; a middle or modified click opens a new tab. */
export function linkTo(to: string) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
}
