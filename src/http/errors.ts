import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { isConcurrentConflict, isDatabaseUnavailable, isOwnerGone } from '../db/database.ts';
import { type FieldError, HttpProblem, problemBody } from './problem.ts';
import { fieldErrors, invalidRequest, type Source } from './validation.ts';

const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';
/** What a 503 for a database outage asks clients to wait: a restarted PostgreSQL is usually back by then. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Fastify's own client errors, given stable codes and sentences that say what to do. */
const FASTIFY_CLIENT_ERRORS: Record<string, { code: string; detail?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'request.body_too_large',
    detail: 'The request body is larger than this server accepts; send less data per request.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'request.empty_body',
    detail: 'The body is empty although Content-Type says JSON; send a JSON document or drop the header.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'request.malformed_json',
    detail: 'The body is not valid JSON; check its syntax.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'request.bad_content_length',
    detail: 'Content-Length does not match the body that was sent.',
  },
};

const VALIDATION_SOURCES: Record<string, Source> = {
  querystring: 'query',
  params: 'path',
  body: 'body',
  headers: 'header',
};

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  errors?: FieldError[],
): FastifyReply {
  return reply
    .code(status)
    .type(PROBLEM_TYPE)
    .send(problemBody(status, code, detail, request, errors));
}

/**
 * Fastify's answers for a URL it cannot route (percent-encoding that is not UTF-8, a path parameter longer than
 * the router takes), given as `frameworkErrors` to Fastify: these come before any hook, so the request id header
 * is set here too.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-request-id', request.id);
  // The only other framework error, FST_ERR_ASYNC_CONSTRAINT, needs async route constraints, which we do not use.
  return error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? sendProblem(
        reply,
        request,
        414,
        'request.path_too_long',
        'A part of the path is longer than any id or name here; check the URL.',
      )
    : sendProblem(
        reply,
        request,
        400,
        'request.bad_url',
        'The path is not valid percent-encoded UTF-8; encode each part with encodeURIComponent.',
      );
}

/** Node's parser errors (llhttp's codes) that have a status of their own; any other is a 400. */
const CONNECTION_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'request.headers_too_large',
    detail:
      'The request line and headers are larger than this server accepts; send fewer or shorter headers (cookies, tokens).',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'request.timeout',
    detail: 'The request did not arrive in time; send it again.',
  },
};

/**
 * Answers what Node's HTTP parser refuses before Fastify sees a request (headers too large, a malformed request
 * line or header, a request that took too long), as problem+json like every other error, instead of Fastify's
 * plain JSON. Given as Fastify's `clientErrorHandler`; the connection is closed afterwards, as Node does.
 */
