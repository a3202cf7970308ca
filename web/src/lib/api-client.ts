/**
 * The one way the page talks to the API: it sends the bearer token, trades the refresh token for a new pair
 * when the server answers 401 (once, shared by every call that was waiting), and turns RFC 9457 problems into
 * ApiError, with the field errors keyed by form field (`body.email` → `email`) and a message for people.
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

/**
 * The refusals a person meets in the page, in the page's words: the server's details are written for developers
 * ("send current_password to set a new one", "list your tasks with GET /api/me/tasks"). A refusal worded here says
 * the same under its field.
 */
const WORDS: Record<string, string> = {
  'auth.wrong_password': 'Your current password is wrong.',
  'auth.reauthentication_required': 'This needs a recent sign-in: type your password, or sign in again.',
  'auth.token_not_found': 'This token is already gone; it may have been revoked elsewhere.',
  'oauth.connected_app_not_found': 'This app is no longer connected.',
  'tasks.not_found': 'This task no longer exists; it may have been deleted elsewhere.',
  'tasks.precondition_failed': 'This task was changed elsewhere; reload the page and try again.',
  'request.body_too_large': 'This is more than Doable takes at once.',
  'lists.not_found': 'This list is gone, or no longer shared with you.',
  'lists.not_empty': 'This list still has tasks: choose whether to move them to another list or delete them.',
  'lists.move_to_itself': 'Choose another list to move the tasks to.',
};
/** For a refusal not worded above whose detail speaks the API's language. */
const BY_STATUS: Record<number, string> = {
  400: 'Doable could not take this; check what you typed and try again.',
  401: 'Your sign-in has ended; sign in again.',
  403: 'Your account may not do this.',
  404: 'This is no longer here; it may have been removed elsewhere.',
  409: 'This was changed elsewhere; reload the page and try again.',
  413: WORDS['request.body_too_large'] as string,
};
/** A field name with an underscore, an API route or an HTTP method: words for developers, not for people. */
const API_WORDS = /\b[a-z]+_[a-z0-9_]+\b|\/api\/|\b(GET|POST|PUT|PATCH|DELETE) \//;

/** `body.email` → `email`: the name a form gives the field. */
const formField = (field: string) => field.replace(/^(body|query|path|header)\./, '');
/** `body.new_password` → "new password", `body.tasks[3].title` → "tasks 4 title": a field said as words. */
const fieldWords = (field: string) =>
  formField(field)
    .replace(/\[(\d+)\]/g, (_, n: string) => ` ${Number(n) + 1}`)
    .replace(/[._]+/g, ' ');
const unquote = (text: string) => text.replace(/`([^`]*)`/g, '$1');
const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1).replace(/\.?$/, '.')}`;
/**
 * Field errors as one sentence, the first said and the others counted ("Tasks 1 title must not be empty, and 3
 * more."): a list of twenty reads as noise, and a person fixes one thing at a time. What a message adds for
 * developers after a colon or a semicolon ("…: send a file made by GET /api/me/export") is left out.
 */
function inWords(errors: readonly FieldError[]) {
  const [first, ...more] = errors;
  if (!first) return '';
  const said = `${fieldWords(first.field)} ${unquote(first.message)}`.replace(/[:;] .*$/, '');
  return sentence(more.length > 0 ? `${said}, and ${more.length} more` : said);
}

interface FieldError {
  field: string;
  message: string;
}

function wordsFor(status: number, problem: Problem): string {
  const worded = problem.code && WORDS[problem.code];
  if (worded) return worded;
  if (problem.code === 'request.invalid' && problem.errors?.length) return inWords(problem.errors);
  const detail = unquote(problem.detail ?? problem.title ?? '');
  if (detail && !API_WORDS.test(detail)) return detail;
  if (status === 429 || status >= 500) return 'Doable is busy or could not do this; try again in a moment.';
  return BY_STATUS[status] ?? `Doable could not do this (error ${status}); try again.`;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Messages by form field: `email`, `password`, `text`; what no field shows is in `message`. */
  readonly fields: Record<string, string>;
  readonly requestId: string | undefined;
  private readonly errors: readonly FieldError[];

  constructor(status: number, problem: Problem) {
    super(wordsFor(status, problem));
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? 'unknown';
    this.requestId = problem.request_id;
    this.errors = problem.errors ?? [];
    this.fields = {};
    const worded = problem.code ? WORDS[problem.code] : undefined;
    for (const { field, message } of this.errors) {
      this.fields[formField(field)] ??= worded ?? sentence(unquote(message));
    }
  }

  /**
   * What a form shows of this refusal: each message under the form's own field (`shown`), and one sentence that
   * repeats none of them, so that a short password is not said twice. Errors of fields the form lacks are said in
   * the sentence.
   */
  forForm(shown: readonly string[]): { fields: Record<string, string>; message: string } {
    const fields: Record<string, string> = {};
    for (const [name, message] of Object.entries(this.fields))
      if (shown.includes(name)) fields[name] = message;
    const elsewhere = this.errors.filter(({ field }) => !(formField(field) in fields));
    const marked = Object.keys(fields).length;
    if (marked === 0) return { fields, message: this.message };
    if (elsewhere.length > 0)
      return { fields, message: this.code === 'request.invalid' ? inWords(elsewhere) : this.message };
    return {
      fields,
      message:
        marked === 1 ? 'Please correct the field marked above.' : 'Please correct the fields marked above.',
    };
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
