/**
 * The one way the page talks to the API: it sends the bearer token, trades the refresh token for a new pair
 * when the server answers 401 (once, shared by every call that was waiting), and turns RFC 9457 problems into
 * ApiError, with the field errors keyed by form field (`body.email` → `email`).
 */

export interface User {
  id: string;
  email: string | null;
  name: string;
  timezone: string;
  created_at: string;
}

export interface Session {
  access_token: string;
  refresh_token: string;
  user: User;
}

interface Problem {
  status?: number;
  code?: string;
  detail?: string;
  title?: string;
  request_id?: string;
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Messages by form field: `email`, `password`, `text`; what no field shows is in `message`. */
  readonly fields: Record<string, string>;
  readonly requestId: string | undefined;

  constructor(status: number, problem: Problem) {
    // Details quote field names in backticks for developers; people read them without.
    super((problem.detail ?? problem.title ?? `The server answered ${status}.`).replace(/`([^`]*)`/g, '$1'));
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? 'unknown';
    this.requestId = problem.request_id;
    this.fields = {};
    for (const { field, message } of problem.errors ?? []) {
      const name = field.replace(/^(body|query|path|header)\./, '');
      this.fields[name] ??= message;
    }
  }
}

// The session is kept in localStorage so that it survives a reload and is shared by the user's tabs. The page
// loads no third-party script and its Content-Security-Policy allows only its own, which is what keeps the
// tokens there out of reach of others.
const STORAGE_KEY = 'doable.session';
let session: Session | null = readStoredSession();
const listeners = new Set<() => void>();

function readStoredSession(): Session | null {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return stored?.access_token && stored.refresh_token && stored.user ? stored : null;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  return session;
}

export function setSession(next: Session | null) {
  session = next;
  if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  else localStorage.removeItem(STORAGE_KEY);
  for (const listener of listeners) listener();
}

export function subscribeSession(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Another tab signed in, out, or refreshed: take its session rather than spend a refresh token it already used.
window.addEventListener('storage', (event) => {
  if (event.key !== STORAGE_KEY) return;
  session = readStoredSession();
  for (const listener of listeners) listener();
});

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for a new pair; every caller that got a 401 meanwhile waits for the same trade. */
function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const current = session;
    if (!current) return false;
    try {
      const response = await fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: current.refresh_token }),
      });
      if (!response.ok) {
        // Only a refused token ends the session; a network failure or a 429 leaves it for the next try.
        if (response.status === 401) setSession(null);
        return false;
      }
      const next = (await response.json()) as Session;
      setSession({ access_token: next.access_token, refresh_token: next.refresh_token, user: next.user });
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Off for the calls that sign in: they carry no token, and a 401 there means wrong credentials. */
  auth?: boolean;
  signal?: AbortSignal;
  keepalive?: boolean;
  /** What to ask for; JSON unless the caller reads a stream. */
  accept?: string;
}

/**
 * Sends a request with the bearer token, refreshing once on a 401, and answers the raw response: for callers that
 * read the body themselves (a server-sent event stream). A refused request is still an ApiError.
 */
export async function apiResponse(path: string, options: RequestOptions = {}): Promise<Response> {
  const { method = 'GET', body, auth = true, signal, keepalive, accept = 'application/json' } = options;
  const send = (token: string | undefined) => {
    const headers: Record<string, string> = { accept };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    return fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      keepalive,
    });
  };

  let response: Response;
  try {
    const token = auth ? session?.access_token : undefined;
    response = await send(token);
    if (response.status === 401 && auth && session) {
      // Another call may have refreshed while this one was on its way; otherwise refresh now.
      const renewed = session.access_token !== token || (await refreshSession());
      if (renewed && session) response = await send(session.access_token);
    }
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, {
      code: 'network.unreachable',
      detail: 'Doable could not be reached. Check your connection and try again.',
    });
  }
  if (!response.ok) {
    const isJson = /json/.test(response.headers.get('content-type') ?? '');
    throw new ApiError(response.status, (isJson ? await response.json() : {}) as Problem);
  }
  return response;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await apiResponse(path, options);
  if (response.status === 204) return undefined as T;
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  return (isJson ? await response.json() : undefined) as T;
}