export function clientErrorHandler(headers: Record<string, string>) {
  return function onClientError(
    this: FastifyInstance,
    error: Error & { code?: string; rawPacket?: unknown },
    socket: Duplex,
  ) {
    // A connection reset, or a socket already gone: nobody is left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const known = (error.code && CONNECTION_ERRORS[error.code]) || {
      status: 400,
      code: 'request.malformed',
      detail:
        'The request is not well-formed HTTP/1.1 (its request line, a header or the body framing); check what the client sends.',
    };
    const id = randomUUID();
    // The path, when the request line could be read, so that the problem says what was asked.
    const path =
      /^[A-Z]+ (\/[^\s?]{0,2048})[\s?]/.exec(
        Buffer.isBuffer(error.rawPacket) ? error.rawPacket.toString('latin1') : '',
      )?.[1] ?? '/';
    this.log.debug({ err: error, request_id: id, status: known.status }, 'client error');
    if (socket.writable) {
      const body = JSON.stringify(problemBody(known.status, known.code, known.detail, { id, url: path }));
      const head = {
        ...headers,
        'content-type': PROBLEM_TYPE,
        'content-length': String(Buffer.byteLength(body)),
        'x-request-id': id,
        'cache-control': 'no-store',
        connection: 'close',
      };
      socket.write(
        `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\n${Object.entries(head)
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('')}\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}

/**
 * A request whose connection is already gone: Node read a second, malformed request behind it on the same
 * connection and destroyed the socket before this one's hooks ran, so there is no client address and nobody to
 * answer. Refused before any hook that counts by address, which would otherwise fail on it.
 */
export function connectionClosed(): HttpProblem {
  return new HttpProblem(
    400,
    'request.connection_closed',
    'The connection closed before the request could be answered; send it again on a new connection.',
  );
}

/** HTTP/1.1 requires Host (RFC 9112, section 3.2), and a request without it gets a 400. */
export function missingHost(): HttpProblem {
  return new HttpProblem(
    400,
    'request.missing_host',
    'HTTP/1.1 requests must carry a Host header; send the host name the service is reached at.',
  );
}

/**
 * An `Expect` other than 100-continue: Node answers 417 with an empty body unless someone listens for it. This
 * listener answers the same status as a problem.
 */
export function answerExpectations(server: Server, headers: Record<string, string>) {
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const id = randomUUID();
    const body = JSON.stringify(
      problemBody(
        417,
        'request.expectation_failed',
        `Expect: ${String(request.headers.expect).slice(0, 100)} is not supported; send the request without it (only 100-continue is).`,
        { id, url: request.url ?? '/' },
      ),
    );
    response.writeHead(417, {
      ...headers,
      'content-type': PROBLEM_TYPE,
      'content-length': Buffer.byteLength(body),
      'x-request-id': id,
    });
    response.end(body);
  });
}

export interface ErrorsOptions {
  /**
   * The answer to a write for an account deleted meanwhile (a foreign key to users that no longer holds): auth's,
   * the same the token check gives once it sees the account is gone. Given by app.ts, so that this shared code
   * builds no feature's error.
   */
  ownerGone: () => HttpProblem;
}

/**
 * Every error leaves as problem+json with the request id: validation failures with one entry per field,
 * client mistakes with what to fix, and server faults without internals (they are logged instead).
 */
export const errorsPlugin = fp(async (app: FastifyInstance, { ownerGone }: ErrorsOptions) => {
  // A second router that only knows which paths exist, to tell "wrong method" (405) from "no such path" (404).
  const knownPaths = FindMyWay();
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || knownPaths.hasRoute(method as HTTPMethod, route.url)) continue;
      knownPaths.on(method as HTTPMethod, route.url, () => {});
    }
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter((m) =>
      knownPaths.find(m, path),
    );
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        reply,
        request,
        405,
        'request.method_not_allowed',
        `${request.method} is not supported on ${path}; use ${allowed.join(' or ')}.`,
      );
    }
    return sendProblem(
      reply,
      request,
      404,
      'request.not_found',
      `Nothing is served at ${path}; see /docs for the API.`,
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpProblem) {
      reply.headers(error.headers);
      return sendProblem(reply, request, error.status, error.code, error.message, error.errors);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = (error.validationContext ?? 'body') as keyof typeof VALIDATION_SOURCES;
      const issues = error.validation.map((issue) => ({
        code: issue.keyword,
        path: issue.instancePath.split('/').filter(Boolean),
        message: issue.message ?? 'is invalid',
        keys: (issue.params as { keys?: string[] }).keys,
      }));
      const schema = (request.routeOptions.schema as Record<string, unknown> | undefined)?.[context];
      const problem = invalidRequest(fieldErrors(issues, VALIDATION_SOURCES[context] ?? 'body', schema));
      return sendProblem(reply, request, 400, problem.code, problem.message, problem.errors);
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        const sent = request.headers['content-type'];
        return sendProblem(
          reply,
          request,
          415,
          'request.unsupported_media_type',
          sent
            ? `Content-Type ${sent.split(';')[0]} is not accepted here; send JSON with Content-Type: application/json.`
            : 'The request has a body but no Content-Type; send the header Content-Type: application/json.',
        );
      }
      const known = FASTIFY_CLIENT_ERRORS[error.code];
      if (error.validation) {
        // Fastify's own validation (e.g. a JSON schema on a plugin route).
        return sendProblem(reply, request, 400, 'request.invalid', error.message);
      }
      return sendProblem(
        reply,
        request,
        status,
        known?.code ?? 'request.rejected',
        known?.detail ?? error.message,
      );
    }
    if (isOwnerGone(error)) {
      const problem = ownerGone();
      reply.headers(problem.headers);
      return sendProblem(reply, request, problem.status, problem.code, problem.message, problem.errors);
    }
    if (isConcurrentConflict(error)) {
      // Another request changed the same rows at the same instant and this one gave way (transactions are run
      // again first; a single statement is not): the client's request was fine, and trying again settles it.
      request.log.warn({ err: error }, 'lost a deadlock to a concurrent change');
      return sendProblem(
        reply,
        request,
        409,
        'request.conflict',
        'Someone changed the same list or task at the same moment; try again.',
      );
    }
    if (isDatabaseUnavailable(error)) {
      // Nothing for the client to fix and nothing broken here: the database is away, and comes back by itself.
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return sendProblem(
        reply,
        request,
        503,
        'service.unavailable',
        `The database is not answering; try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
      );
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(
      reply,
      request,
      status >= 500 && status < 600 ? status : 500,
      'server.error',
      `Something went wrong on our side. Try again; if it keeps happening, report request id ${request.id}.`,
    );
  });
});
