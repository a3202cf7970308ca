import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problem.ts';

/**
 * The deepest nesting of arrays and objects a JSON body may have. Doable's deepest document, an import with stored
 * tool calls, nests about 25 levels; deeper bodies within this limit get their 400 from validation, which names the
 * field. JSON.parse spends under a millisecond on 10,000 levels, and about 50 on the million a mebibyte holds.
 */
export const MAX_JSON_DEPTH = 10_000;

/** Bodies from this size on are parsed in an event-loop turn of their own, after the depth scan. */
const LARGE_BODY = 64 * 1024;

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

/** The parser refuses these keys (prototype poisoning); the JSON is valid, so say which key, not "not JSON". */
const forbiddenKey = () =>
  new HttpProblem(
    400,
    'request.forbidden_key',
    'The body has a `__proto__` or `constructor.prototype` key, which no request takes; remove it.',
  );
const FORBIDDEN_KEY = /"(?:__proto__|prototype)"\s*:/;

const tooDeep = () =>
  new HttpProblem(
    400,
    'request.too_deep',
    `The JSON body nests arrays and objects more than ${MAX_JSON_DEPTH.toLocaleString('en')} levels deep; send a flatter document.`,
  );

/**
 * Whether JSON text nests arrays and objects deeper than `limit`, read in one pass that skips strings (a bracket
 * inside a string does not count). Cheap next to JSON.parse (a few milliseconds for 4 MiB), which spends about 50
 * ms on a mebibyte of `[` before it finds the text is not JSON; invalid text is left for the parser to report.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // To the closing quote: the next quote that an even number of backslashes precedes.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return false;
        let backslashes = 0;
        while (text.charCodeAt(i - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * How request bodies and URLs are read: JSON only, with Fastify's own hardened parser. PostgreSQL cannot store
 * the NUL character in text, so it is refused at the door with a 400 instead of failing deep inside a query. A
 * lone surrogate (`"\\ud800"`) becomes U+FFFD: PGlite turned the text around one into invalid UTF-8.
 * Plain text is not taken for JSON: a client sending it gets a 415 that names the header to send. A body nested
 * deeper than MAX_JSON_DEPTH is a 400 before it is parsed, and a large body is parsed in a turn of the event loop
 * of its own, so that scanning and parsing it do not add up in one stretch.
 */
export function registerBodyParsers(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // In JSON text a NUL can only be written as the escape \u0000.
    const text = body as string;
    if (text.includes('\\u0000')) return done(nulCharacter(), undefined);
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return done(tooDeep(), undefined);
    const parse = () => {
      parseJson(request, text, (error, value) => {
        if (error) return done(FORBIDDEN_KEY.test(text) ? forbiddenKey() : error, undefined);
        // A lone surrogate can only be written as an escape; the embedded database garbles the text around one.
        done(null, /\\u[dD][89a-fA-F]/.test(text) ? replaceLoneSurrogates(value) : value);
      });
    };
    if (text.length < LARGE_BODY) parse();
    else setImmediate(parse);
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
