import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problem.ts';

const nulCharacter = () =>
  new HttpProblem(
    400,
    'request.nul_character',
    'Text must not contain the NUL character (\\u0000, %00); remove it and send the request again.',
  );

/**
 * How request bodies and URLs are read. PostgreSQL cannot store the NUL character in text, so it is refused at
 * the door with a 400 instead of failing deep inside a query; JSON keeps Fastify's own hardened parser.
 */
export function registerBodyParsers(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // In JSON text a NUL can only be written as the escape \u0000.
    if ((body as string).includes('\\u0000')) return done(nulCharacter(), undefined);
    parseJson(request, body as string, done);
  });
  // OAuth2 password-form clients post application/x-www-form-urlencoded; the platform parses it.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      if ((body as string).includes('%00')) return done(nulCharacter(), undefined);
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  app.addHook('onRequest', async (request) => {
    if (request.url.includes('%00')) throw nulCharacter();
  });
}
