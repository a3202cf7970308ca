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

/**
 * The page where an AI app's sign-in request waits for the user's answer: `/oauth/interaction/{uid}`, the address
 * the server sends the browser to (src/auth/mcp-oauth/). Answers the request's uid, or undefined for other paths.
 */
export function connectRequestOf(path: string): string | undefined {
  return /^\/oauth\/interaction\/([A-Za-z0-9_-]+)\/?$/.exec(path)?.[1];
}
