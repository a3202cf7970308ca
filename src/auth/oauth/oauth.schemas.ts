import { z } from 'zod';

export const PROVIDER_IDS = ['google', 'github', 'oidc'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const providerParams = z.object({
  provider: z.enum(PROVIDER_IDS, { error: `must be one of ${PROVIDER_IDS.join(', ')}` }),
});

export const providersSchema = z
  .array(
    z.object({
      id: z.enum(PROVIDER_IDS).describe('Start signing in at /api/auth/oauth/{id}'),
      name: z.string().describe('What to write on the button'),
    }),
  )
  .meta({ id: 'SignInProviders' });

export const startQuery = z.object({
  redirect_to: z
    .string()
    .max(2048)
    .optional()
    .describe(
      'Where to land afterwards: a path on this service or a URL on an allowed origin (ALLOWED_ORIGINS, FRONTEND_URL)',
    ),
  return_state: z
    .string()
    .regex(/^[\w-]{16,128}$/, 'must be 16 to 128 letters, digits, _ or -')
    .optional()
    .describe(
      'A random value the front end keeps (e.g. in sessionStorage) before leaving for the provider; it comes back ' +
        'as `return_state` in the fragment, and a front end accepts the tokens only when it matches, so that a ' +
        'link carrying someone else’s tokens cannot sign this browser in (login CSRF)',
    ),
});

/**
 * The authorization response. Loose, where the rest of the API is strict: providers add parameters of their own
 * (Google's `scope`, `authuser`, `prompt`, `hd`), which are ignored.
 */
export const callbackQuery = z.looseObject({
  code: z.string().max(4096).optional(),
  state: z.string().max(1024).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
  iss: z.string().max(2048).optional(),
});

export const redirectResponse = z
  .null()
  .describe('Redirect (Location header). Tokens or an error arrive in the URL fragment.');
