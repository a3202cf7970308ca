import { HttpProblem } from '../../http/problem.ts';

/**
 * The errors of sign-in with an outside provider (part of the auth feature), each with its stable code (see
 * src/http/problem.ts for how they are answered). `name` is the provider's, as people know it. Nothing here
 * loads arctic, which is loaded only when a provider is configured (see oauth.providers.ts).
 */

export const providerUnavailable = (name: string) =>
  new HttpProblem(
    503,
    'auth.provider_unavailable',
    `${name} cannot be reached or answered unexpectedly; try signing in again shortly.`,
  );

export const identityRejected = (name: string, why: string) =>
  new HttpProblem(
    401,
    'auth.oauth_identity_rejected',
    `${name} sent an identity that cannot be trusted (${why}).`,
  );

/** The provider refused the authorization code; `code`: the OAuth error it gave. */
export const codeRejected = (name: string, code: string) =>
  new HttpProblem(
    400,
    'auth.oauth_code_rejected',
    `${name} refused to complete the sign-in (${code}); start signing in again.`,
  );

export const invalidState = () =>
  new HttpProblem(
    400,
    'auth.oauth_invalid_state',
    'This sign-in cannot be matched to one started from this browser (or it took over 10 minutes); start signing in again.',
  );

/** `id`: the provider's id in the path; `settings`: what the operator sets to turn it on. */
export const providerNotConfigured = (id: string, settings: string) =>
  new HttpProblem(
    404,
    'auth.provider_not_configured',
    `Sign-in with ${id} is not turned on here; the operator sets ${settings} to enable it.`,
  );

export const redirectNotAllowed = () =>
  new HttpProblem(
    400,
    'auth.redirect_not_allowed',
    'redirect_to must be a path on this service or a URL on an origin listed in ALLOWED_ORIGINS or FRONTEND_URL.',
    { errors: [{ field: 'query.redirect_to', message: 'is not an allowed origin' }] },
  );

export const oauthDenied = (name: string) =>
  new HttpProblem(
    403,
    'auth.oauth_denied',
    `Sign-in with ${name} was cancelled or refused; start again to sign in.`,
  );

/** The provider came back without a code; `said`: its error, or what was missing. */
export const oauthFailed = (name: string, said: string) =>
  new HttpProblem(400, 'auth.oauth_failed', `${name} did not complete the sign-in (${said}); start again.`);
