import { useEffect, useState } from 'react';
import { getProviders, type Provider } from '../api/get-providers.ts';
import { startOAuth } from '../api/oauth-return.ts';

/**
 * One button per configured outside sign-in; nothing at all when the server has none. `returnTo` is the page to
 * come back to once signed in, when it is not the list.
 */
export function OAuthButtons({ returnTo }: { returnTo?: string | undefined }) {
  const [providers, setProviders] = useState<Provider[]>([]);
  useEffect(() => {
    getProviders().then(setProviders, () => setProviders([]));
  }, []);
  if (providers.length === 0) return null;
  return (
    <div className="oauth">
      <p className="divider">
        <span>or</span>
      </p>
      {providers.map((provider) => (
        <button
          key={provider.id}
          type="button"
          className="button wide"
          onClick={() => startOAuth(provider.id, returnTo)}
        >
          Continue with {provider.name}
        </button>
      ))}
    </div>
  );
}
