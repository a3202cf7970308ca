import { HttpProblem } from '../http/problem.ts';

/** The assistant feature's errors, each with its stable code (see src/http/problem.ts for how they are answered). */

export const conversationNotFound = () =>
  new HttpProblem(
    404,
    'assistant.conversation_not_found',
    'No conversation with this id belongs to you; leave conversation_id out to start a new one.',
  );

export const providerTimeout = () =>
  new HttpProblem(
    503,
    'assistant.provider_timeout',
    'The assistant took too long to answer; your message is saved, try again in a moment.',
  );

/** The model's provider refused or failed: 503 when it is away (`unavailable`), 502 otherwise. */
export const providerFailed = (unavailable: boolean, said: string) =>
  new HttpProblem(
    unavailable ? 503 : 502,
    unavailable ? 'assistant.provider_unavailable' : 'assistant.provider_failed',
    `The assistant’s model could not answer (${said}); your message is saved, try again later.`,
  );

/** A tool's due date that is neither ISO text nor words the quick-add parser reads. */
export const unreadableDate = (text: string) =>
  new HttpProblem(
    400,
    'assistant.unreadable_date',
    `"${text}" is not a date I can read; use 2026-12-03, a date-time with offset, or words like "next friday 5pm".`,
  );

export const conflictingFields = (field: string) =>
  new HttpProblem(
    400,
    'assistant.conflicting_fields',
    `${field} is both set and cleared; send one or the other.`,
  );

/**
 * A tool's `list` that names none of the user's lists: the refusal names them all (the Inbox first), and the one
 * probably meant, so that the caller can ask again or ask the user. Nothing was done.
 */
export const unknownList = (name: string, lists: readonly string[], meant: string | undefined) =>
  new HttpProblem(
    404,
    'assistant.unknown_list',
    `There is no list called "${name}"; your lists are: ${lists.join(', ')}.${meant ? ` Did you mean ${meant}?` : ''}`,
  );
