import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Interaction, InteractionResults, Provider } from 'oidc-provider';
import { HttpProblem } from '../../http/problem.ts';
import { DEFAULT_TOKEN_SCOPES, OAUTH_SCOPES, type OAuthScope, SCOPE_DESCRIPTIONS } from '../scopes.ts';
import { hashToken } from '../secrets.ts';
import { clientName } from './mcp-oauth.limits.ts';
import { hostOf, redirectKindOf, vouchedSite } from './mcp-oauth.redirects.ts';
import type { McpOAuthRepository, ShownClient } from './mcp-oauth.repository.ts';
import type { ConnectedApp } from './mcp-oauth.schemas.ts';

const isOAuthScope = (scope: string): scope is OAuthScope =>
  (OAUTH_SCOPES as readonly string[]).includes(scope);
/** The scopes oidc-provider itself knows (its `scopes`): a grant records the ones asked for as allowed. */
const PROVIDER_SCOPES = new Set<string>(['openid', 'offline_access', ...OAUTH_SCOPES]);

export const interactionNotFound = () =>
  new HttpProblem(
    404,
    'oauth.interaction_not_found',
    'This sign-in request has expired or was started in another browser. Go back to the app and connect again.',
  );

const connectedAppNotFound = () =>
  new HttpProblem(
    404,
    'oauth.connected_app_not_found',
    'No app with this id is connected to your account; list them with GET /api/auth/connected-apps.',
  );

/** The scopes an app asks for, in Doable's order; none of them asked for means what a personal token gets. */
export function requestedScopes(scope: unknown): OAuthScope[] {
  const asked = new Set(typeof scope === 'string' ? scope.split(' ') : []);
  const known = OAUTH_SCOPES.filter((each) => asked.has(each));
  return known.length > 0 ? known : (DEFAULT_TOKEN_SCOPES.filter(isOAuthScope) as OAuthScope[]);
}

/**
 * The response modes Doable answers in: the query only, the OAuth 2.1 way. `form_post` would be an HTML page of
 * oidc-provider's with a script (and `web_message` is off anyway); MCP clients read the query.
 */
export function unsupportedResponseMode(url: string): HttpProblem | undefined {
  const query = url.split(/\?(.*)/s, 2)[1] ?? '';
  let modes: string[];
  try {
    modes = new URLSearchParams(query).getAll('response_mode');
  } catch {
    return undefined;
  }
  if (modes.every((mode) => mode === 'query')) return undefined;
  return new HttpProblem(
    400,
    'oauth.unsupported_response_mode',
    'Doable sends the answer back in the query of the redirect_uri only: leave response_mode out, or set it to query.',
  );
}

/**
 * An authorization request's URL with `scope` completed: an app that asks for none of Doable's scopes (or for no
 * scope at all) asks for what a personal token gets, so that its token can do something and the consent page
 * says what. Anything odd (`scope` twice) is left for oidc-provider to refuse.
 */
export function withDefaultScope(url: string): string {
  const [path, query = ''] = url.split(/\?(.*)/s, 2) as [string, string?];
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    return url;
  }
  const given = params.getAll('scope');
  if (given.length > 1) return url;
  const scopes = (given[0] ?? '').split(' ').filter(Boolean);
  if (scopes.some(isOAuthScope)) return url;
  params.set('scope', [...scopes, ...requestedScopes(undefined)].join(' '));
  return `${path}?${params}`;
}

/** A stable id for an app's connection to an account, fit for a path: its client_id may be a URL. */
export const connectionId = (clientId: string) => hashToken(`connected app\n${clientId}`).slice(0, 22);

export interface McpOAuthServiceOptions {
  provider: () => Promise<Provider>;
  repository: McpOAuthRepository;
  /** `<issuer>/mcp`, the one resource. */
  resource: string;
  clock: () => Date;
}

/**
 * The consent contract the web page is built on (`/oauth/interaction/{uid}/details` and `/decision`), and the
 * account's connected apps.
 */
