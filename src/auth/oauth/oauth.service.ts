import type { AuthRepository } from '../auth.repository.ts';
import type { AuthService } from '../auth.service.ts';
import {
  invalidState,
  oauthDenied,
  oauthFailed,
  providerNotConfigured,
  redirectNotAllowed,
} from './oauth.errors.ts';
import type { ExternalIdentity, OAuthProvider } from './oauth.providers.ts';
import type { ProviderId } from './oauth.schemas.ts';
import type { SignInState, StateSealer } from './oauth.state.ts';

/** What an operator sets to turn each provider on; named in the answer for one that is off. */
const PROVIDER_SETTINGS: Record<ProviderId, string> = {
  google: 'GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET',
  github: 'GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET',
  oidc: 'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET',
};

export interface OAuthServiceDeps {
  providers: OAuthProvider[];
  repository: AuthRepository;
  startSession: AuthService['startSession'];
  sealer: StateSealer;
  /** Origins besides the service's own that a sign-in may return to (ALLOWED_ORIGINS and FRONTEND_URL). */
  redirectOrigins: string[];
  clock: () => Date;
}

/** The authorization response, as the provider sent it to the callback. */
export interface CallbackParams {
  code?: string | undefined;
  state?: string | undefined;
  error?: string | undefined;
  error_description?: string | undefined;
  iss?: string | undefined;
}

export function createOAuthService(deps: OAuthServiceDeps) {
  const { repository, sealer, clock } = deps;
  const byId = new Map(deps.providers.map((provider) => [provider.id, provider]));
  // A wildcard is fine for CORS but would make this an open redirect that hands tokens to any site.
  const redirectOrigins = new Set(
    deps.redirectOrigins.filter((origin) => URL.canParse(origin)).map((origin) => new URL(origin).origin),
  );

  function provider(id: ProviderId): OAuthProvider {
    const found = byId.get(id);
    if (!found) {
      throw providerNotConfigured(id, PROVIDER_SETTINGS[id]);
    }
    return found;
  }

  /** Where to send the tokens afterwards: the service itself or a configured front end, nowhere else. */
  function redirectTarget(value: string | undefined, serviceOrigin: string): string | null {
    if (!value) return null;
    const url = URL.canParse(value, serviceOrigin) ? new URL(value, serviceOrigin) : undefined;
    if (
      !url ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      (url.origin !== serviceOrigin && !redirectOrigins.has(url.origin))
    ) {
      throw redirectNotAllowed();
    }
    url.hash = '';
    return url.href;
  }

  /**
   * The provider's account, or the account with its verified email, or a new one. An unverified email is
   * neither linked nor stored: whoever controls that provider account has not shown they own the address.
   */
  async function signIn(identity: ExternalIdentity) {
    const email = identity.emailVerified ? identity.email : null;
    const linked = await repository.findIdentity(identity.provider, identity.subject);
    let user = linked ? await repository.findUserById(linked.user_id) : undefined;
    if (!user) {
      const existing = email ? await repository.findUserByEmail(email) : undefined;
      if (existing?.password_hash) await evictUnprovenOwner(existing.id);
      user =
        existing ??
        (await repository.createUser({ email, name: identity.name.slice(0, 100), password_hash: null })) ??
        // Taken between the lookup and the insert: another sign-in with the same verified email just won.
        (email ? await repository.findUserByEmail(email) : undefined);
      if (!user) throw new Error(`no account could be found or made for ${identity.provider} sign-in`);
      await repository.linkIdentity({
        provider: identity.provider,
        subject: identity.subject,
        user_id: user.id,
        email,
      });
    }
    return deps.startSession(user);
  }

  /**
   * Password sign-up never proves that the email belongs to whoever typed it, so an account could have been
   * registered in someone else's name before they first sign in with a provider that has verified the address.
   * The verified owner keeps the account; the password and every session and API token issued through it end.
   */
  async function evictUnprovenOwner(userId: string) {
    const now = clock();
    await repository.updateUser(userId, { password_hash: null });
    await repository.revokeAllRefreshTokens(userId, now);
    await repository.deleteAllApiTokens(userId);
  }

  return {
    signIn,

    providers() {
      return deps.providers.map(({ id, name }) => ({ id, name }));
    },

    /** Where to send the browser, and the sealed state that must come back with it. */
    async begin(
      id: ProviderId,
      input: { callbackUrl: string; redirectTo: string | undefined; returnState?: string | undefined },
    ) {
      const chosen = provider(id);
      // Arctic, like the providers, is loaded only where sign-in providers are configured.
      const { generateCodeVerifier, generateState } = await import('arctic');
      const state: SignInState = {
        provider: id,
        state: generateState(),
        code_verifier: generateCodeVerifier(),
        nonce: generateState(),
        redirect_to: redirectTarget(input.redirectTo, new URL(input.callbackUrl).origin),
        return_state: input.returnState ?? null,
      };
      const url = await chosen.authorizationUrl({
        state: state.state,
        codeVerifier: state.code_verifier,
        nonce: state.nonce,
        redirectUri: input.callbackUrl,
      });
      return { location: url.href, sealedState: await sealer.seal(state) };
    },

    openState: sealer.open,

    /** Checks the response against the state this browser carried, then signs the provider's user in. */
    async complete(
      id: ProviderId,
      saved: SignInState | undefined,
      params: CallbackParams,
      callbackUrl: string,
    ) {
      const chosen = provider(id);
      if (!saved || saved.provider !== id || !params.state || params.state !== saved.state)
        throw invalidState();
      if (params.error === 'access_denied') {
        throw oauthDenied(chosen.name);
      }
      if (params.error || !params.code) {
        const said = params.error_description ?? params.error ?? 'no authorization code';
        throw oauthFailed(chosen.name, said);
      }
      return signIn(
        await chosen.identify({
          code: params.code,
          codeVerifier: saved.code_verifier,
          nonce: saved.nonce,
          redirectUri: callbackUrl,
          issuer: params.iss,
        }),
      );
    },
  };
}

export type OAuthService = ReturnType<typeof createOAuthService>;
