// Mirrors the ApiToken schemas of src/auth/auth.schemas.ts and the scopes of src/auth/scopes.ts (see /docs).
export const SCOPES = ['tasks:read', 'tasks:write', 'assistant', 'account'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiToken {
  id: string;
  name: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

export interface CreatedApiToken extends ApiToken {
  /** Shown once: the server keeps only its hash. */
  token: string;
}
