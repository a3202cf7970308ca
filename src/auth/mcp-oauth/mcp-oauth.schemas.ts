import { z } from 'zod';
import { OAUTH_SCOPES } from '../scopes.ts';

export const protectedResourceSchema = z
  .object({
    resource: z.string().describe('The MCP endpoint tokens are for: `<issuer>/mcp`'),
    authorization_servers: z.array(z.string()).describe("Doable's own issuer"),
    scopes_supported: z.array(z.string()),
    bearer_methods_supported: z.array(z.string()),
    resource_name: z.string(),
    resource_documentation: z.string(),
  })
  .meta({ id: 'ProtectedResourceMetadata' });

export const authorizationServerMetadataSchema = z
  .looseObject({
    issuer: z.string(),
    authorization_endpoint: z.string(),
    token_endpoint: z.string(),
    registration_endpoint: z.string(),
    revocation_endpoint: z.string(),
    jwks_uri: z.string(),
    scopes_supported: z.array(z.string()),
    response_types_supported: z.array(z.string()),
    grant_types_supported: z.array(z.string()),
    code_challenge_methods_supported: z.array(z.string()),
    token_endpoint_auth_methods_supported: z.array(z.string()),
    client_id_metadata_document_supported: z.boolean(),
    authorization_response_iss_parameter_supported: z.boolean(),
  })
  .meta({ id: 'AuthorizationServerMetadata' });

export const interactionParams = z.object({
  uid: z
    .string()
    .max(200, 'must be at most 200 characters long')
    .describe('The sign-in request, from the page address'),
});

const scopeSchema = z.enum(OAUTH_SCOPES);

const redirectHostSchema = z
  .string()
  .describe(
    "Where the browser goes back to after the decision, as `redirect_kind` says to read it: a site by its host (and port), `localhost`, or an app's scheme with its colon (`cursor:`)",
  );
const redirectKindSchema = z
  .enum(['web', 'loopback', 'custom_scheme'])
  .describe(
    "What `redirect_host` is: `web`, a website; `loopback`, an app on the person's own device listening on a loopback address (any port); `custom_scheme`, the app on their device that opens links of that scheme. Show the last two as an app on this device, never as a site: apps can claim any name",
  );
export type RedirectKind = z.infer<typeof redirectKindSchema>;

export const interactionDetailsSchema = z
  .object({
    uid: z.string(),
    client: z.object({
      client_id: z.string().describe('A generated id (registered) or the https URL of its metadata document'),
      name: z.string().describe("The app's own name for itself, or its redirect host when it gave none"),
      client_uri: z.string().nullable(),
      logo_uri: z.string().nullable(),
      registration: z
        .enum(['metadata_document', 'dynamic'])
        .describe('How Doable knows the app: its client metadata document, or it registered itself'),
      redirect_host: redirectHostSchema,
      redirect_kind: redirectKindSchema,
    }),
    scopes: z.array(z.object({ scope: scopeSchema, description: z.string() })),
    resource: z.string().describe('What the app gets access to: `<issuer>/mcp`'),
  })
  .meta({ id: 'OAuthInteraction' });
export type InteractionDetails = z.infer<typeof interactionDetailsSchema>;

export const decisionBody = z
  .strictObject({ allow: z.boolean().describe('true: connect the app with these scopes; false: refuse') })
  .meta({ id: 'OAuthDecision', example: { allow: true } });

export const decisionSchema = z
  .object({
    redirect_to: z
      .string()
      .describe("Where the page sends the browser next (location.assign): Doable's authorization endpoint"),
  })
  .meta({ id: 'OAuthDecisionResult' });

export const connectedAppSchema = z
  .object({
    id: z.string().describe('Names the app for this account; DELETE it to disconnect'),
    client_id: z.string(),
    name: z.string(),
    client_uri: z.string().nullable(),
    redirect_host: redirectHostSchema,
    redirect_kind: redirectKindSchema,
    scopes: z.array(z.string()),
    connected_at: z
      .string()
      .describe('ISO 8601: when the app was first allowed (of its connections still live)'),
    last_used_at: z.string().nullable().describe('ISO 8601, to the minute'),
  })
  .meta({ id: 'ConnectedApp' });
export type ConnectedApp = z.infer<typeof connectedAppSchema>;

export const connectedAppParams = z.object({
  id: z.string().max(64, 'must be at most 64 characters long').describe('A connected app id'),
});