export function createMcpOAuthService({ provider, repository, resource, clock }: McpOAuthServiceOptions) {
  /** The sign-in request the browser's cookie names, when it is the one in the page's address and still alive. */
  async function interactionOf(req: IncomingMessage, res: ServerResponse, uid: string) {
    const oidc = await provider();
    let interaction: Interaction;
    try {
      interaction = await oidc.interactionDetails(req, res);
    } catch (error) {
      if ((error as { name?: string }).name === 'SessionNotFound') throw interactionNotFound();
      throw error;
    }
    if (interaction.uid !== uid || !['login', 'consent'].includes(interaction.prompt.name))
      throw interactionNotFound();
    return { oidc, interaction };
  }

  /** What the consent page shows of an app; null when the app is gone (a metadata document no longer served). */
  async function shownClient(oidc: Provider, interaction: Interaction): Promise<ShownClient | null> {
    const clientId = String(interaction.params.client_id);
    let client: Awaited<ReturnType<Provider['Client']['find']>>;
    try {
      client = await oidc.Client.find(clientId);
    } catch {
      return null;
    }
    if (!client) return null;
    const redirectUri = interaction.params.redirect_uri ?? client.redirectUris?.[0];
    const metadata = client.metadata();
    const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
    const redirectHost = hostOf(redirectUri);
    return {
      // Cleaned of what shows nothing, so that an app cannot look unnamed, or named like another.
      name: clientName(metadata.client_name) ?? (redirectHost || clientId),
      client_uri: vouchedSite(text(metadata.client_uri), [redirectUri, clientId]),
      logo_uri: text(metadata.logo_uri),
      redirect_host: redirectHost,
      redirect_kind: redirectKindOf(redirectUri),
      registration: (client as { clientIdMetadataDocument?: boolean }).clientIdMetadataDocument
        ? 'metadata_document'
        : 'dynamic',
    };
  }

  return {
    async details(req: IncomingMessage, res: ServerResponse, uid: string) {
      const { oidc, interaction } = await interactionOf(req, res, uid);
      const shown = await shownClient(oidc, interaction);
      if (!shown) throw interactionNotFound();
      return {
        uid: interaction.uid,
        client: {
          client_id: String(interaction.params.client_id),
          name: shown.name,
          client_uri: shown.client_uri,
          logo_uri: shown.logo_uri,
          registration: shown.registration,
          redirect_host: shown.redirect_host,
          redirect_kind: shown.redirect_kind,
        },
        scopes: requestedScopes(interaction.params.scope).map((scope) => ({
          scope,
          description: SCOPE_DESCRIPTIONS[scope],
        })),
        resource,
      };
    },

    /**
     * The person's answer, for the account of their session: allowing makes a grant of the scopes asked for on
     * `/mcp`; refusing finishes the sign-in with access_denied. Either way the page goes on to `redirect_to`.
     */
    async decide(req: IncomingMessage, res: ServerResponse, uid: string, userId: string, allow: boolean) {
      const { oidc, interaction } = await interactionOf(req, res, uid);
      let result: InteractionResults;
      if (allow) {
        const shown = await shownClient(oidc, interaction);
        if (!shown) throw interactionNotFound();
        const grant = new oidc.Grant({ accountId: userId, clientId: String(interaction.params.client_id) });
        grant.addResourceScope(resource, requestedScopes(interaction.params.scope).join(' '));
        const asked = String(interaction.params.scope ?? '').split(' ');
        const known = asked.filter((scope) => PROVIDER_SCOPES.has(scope));
        if (known.length > 0) grant.addOIDCScope(known.join(' '));
        const grantId = await grant.save();
        await repository.showGrant(grantId, shown);
        result = { login: { accountId: userId, remember: false }, consent: { grantId } };
      } else {
        result = {
          error: 'access_denied',
          error_description: 'The person signed in to Doable did not allow this app',
        };
      }
      return oidc.interactionResult(req, res, result, { mergeWithLastSubmission: false });
    },

    /** The apps connected to an account, one entry per app however many times it was allowed. */
    async connectedApps(userId: string) {
      const grants = await repository.listGrants(userId, clock());
      const apps = new Map<string, ConnectedApp>();
      for (const grant of grants) {
        const clientId = grant.client_id ?? '';
        const shown = grant.shown as ShownClient | null;
        const scopes = resourceScopes(grant.payload, resource);
        const app = apps.get(clientId);
        if (!app) {
          // Newest first: the first grant met says how the app looks now.
          apps.set(clientId, {
            id: connectionId(clientId),
            client_id: clientId,
            name: clientName(shown?.name) ?? clientId,
            client_uri: shown?.client_uri ?? null,
            redirect_host: shown?.redirect_host ?? '',
            // A grant allowed before the kind was recorded shows its host as it always did.
            redirect_kind: shown?.redirect_kind ?? 'web',
            scopes,
            connected_at: grant.created_at.toISOString(),
            last_used_at: grant.last_used_at?.toISOString() ?? null,
          });
          continue;
        }
        app.connected_at = grant.created_at.toISOString();
        app.scopes = OAUTH_SCOPES.filter((scope) => app.scopes.includes(scope) || scopes.includes(scope));
        if (grant.last_used_at && (!app.last_used_at || grant.last_used_at.toISOString() > app.last_used_at))
          app.last_used_at = grant.last_used_at.toISOString();
      }
      return [...apps.values()];
    },

    /** Disconnects an app from an account: its grants, codes, access and refresh tokens go at once. */
    async disconnect(userId: string, id: string) {
      const grants = await repository.listGrants(userId, clock());
      const grant = grants.find((each) => each.client_id !== null && connectionId(each.client_id) === id);
      if (!grant?.client_id) throw connectedAppNotFound();
      await repository.disconnect(userId, grant.client_id);
    },
  };
}

/** A grant's scopes on the resource, as oidc-provider keeps them in its payload. */
function resourceScopes(payload: unknown, resource: string): string[] {
  const resources = (payload as { resources?: Record<string, unknown> }).resources ?? {};
  const granted = resources[resource];
  const scopes = typeof granted === 'string' ? granted.split(' ') : [];
  return OAUTH_SCOPES.filter((scope) => scopes.includes(scope));
}

export type McpOAuthService = ReturnType<typeof createMcpOAuthService>;
