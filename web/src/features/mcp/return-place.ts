import type { RedirectKind } from './types.ts';

/**
 * Where the browser goes back to, in words for anyone, to follow "Taking you back to" or "returns to": a website
 * by its host; otherwise an app on this device, by the scheme that opens it when it has one. A loopback address or
 * an app's scheme shown as a host ("127.0.0.1", "anysphere.cursor-retrieval") would read as a website.
 */
export function returnPlace(app: { redirect_host: string; redirect_kind: RedirectKind }): string {
  switch (app.redirect_kind) {
    case 'web':
      return app.redirect_host;
    case 'loopback':
      return 'an app on this device';
    case 'custom_scheme':
      return `the app on this device that opens “${app.redirect_host}” links`;
  }
}
