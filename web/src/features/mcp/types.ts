// Mirrors the MCP sign-in schemas of src/auth/mcp-oauth/ (see /docs): what an app that asks to connect is, and
// what an app that was allowed looks like in the settings.

/**
 * What the address the browser goes back to is: a website, by its host; or an app on this device, listening on a
 * loopback address (`redirect_host` is then `localhost`) or opening links of its own scheme (then `cursor:`).
 */
export type RedirectKind = 'web' | 'loopback' | 'custom_scheme';

/** A sign-in request from an AI app (an OAuth client), as the consent page shows it. */
export interface ConnectRequest {
  uid: string;
  client: {
    client_id: string;
    name: string;
    client_uri: string | null;
    logo_uri: string | null;
    /** How the app introduced itself: a metadata document at its own https address, or self-registration. */
    registration: 'metadata_document' | 'dynamic';
    /** Where the browser goes back to once the user decides, read as `redirect_kind` says. */
    redirect_host: string;
    redirect_kind: RedirectKind;
  };
  scopes: { scope: string; description: string }[];
  resource: string;
}

/** An app the user allowed, until they disconnect it. */
export interface ConnectedApp {
  id: string;
  client_id: string;
  name: string;
  client_uri: string | null;
  redirect_host: string;
  redirect_kind: RedirectKind;
  scopes: string[];
  connected_at: string;
  last_used_at: string | null;
}
