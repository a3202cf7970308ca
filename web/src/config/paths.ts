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
