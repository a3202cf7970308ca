import { z } from 'zod';
import { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS, RECENT_SIGN_IN_MINUTES } from './credential-policy.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from './passwords.ts';
import { DEFAULT_TOKEN_SCOPES, SCOPES } from './scopes.ts';

const email = z
  .email('must be an email address such as ada@example.com')
  .max(254, 'must be at most 254 characters')
  .transform((value) => value.trim());
const password = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`);
const name = z.string().trim().max(100, 'must be at most 100 characters');
const timezone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris or America/New_York');

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    name: z.string(),
    timezone: z.string(),
    created_at: z.string().describe('ISO 8601'),
  })
  .meta({ id: 'User' });

export const sessionSchema = z
  .object({
    access_token: z.string(),
    refresh_token: z.string().describe('Opaque; exchange it at /api/auth/refresh. Each one works once.'),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().describe('Seconds until the access token expires'),
    user: userSchema,
  })
  .meta({ id: 'Session' });

export const registerBody = z.strictObject({ email, password, name: name.optional() }).meta({
  id: 'RegisterRequest',
  example: { email: 'ada@example.com', password: 'correct horse battery', name: 'Ada' },
});

/** What an OAuth2 password-form client sends besides the credentials; accepted and ignored. */
const oauth2FormExtra = z.string().max(1024).optional().describe('OAuth2 password form; ignored');

/** JSON `{email, password}`, or the OAuth2 password form (`username`, `password`) that FastAPI clients send. */
export const loginBody = z
  .strictObject({
    email: email.optional(),
    username: z.string().max(254).optional().describe('Same as email, for OAuth2 password-form clients'),
    grant_type: oauth2FormExtra,
    scope: oauth2FormExtra,
    client_id: oauth2FormExtra,
    client_secret: oauth2FormExtra,
    password: z
      .string()
      .min(1, 'is required')
      .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`),
  })
  .refine((body) => body.email ?? body.username, { message: 'is required', path: ['email'] })
  .meta({ id: 'LoginRequest', example: { email: 'ada@example.com', password: 'correct horse battery' } });

/** The refresh token comes in the body, or as a bearer token when the body is left out. */
export const refreshBody = z
  .strictObject({ refresh_token: z.string().min(1, 'is required').max(200).optional() })
  .meta({ id: 'RefreshRequest' })
  // Fastify hands a missing body over as null.
  .nullish();

export const logoutBody = z
  .strictObject({
    refresh_token: z.string().max(200).optional().describe('Ends the session this token belongs to'),
    all: z.boolean().optional().describe('With a bearer token: end every session of the account'),
  })
  // Fastify hands a missing body over as null.
  .nullish();

export const updateMeBody = z
  .strictObject({
    name: name.optional(),
    timezone: timezone.optional(),
    current_password: z.string().max(PASSWORD_MAX).optional(),
    new_password: password.optional(),
    revoke_api_tokens: z
      .boolean()
      .optional()
      .describe(
        'With new_password: revoke every personal API token too (default true). Sessions are always signed out.',
      ),
  })
  .refine((body) => body.revoke_api_tokens === undefined || body.new_password !== undefined, {
    message: 'goes with new_password only',
    path: ['revoke_api_tokens'],
  })
  .meta({ id: 'UpdateMeRequest' });

export const verifyBody = z.strictObject({ token: z.string().max(4096).optional() }).nullish();

export const verifySchema = z
  .object({
    valid: z.literal(true),
    user_id: z.string(),
    email: z.string().nullable(),
    expires_at: z
      .string()
      .nullable()
      .describe('ISO 8601; null only for personal API tokens made before tokens expired'),
  })
  .meta({ id: 'TokenVerification' });

const scopes = z
  .array(z.enum(SCOPES))
  .min(1, 'must name at least one scope')
  .max(SCOPES.length)
  .describe(
    '`tasks:read` (list and read tasks), `tasks:write` (change them; includes tasks:read), `assistant` (chat, ' +
      'conversations, asking the docs), `account` (everything a token may do, export and import included)',
  );

export const createApiTokenBody = z
  .strictObject({
    name: z.string().trim().min(1, 'is required').max(100),
    scopes: scopes
      .optional()
      .describe(
        `What the token may do; default ${JSON.stringify(DEFAULT_TOKEN_SCOPES)}. \`account\` must be asked for.`,
      ),
    expires_in_days: z
      .number()
      .int('must be a whole number of days')
      .min(1)
      .max(API_TOKEN_MAX_DAYS, `must be at most ${API_TOKEN_MAX_DAYS}`)
      .optional()
      .describe(
        `Days until the token stops working; default ${API_TOKEN_DEFAULT_DAYS}, at most ${API_TOKEN_MAX_DAYS}`,
      ),
    password: z
      .string()
      .max(PASSWORD_MAX)
      .optional()
      .describe(
        `Your current password; needed unless you signed in within the last ${RECENT_SIGN_IN_MINUTES} minutes`,
      ),
  })
  .meta({
    id: 'CreateApiTokenRequest',
    example: { name: 'laptop MCP', scopes: ['tasks:read', 'tasks:write'] },
  });

export const apiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.string()).describe('What the token may do'),
    created_at: z.string(),
    expires_at: z.string().nullable().describe('ISO 8601; null only for tokens made before tokens expired'),
    last_used_at: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });

export const createdApiTokenSchema = apiTokenSchema
  .extend({ token: z.string().describe('Shown only now; store it safely') })
  .meta({ id: 'CreatedApiToken' });

export const apiTokenParams = z.object({ id: z.uuid('must be a token id (a UUID)') });

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The `{user_id}` of every per-user path (`/api/{user_id}/tasks`): the caller's id or `me` (see ownPathOnly). */
export const userParams = z.object({
  user_id: z.string().min(1).max(200).describe('Your user id, or `me`'),
});
