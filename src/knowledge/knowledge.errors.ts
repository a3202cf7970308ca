import { HttpProblem } from '../http/problem.ts';

/** The knowledge feature's errors, each with its stable code (see src/http/problem.ts for how they are answered). */

export const adminRequired = () =>
  new HttpProblem(
    403,
    'knowledge.admin_only',
    'Only an administrator may change the knowledge base; use the INGEST_TOKEN, an account the operator made an administrator (npm run admin -- grant <email>), or one signed in through a provider that verified an address listed in ADMIN_EMAILS.',
  );

/** An upload past the ingest routes' body limit, `limit` bytes. */
export const uploadTooLarge = (limit: number) =>
  new HttpProblem(
    413,
    'request.body_too_large',
    `The upload is larger than ${limit} bytes in all; send the files in several requests.`,
  );

export const unsupportedFile = (filename: string) =>
  new HttpProblem(
    415,
    'knowledge.unsupported_file',
    `"${filename}" is not a markdown or text file; send .md, .mdx, .markdown or .txt files.`,
  );

export const fileTooLarge = (filename: string, limit: number) =>
  new HttpProblem(413, 'knowledge.file_too_large', `"${filename}" is larger than ${limit} bytes.`);

export const notUtf8 = (filename: string) =>
  new HttpProblem(400, 'knowledge.not_utf8', `"${filename}" is not UTF-8 text; save it as UTF-8.`);

/** An uploaded file with U+0000, which PostgreSQL's text cannot hold: the code a JSON body with one gets. */
export const nulInFile = (filename: string) =>
  new HttpProblem(400, 'request.nul_character', `"${filename}" contains the NUL character; remove it.`);

export const malformedForm = () =>
  new HttpProblem(
    400,
    'knowledge.malformed_form',
    'The multipart form cannot be read (no boundary, or a part cut short); send files as curl -F file=@guide.md does.',
  );

export const noFiles = () =>
  new HttpProblem(400, 'knowledge.no_files', 'Attach at least one .md or .txt file to the form.');

/** `name`: the document's path or title, or "A document". */
export const tooDeeplyNested = (name: string) =>
  new HttpProblem(
    400,
    'knowledge.too_deeply_nested',
    `${name} nests lists or quotes too deeply to read; flatten it.`,
  );

export const duplicatePath = (key: string) =>
  new HttpProblem(
    400,
    'knowledge.duplicate_path',
    `"${key}" appears twice in one request; send each document once.`,
  );

export const documentNotFound = () =>
  new HttpProblem(
    404,
    'knowledge.document_not_found',
    'No document has this id; list them with GET /api/knowledge/documents.',
  );
