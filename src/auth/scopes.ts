/**
 * What a personal API token may do. Sessions (Doable's access tokens, Better Auth tokens) hold every scope; a
 * personal token holds the ones it was created with. Tokens made before scopes existed hold `account`.
 *
 * - `tasks:read`: list and read tasks and tags (and the profile, for the user id and time zone).
 * - `tasks:write`: create, change, complete and delete tasks; includes `tasks:read`.
 * - `assistant`: the chat and its conversations, and asking the documentation. The assistant adds, changes and
 *   deletes tasks when asked to, so a chat token reaches tasks through it.
 * - `account`: everything a token may do: the above, the profile, export and import, and sharing lists (inviting,
 *   changing a member's role, joining a list). Managing tokens and the password still needs a session.
 */
export const SCOPES = ['tasks:read', 'tasks:write', 'assistant', 'account'] as const;
export type Scope = (typeof SCOPES)[number];

/** What a token gets when `scopes` is left out: what MCP clients and scripts need. `account` must be asked for. */
export const DEFAULT_TOKEN_SCOPES: readonly Scope[] = ['tasks:read', 'tasks:write'];

/**
 * What an app connected by OAuth (an MCP client) may be granted: a personal token's scopes but `account`, which
 * reaches export and import; an app that asks for none of them gets DEFAULT_TOKEN_SCOPES.
 */
export const OAUTH_SCOPES = ['tasks:read', 'tasks:write', 'assistant'] as const satisfies readonly Scope[];
export type OAuthScope = (typeof OAUTH_SCOPES)[number];

/** How the consent page and the list of connected apps say what a scope lets an app do. */
export const SCOPE_DESCRIPTIONS: Record<OAuthScope, string> = {
  'tasks:read': 'See your tasks and tags',
  'tasks:write': 'Add, change, complete and delete your tasks',
  assistant: 'Talk to the assistant, read your conversations with it and ask the documentation',
};

/** The scopes each scope brings along (besides itself). */
const IMPLIED: Record<Scope, readonly Scope[]> = {
  'tasks:read': [],
  'tasks:write': ['tasks:read'],
  assistant: [],
  account: SCOPES,
};

export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

/** Every scope a set of granted scopes amounts to; unknown names (none are written) are ignored. */
export function expandScopes(granted: readonly string[]): ReadonlySet<Scope> {
  const all = new Set<Scope>();
  for (const name of granted) {
    if (!isScope(name)) continue;
    all.add(name);
    for (const implied of IMPLIED[name]) all.add(implied);
  }
  return all;
}

/** What sessions hold. */
export const ALL_SCOPES: ReadonlySet<Scope> = new Set(SCOPES);
