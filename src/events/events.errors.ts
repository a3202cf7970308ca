import { HttpProblem } from '../http/problem.ts';

/** The live updates' errors, each with its stable code (see src/http/problem.ts for how they are answered). */

/** One account's streams on this instance are capped: each open tab holds one. */
export const tooManyStreams = (perUser: number) =>
  new HttpProblem(
    429,
    'events.too_many_streams',
    `You already have ${perUser} live update streams open here, the most one account may hold: close other ` +
      'Doable tabs or windows (each keeps one open), then try again.',
    { headers: { 'retry-after': '30' } },
  );

/** The instance holds as many streams as it takes; another instance (or this one later) will take the client. */
export const streamsFull = (maxStreams: number) =>
  new HttpProblem(
    503,
    'events.unavailable',
    `This server is holding as many live update streams as it takes (${maxStreams}), or is stopping; ` +
      'try again in a moment. Your tasks can still be read and changed meanwhile.',
    { headers: { 'retry-after': '30' } },
  );
