import { readFile } from 'node:fs/promises';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export interface OpenApiInfo {
  version: string;
}

/** The OpenAPI document is generated from the route schemas; nothing about the API is written twice. */
export const openApiPlugin = fp(async (app: FastifyInstance, info: OpenApiInfo) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Doable API',
        version: info.version,
        description:
          'Accounts and tasks for people and their tools. Errors are RFC 9457 problem details ' +
          '(application/problem+json) carrying a request_id.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              "An access token from /api/auth/login, a personal API token, a connected app's OAuth access " +
              'token (`doable_oat_…`, see /.well-known/oauth-authorization-server), or a Better Auth token.',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (documentObject) =>
      unavailableResponses(optionalBodies(jsonSchemaTransformObject(documentObject))),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, () => app.swagger());
  app.get('/redoc', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/html').send(REDOC_PAGE),
  );
  app.get('/redoc/redoc.standalone.js', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(await redocBundle()),
  );
});

/**
 * @fastify/swagger marks every request body required, but a body schema that accepts null (logout, complete,
 * verify, refresh) may be left out entirely: say so, and show the object alone.
 */
function optionalBodies<T>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      const body = (operation as { requestBody?: OpenApiBody }).requestBody;
      const json = body?.content?.['application/json'];
      const variants = json?.schema?.anyOf;
      if (!body || !json || !variants?.some((variant) => variant.type === 'null')) continue;
      body.required = false;
      const rest = variants.filter((variant) => variant.type !== 'null');
      json.schema = rest.length === 1 && rest[0] ? rest[0] : { anyOf: rest };
    }
  }
  return document;
}

/**
 * Any route that reads or writes data answers 503 with Retry-After while PostgreSQL is away (src/http/errors.ts):
 * the error handler says so for all of them, so the document does too, once, for every operation under /api that
 * already documents problems, rather than in each route's schema. So with the 409 of a write that gave way to
 * another changing the same rows at the same instant (where a route has no 409 of its own).
 */
function unavailableResponses<T>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  for (const [path, operations] of Object.entries(paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      const responses = (operation as { responses?: Record<string, OpenApiResponse> }).responses ?? {};
      const problem = Object.values(responses).find((response) =>
        response.content?.['application/json']?.schema?.$ref?.endsWith('/Problem'),
      );
      if (!problem) continue;
      if (method !== 'get' && !responses['409'])
        responses['409'] = {
          description:
            'Someone changed the same list or task at the same instant (`request.conflict`); try again.',
          content: problem.content,
        };
      if (responses['503']) continue;
      responses['503'] = {
        description: 'The database is not answering; retry after the seconds in Retry-After.',
        headers: { 'retry-after': { schema: { type: 'integer' } } },
        content: problem.content,
      };
    }
  }
  return document;
}

interface OpenApiResponse {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: OpenApiSchema }>;
}

interface OpenApiSchema {
  $ref?: string;
  type?: string;
  anyOf?: OpenApiSchema[];
}
interface OpenApiBody {
  required: boolean;
  content?: Record<string, { schema?: OpenApiSchema }>;
}

/**
 * ReDoc's standalone bundle, served by Doable itself so that /redoc works offline like /docs. It is redoc@2.5.2's
 * `bundles/redoc.standalone.js`, unchanged (MIT; `npm pack redoc@2.5.2` to check or update it): the npm package
 * would bring 110 packages (84 MB, React included) into production for this one file. Read on first use.
 */
const REDOC_BUNDLE = new URL('../../vendor/redoc/redoc.standalone.js', import.meta.url);
let bundle: Promise<Buffer> | undefined;
const redocBundle = () => {
  bundle ??= readFile(REDOC_BUNDLE);
  return bundle;
};

const REDOC_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Doable API – ReDoc</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/openapi.json"></redoc>
<script src="/redoc/redoc.standalone.js"></script></body>
</html>`;
