import { HttpProblem } from '../http/problem.ts';
import { RECENT_SIGN_IN_MINUTES } from './credential-policy.ts';
import type { Scope } from './scopes.ts';

/** The auth feature's errors, each with its stable code (see src/http/problem.ts for how they are answered). */

/** A 401: the client is to send a (new) bearer token, which `WWW-Authenticate: Bearer` says too. */
const unauthorized = (code: string, detail: string) =>
  new HttpProblem(401, code, detail, { headers: { 'www-authenticate': 'Bearer' } });

/** A token that checks out for an account that was deleted since it was issued. */
export const userGone = () => unauthorized('auth.user_gone', 'This account no longer exists.');

export const invalidToken = () =>
  unauthorized('auth.invalid_token', 'The bearer token is not valid; sign in again to get a new one.');

export const noSubject = () => unauthorized('auth.invalid_token', 'The token names no user (no sub claim).');

export const tokenExpired = () =>
  unauthorized('auth.token_expired', 'The token has expired; refresh it or sign in again.');

export const apiTokenExpired = () =>
  unauthorized(
    'auth.token_expired',
    'This personal API token has expired; create a new one (POST /api/auth/tokens) from a signed-in session.',
  );

export const appTokenExpired = () =>
  unauthorized(
    'auth.token_expired',
    'This access token has expired; the app gets a new one with its refresh token.',
  );

/** The key set of the Better Auth JWT plugin cannot be fetched: not the client's fault. */
export const providerUnreachable = () =>
  new HttpProblem(
    503,
    'auth.provider_unavailable',
    'The sign-in provider cannot be reached to check this token; try again shortly.',
  );

export const malformedAuthorization = () =>
  unauthorized('auth.malformed_authorization', 'Send the token as "Authorization: Bearer <token>".');

export const missingToken = () =>
  unauthorized('auth.missing_token', 'Sign in and send "Authorization: Bearer <token>".');

/** POST /api/auth/verify without a token in the body or the header. */
export const missingTokenToVerify = () =>
  unauthorized('auth.missing_token', 'Send the token in the body as {"token": "..."} or as a bearer token.');

export const missingTokenToSignOutEverywhere = () =>
  unauthorized('auth.missing_token', 'Send a bearer token to sign out everywhere.');

/** A personal API token or a connected app's token on a route that manages credentials. */
export const sessionRequired = (via: 'api_token' | 'oauth') =>
  new HttpProblem(
    403,
    'auth.session_required',
    `A ${via === 'oauth' ? "connected app's token" : 'personal API token'} cannot manage tokens, connected apps ` +
      'or the password; sign in (POST /api/auth/login) and use that access token.',
  );

/**
 * 403 for a token used beyond its scopes, as RFC 6750 §3.1 words it (and the MCP authorization spec's scope
 * challenge): the WWW-Authenticate header names the scope that would do. `connectedApp`: the token is an app's,
 * connected by OAuth, which gets more by being connected again, not by a new personal token. `resourceMetadata`:
 * the protected resource metadata (RFC 9728) to name as the 401 does, where an OAuth client steps up from.
 */
export function insufficientScope(
  needed: Scope,
  connectedApp = false,
  resourceMetadata?: string | undefined,
): HttpProblem {
  const metadata = resourceMetadata ? `, resource_metadata="${resourceMetadata}"` : '';
  return new HttpProblem(
    403,
    'auth.insufficient_scope',
    connectedApp
      ? `This app was not allowed the "${needed}" scope. Connect it again and allow it, or use a signed-in session.`
      : `This personal API token lacks the "${needed}" scope. Create a token with it (POST /api/auth/tokens ` +
          `{"name": "...", "scopes": ["${needed}"]}) or use a signed-in session.`,
    { headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${needed}"${metadata}` } },
  );
}

/** What the login route tells apart, to count a failed password against the login throttle. */
export const INVALID_CREDENTIALS = 'auth.invalid_credentials';

export const invalidCredentials = () =>
  unauthorized(INVALID_CREDENTIALS, 'Incorrect email or password. Check both and try again.');

export const invalidRefreshToken = () =>
  unauthorized('auth.invalid_refresh_token', 'This refresh token is not valid; sign in again.');

export const refreshTokenExpired = () =>
  unauthorized('auth.refresh_token_expired', 'This session has expired; sign in again.');

export const refreshTokenReused = () =>
  unauthorized(
    'auth.refresh_token_reused',
    'This refresh token was already used, so its sessions were signed out to protect the account. Sign in again.',
  );

export const sessionEnded = () =>
  unauthorized(
    'auth.session_ended',
    'This session was signed out (a password change or a sign-out everywhere); sign in again.',
  );

/** A credential change needs a recent sign-in; `hasPassword`: the account can give its password instead. */
export const reauthenticationRequired = (hasPassword: boolean) =>
  new HttpProblem(
    403,
    'auth.reauthentication_required',
    hasPassword
      ? `This needs a sign-in from the last ${RECENT_SIGN_IN_MINUTES} minutes: send your current password as "password", or sign in again and retry.`
      : `This needs a sign-in from the last ${RECENT_SIGN_IN_MINUTES} minutes: sign in again (with your sign-in provider) and retry.`,
  );

/** The password sent to confirm a credential change is wrong. */
export const wrongPassword = () =>
  new HttpProblem(403, 'auth.wrong_password', 'The password is wrong; send your current password.', {
    errors: [{ field: 'body.password', message: 'does not match' }],
  });

/** The current_password sent with a new password is wrong. */
export const wrongCurrentPassword = () =>
  new HttpProblem(
    403,
    'auth.wrong_password',
    'The current password is wrong; send current_password to set a new one.',
    { errors: [{ field: 'body.current_password', message: 'does not match' }] },
  );

export const emailTaken = () =>
  new HttpProblem(409, 'auth.email_taken', 'An account with this email already exists; sign in instead.');

export const nothingToEnd = () =>
  new HttpProblem(400, 'auth.nothing_to_end', 'Send the refresh_token of the session to end, or all: true.', {
    errors: [{ field: 'body.refresh_token', message: 'is required unless all is true' }],
  });

export const tokenNotFound = () =>
  new HttpProblem(404, 'auth.token_not_found', 'No API token with this id belongs to you.');

/** Another user's `{user_id}` in the path: each feature says in its own words (see ownPathOnly). */
export const notYourPath = (code: string, detail: string) => new HttpProblem(403, code, detail);
