import { createHash, timingSafeEqual } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearerToken, principalOf } from '../auth/index.ts';
import { aliases } from '../http/aliases.ts';
import { HttpProblem, problemSchema } from '../http/problem.ts';
import {
  adminRequired,
  fileTooLarge,
  malformedForm,
  noFiles,
  notUtf8,
  nulInFile,
  unsupportedFile,
  uploadTooLarge,
} from './knowledge.errors.ts';
import {
  askBody,
  askSchema,
  CONTENT_MAX,
  DOCUMENTS_PER_REQUEST,
  documentParams,
  documentSummarySchema,
  ingestBody,
  ingestedSchema,
} from './knowledge.schemas.ts';
import type { DocumentInput, KnowledgeService } from './knowledge.service.ts';

export interface KnowledgeRoutesOptions {
  service: KnowledgeService;
  ingestToken: string | undefined;
  /** Whether the account behind a request may ingest and delete documents. */
  isAdmin: (userId: string) => Promise<boolean>;
  askPerMinute: number;
  askRequiresAccount: boolean;
}

/** Markdown and text files are taken; anything else is refused rather than indexed as noise. */
const UPLOAD_EXTENSIONS = /\.(md|mdx|markdown|txt)$/i;
/**
 * Ingest requests carry whole documents: larger than the default body limit. It bounds the whole request, JSON or
 * multipart: an upload is counted as it streams in and refused as soon as it passes this.
 */
const INGEST_BODY_LIMIT = 20 * 1024 * 1024;

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema };

