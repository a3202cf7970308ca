/** Every page of the app, in one place: links and redirects name these, never a string of their own. */
export const paths = {
  tasks: '/',
  today: '/today',
  upcoming: '/upcoming',
  signIn: '/signin',
  signUp: '/signup',
  settings: '/settings',
} as const;

export type PagePath = (typeof paths)[keyof typeof paths];

/** One list's tasks: `/lists/{id}`, so that a reload, a link and Back show the same list. */
export const listPath = (id: number) => `/lists/${id}`;

/** The list a path shows (`/lists/7` → 7), or undefined for other paths. */
export function listOf(path: string): number | undefined {
  const id = /^\/lists\/(\d{1,15})\/?$/.exec(path)?.[1];
  return id ? Number(id) : undefined;
}

/**
 * The page where an AI app's sign-in request waits for the user's answer: `/oauth/interaction/{uid}`, the address
 * the server sends the browser to (src/auth/mcp-oauth/). Answers the request's uid, or undefined for other paths.
 */
export function connectRequestOf(path: string): string | undefined {
  return /^\/oauth\/interaction\/([A-Za-z0-9_-]+)\/?$/.exec(path)?.[1];
}
