import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problem.ts';

const nulCharacter = () =>
  new HttpProblem(
    400,
    'request.nul_character',
    'Text must not contain the NUL character (\\u0000, %00); remove it and send the request again.',
  );

/**
 * Replaces each lone surrogate (half a UTF-16 pair, which is not Unicode) in a parsed JSON value, keys included, by
 * U+FFFD, in place and without recursion: what PostgreSQL would keep, and what invalid UTF-8 bytes become anyway.
 */
function replaceLoneSurrogates(root: unknown): unknown {
  if (typeof root === 'string') return root.toWellFormed();
  const pending = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!node || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    for (const [key, item] of Object.entries(record)) {
      const value = typeof item === 'string' ? item.toWellFormed() : item;
      if (key.isWellFormed()) record[key] = value;
      else {
        delete record[key];
        record[key.toWellFormed()] = value;
      }
      pending.push(value);
    }
  }
  return root;
}

/**
 * How request bodies and URLs are read: JSON only, with Fastify's own hardened parser. PostgreSQL cannot store
 * the NUL character in text, so it is refused at the door with a 400 instead of failing deep inside a query. A
 * lone surrogate (`"\\ud800"`) becomes U+FFFD: PGlite turned the text around one into invalid UTF-8.
 * Plain text is not taken for JSON: a client sending it gets a 415 that names the header to send.
 */
export function registerBodyParsers(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // In JSON text a NUL can only be written as the escape \u0000.
    if ((body as string).includes('\\u0000')) return done(nulCharacter(), undefined);
    // A lone surrogate can only be written as an escape; the embedded database garbles the text around one.
    if (!/\\u[dD][89a-fA-F]/.test(body as string)) return parseJson(request, body as string, done);
    parseJson(request, body as string, (error, value) =>
      error ? done(error, undefined) : done(null, replaceLoneSurrogates(value)),
    );
  });
  app.addHook('onRequest', async (request) => {
    if (request.url.includes('%00')) throw nulCharacter();
  });
}

/**
 * OAuth2 password-form clients (FastAPI's OAuth2PasswordRequestForm) post application/x-www-form-urlencoded;
 * the routes of the plugin that calls this accept it, the platform parses it. JSON sent under that type (what
 * `curl -d` does without a header) is answered with the header to add, rather than read as one odd field.
 */
export function acceptForms(app: FastifyInstance) {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = body as string;
      if (text.includes('%00')) return done(nulCharacter(), undefined);
      if (/^\s*[[{]/.test(text)) {
        return done(
          new HttpProblem(
            415,
            'request.unsupported_media_type',
            'The body is JSON but Content-Type says application/x-www-form-urlencoded (curl -d sends that); add the header Content-Type: application/json.',
          ),
          undefined,
        );
      }
      done(null, Object.fromEntries(new URLSearchParams(text)));
    },
  );
}
