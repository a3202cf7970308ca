import type { FastifySchema } from 'fastify';

/**
 * The seeds spell some URLs differently; each spelling is served by the same handler. This pairs every URL with
 * its schema: only the canonical (first) one appears in the API docs, and its description lists the aliases.
 */
export function aliases<S extends FastifySchema>(
  urls: readonly [string, ...string[]],
  schema: S,
): Array<{ url: string; schema: S }> {
  const [canonical, ...others] = urls;
  const note = others.length > 0 ? `\n\nAlso served at ${others.map((a) => `\`${a}\``).join(', ')}.` : '';
  return [
    { url: canonical, schema: { ...schema, description: `${schema.description ?? ''}${note}`.trim() } },
    ...others.map((url) => ({ url, schema: { ...schema, hide: true } })),
  ];
}
