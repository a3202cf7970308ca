import type { FastifyInstance, FastifyRequest } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { ownPathOnly, principalOf, userParams } from '../auth/index.ts';
import { problemSchema } from '../http/problem.ts';
import { unsupportedVersion } from './export.errors.ts';
import {
  exportSchema,
  importBody,
  importResultSchema,
  READABLE_VERSIONS,
  VERSION,
} from './export.schemas.ts';
import type { ExportService } from './export.service.ts';
import { validateImport } from './import-validation.ts';

export interface ExportRoutesOptions {
  service: ExportService;
  /** The largest import accepted, in bytes. */
  importBodyLimit: number;
}

/** Exports and imports per user per minute: each one reads or writes a whole account. */
const PER_MINUTE = 5;

const secured = [{ bearer: [] }];
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema };

/**
 * A file of another version is answered before validation, which would otherwise list every field that
 * changed between versions instead of the one thing to do.
 */
async function knownVersion(request: FastifyRequest) {
  const { version } = (request.body ?? {}) as { version?: unknown };
  if (typeof version !== 'number' || (READABLE_VERSIONS as readonly number[]).includes(version)) return;
  throw unsupportedVersion(version, VERSION);
}

export async function exportRoutes(app: FastifyInstance, { service, importBodyLimit }: ExportRoutesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const limited = (name: string) =>
    app.limiter({ name, max: PER_MINUTE, keyGenerator: (request) => principalOf(request).userId });
  const own = ownPathOnly(
    'export.forbidden',
    'You can only export or import your own data; put your own user id, or "me", in the path.',
  );

  r.get(
    '/api/:user_id/export',
    {
      onRequest: [app.authenticate, own, limited('export')],
      // The whole account at once: tasks, conversations, profile.
      config: { scope: 'account' },
      schema: {
        tags: ['export'],
        summary: 'Everything you own, as one JSON document',
        description:
          'Your profile, tags, tasks with their completion history and recurrence, conversations with the ' +
          'assistant (messages and tool calls), and the names of your API tokens (never the tokens). Knowledge ' +
          'documents belong to the instance, not to you, and are not included. A personal API token needs the `account` scope. ' +
          `${PER_MINUTE} a minute.`,
        security: secured,
        params: userParams,
        response: { 200: exportSchema, ...errors },
      },
    },
    async (request, reply) => {
      const document = await service.exportFor(principalOf(request).userId);
      const day = document.exported_at.slice(0, 10);
      reply.header('content-disposition', `attachment; filename="doable-export-${day}.json"`);
      return document;
    },
  );

  r.post(
    '/api/:user_id/import',
    {
      // Counted before the body is read: a client over its budget never gets a large body parsed.
      onRequest: [app.authenticate, own, limited('import')],
      config: { scope: 'account' },
      preValidation: knownVersion,
      // The body is validated in the handler, in slices (import-validation.ts); the schema still describes it.
      validatorCompiler: (route) =>
        route.httpPart === 'body'
          ? (data: unknown) => ({ value: data })
          : validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0]),
      bodyLimit: importBodyLimit,
      schema: {
        tags: ['export'],
        summary: 'Add an exported document to your account',
        description:
          'Takes what GET /api/me/export made, here or on another Doable, and adds its tags, tasks (with their ' +
          'history) and conversations to your account, all or nothing. Records the account already holds (the ' +
          'same file imported again, or a record that came from here) are skipped, so importing twice adds ' +
          'nothing; nothing already here is changed or deleted. The profile and token names are not imported. ' +
          `Up to IMPORT_BODY_LIMIT_BYTES (default 4 MiB, about 13,000 tasks); ${PER_MINUTE} a minute. An import ` +
          'that would take the account past 10,000 tasks adds nothing (409 `tasks.too_many`).',
        security: secured,
        params: userParams,
        body: importBody,
        response: { 200: importResultSchema, 409: problemSchema, 413: problemSchema, ...errors },
      },
    },
    async (request) => service.importInto(principalOf(request).userId, await validateImport(request.body)),
  );
}
