import { useEffect, useState } from 'react';
import { getProviders, type Provider, providerUrl } from '../api/get-providers.ts';

/** One button per configured outside sign-in; nothing at all when the server has none. */
export function OAuthButtons() {
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
        <a key={provider.id} className="button wide" href={providerUrl(provider.id)}>
          Continue with {provider.name}
        </a>
      ))}
    </div>
  );
}
