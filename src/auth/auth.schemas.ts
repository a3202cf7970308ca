import { z } from 'zod';
import { PASSWORD_MAX, PASSWORD_MIN } from './passwords.ts';

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
  })
  .meta({ id: 'UpdateMeRequest' });

export const verifyBody = z.strictObject({ token: z.string().max(4096).optional() }).nullish();

export const verifySchema = z
  .object({
    valid: z.literal(true),
    user_id: z.string(),
    email: z.string().nullable(),
    expires_at: z.string().nullable().describe('ISO 8601; null for personal API tokens, which do not expire'),
  })
  .meta({ id: 'TokenVerification' });

export const createApiTokenBody = z
  .strictObject({ name: z.string().trim().min(1, 'is required').max(100) })
  .meta({ id: 'CreateApiTokenRequest' });

export const apiTokenSchema = z
  .object({ id: z.string(), name: z.string(), created_at: z.string(), last_used_at: z.string().nullable() })
  .meta({ id: 'ApiToken' });

export const createdApiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    token: z.string().describe('Shown only now; store it safely'),
    created_at: z.string(),
  })
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