export async function knowledgeRoutes(app: FastifyInstance, opts: KnowledgeRoutesOptions) {
  const { service } = opts;
  const r = app.withTypeProvider<ZodTypeProvider>();
  await app.register(multipart, {
    limits: {
      fileSize: CONTENT_MAX,
      files: DOCUMENTS_PER_REQUEST,
      fields: 10,
      fieldSize: 1024,
      parts: DOCUMENTS_PER_REQUEST + 10,
    },
  });

  const ingestTokenDigest = opts.ingestToken ? digest(opts.ingestToken) : undefined;
  // INGEST_TOKEN is compared in constant time (as digests, so lengths do not leak either); any other bearer must
  // be a signed-in admin.
  const isIngestToken = (request: FastifyRequest) => {
    const token = bearerToken(request);
    return (
      token !== undefined &&
      ingestTokenDigest !== undefined &&
      timingSafeEqual(digest(token), ingestTokenDigest)
    );
  };
  const adminOnly = async (request: FastifyRequest) => {
    if (isIngestToken(request)) return;
    await app.authenticate.call(app, request, undefined as never);
    if (!(await opts.isAdmin(principalOf(request).userId))) throw adminRequired();
  };

  for (const { url, schema } of aliases(['/api/knowledge/documents', '/ingest', '/api/ingest'], {
    tags: ['knowledge'],
    summary: 'Ingest documents (admin)',
    description:
      'JSON: `[{id?, title?, path?, content}]` or `{documents: [...]}`. Files: `multipart/form-data` with one or ' +
      'more .md, .mdx, .markdown or .txt files (`curl -F file=@guide.md`); the file name is the path, and a ' +
      '`prefix` field is put before it. Ingesting a path again replaces its passages in one transaction; the ' +
      'same content again is skipped. Needs `Authorization: Bearer <INGEST_TOKEN>` or an admin account.',
    security: [{ bearer: [] }],
    body: ingestBody,
    response: { 200: ingestedSchema, 413: problemSchema, 415: problemSchema, ...errors },
  })) {
    r.post(
      url,
      {
        onRequest: adminOnly,
        config: { scope: 'account' },
        preValidation: readUploads,
        bodyLimit: INGEST_BODY_LIMIT,
        schema,
      },
      async (request) => {
        const inputs = Array.isArray(request.body) ? request.body : request.body.documents;
        const documents = await service.ingest(inputs);
        const unchanged = documents.filter((d) => d.status === 'unchanged').length;
        return { documents, ingested: documents.length - unchanged, unchanged };
      },
    );
  }

  // Whoever may ask may see what the answers come from, and so may the INGEST_TOKEN that put them there (a sync
  // script lists before it deletes what is gone).
  const askers = opts.askRequiresAccount ? app.authenticate : app.authenticateOptional;
  const listers = async (request: FastifyRequest, reply: FastifyReply) => {
    if (isIngestToken(request)) return;
    await askers.call(app, request, reply);
  };
  r.get(
    '/api/knowledge/documents',
    {
      onRequest: listers,
      config: { scope: 'assistant' },
      schema: {
        tags: ['knowledge'],
        summary: 'List the documents in the knowledge base, with their passage counts',
        ...(opts.askRequiresAccount ? { security: [{ bearer: [] }] } : {}),
        response: { 200: z.array(documentSummarySchema), 429: problemSchema },
      },
    },
    async () => (await service.list()).map((doc) => ({ ...doc, updated_at: doc.updated_at.toISOString() })),
  );

  r.delete(
    '/api/knowledge/documents/:id',
    {
      onRequest: adminOnly,
      config: { scope: 'account' },
      schema: {
        tags: ['knowledge'],
        summary: 'Delete a document and its passages (admin)',
        security: [{ bearer: [] }],
        params: documentParams,
        response: { 204: z.null(), 404: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      await service.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );

  const askLimit = app.limiter({
    name: 'ask',
    max: opts.askPerMinute,
    keyGenerator: (request) =>
      // app.limiter keeps keys as HMACs, so the address is not stored in the clear.
      request.principal ? `user:${request.principal.userId}` : `addr:${request.ip}`,
  });
  for (const { url, schema } of aliases(['/api/knowledge/ask', '/chat', '/api/chat'], {
    tags: ['knowledge'],
    summary: 'Ask the documentation a question',
    description:
      'Answers from the best passages and lists them as sources. With a language model configured the answer ' +
      'is written by it (`mode: generated`) and cites sources as [1], [2]; without one it is made of the ' +
      'sentences that match the question best (`mode: extractive`). When the documents do not cover the ' +
      `question the answer says so. ${opts.askPerMinute} questions per minute per client.`,
    ...(opts.askRequiresAccount ? { security: [{ bearer: [] }] } : {}),
    body: askBody,
    response: { 200: askSchema, ...errors },
  })) {
    r.post(
      url,
      {
        // Counted before the body is read and validated.
        onRequest: [askers, askLimit],
        // Asking the docs is a chat (its aliases are /chat): a personal API token needs `assistant`.
        config: { scope: 'assistant' },
        schema,
      },
      async (request) => service.ask(request.body.query, request.body.max_results),
    );
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Turns uploaded files into the JSON form of the body, so that one schema validates both. The multipart parser
 * reads the body as the parts are consumed, and knows only per-file limits (500 files of 2 MB: a gigabyte), so
 * the bytes of every part (files and fields; fields are 1 kB at most) are counted here as they arrive and the
 * upload is refused as soon as they pass INGEST_BODY_LIMIT, closing the connection rather than reading the rest. A
 * declared Content-Length over it is refused unread.
 */
async function readUploads(request: FastifyRequest, reply: FastifyReply) {
  if (!request.isMultipart()) return;
  const refuse = () => {
    reply.header('connection', 'close');
    return uploadTooLarge(INGEST_BODY_LIMIT);
  };
  if (Number(request.headers['content-length'] ?? 0) > INGEST_BODY_LIMIT) throw refuse();
  let received = 0;
  const documents: DocumentInput[] = [];
  let prefix = '';
  try {
    for await (const part of request.parts()) {
      if (received > INGEST_BODY_LIMIT) throw refuse();
      if (part.type === 'field') {
        received += Buffer.byteLength(String(part.value ?? ''));
        if (part.fieldname === 'prefix' && typeof part.value === 'string') prefix = part.value.trim();
        continue;
      }
      if (!UPLOAD_EXTENSIONS.test(part.filename)) throw unsupportedFile(part.filename);
      const chunks: Buffer[] = [];
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > INGEST_BODY_LIMIT) throw refuse();
        chunks.push(chunk);
      }
      const buffer = Buffer.concat(chunks);
      if (part.file.truncated) throw fileTooLarge(part.filename, CONTENT_MAX);
      let content: string;
      try {
        content = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
      } catch {
        throw notUtf8(part.filename);
      }
      if (content.includes('\u0000')) throw nulInFile(part.filename);
      documents.push({ path: `${prefix}${part.filename}`, content });
    }
  } catch (error) {
    // A part that was not read to its end (a refusal above) stops the parser; the rest of the body is not read.
    if (received > INGEST_BODY_LIMIT) throw refuse();
    // Busboy's complaints about the form itself (no boundary, a part cut short) carry no status: the client's.
    if (error instanceof HttpProblem || typeof (error as { statusCode?: unknown }).statusCode === 'number')
      throw error;
    throw malformedForm();
  }
  if (documents.length === 0) throw noFiles();
  request.body = documents;
}
