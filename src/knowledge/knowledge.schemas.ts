import { z } from 'zod';

export const CONTENT_MAX = 2_000_000;
export const DOCUMENTS_PER_REQUEST = 500;
export const QUERY_MAX = 2_000;
export const MAX_RESULTS = 20;

export const documentInput = z
  .strictObject({
    id: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      .optional()
      .describe('Your id for the document (e.g. doc_001); generated when absent'),
    title: z
      .string()
      .trim()
      .max(500, 'must be at most 500 characters')
      .optional()
      .describe("Shown with sources; else the front matter's title, the first heading, or the file name"),
    path: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(1000, 'must be at most 1000 characters')
      .optional()
      .describe('Where the document lives (e.g. /docs/intro.md); ingesting the same path again replaces it'),
    content: z
      .string()
      .max(CONTENT_MAX, `must be at most ${CONTENT_MAX} characters`)
      .describe('The document as markdown (plain text works too)'),
  })
  .meta({ id: 'KnowledgeDocumentInput' });

const documentList = z
  .array(documentInput)
  .min(1, 'must hold at least one document')
  .max(DOCUMENTS_PER_REQUEST, `must hold at most ${DOCUMENTS_PER_REQUEST} documents; send them in batches`);

export const ingestBody = z
  .union([documentList, z.strictObject({ documents: documentList.describe('The documents to ingest') })])
  .describe('A list of documents, or `{documents: [...]}`');

export const ingestedSchema = z.object({
  documents: z.array(
    z.object({
      id: z.string(),
      path: z.string(),
      title: z.string(),
      chunks: z.number().int().describe('Passages the document was split into'),
      status: z
        .enum(['created', 'updated', 'unchanged'])
        .describe('unchanged: the same content was already ingested at this path, and nothing was written'),
    }),
  ),
  ingested: z.number().int().describe('Documents created or replaced'),
  unchanged: z.number().int().describe('Documents skipped because their content had not changed'),
});

export const documentSummarySchema = z.object({
  id: z.string(),
  path: z.string(),
  title: z.string(),
  chunks: z.number().int(),
  updated_at: z.iso.datetime({ offset: true }),
});

export const documentParams = z.strictObject({
  id: z.string().min(1).max(200).describe("The document's id"),
});

export const askBody = z.strictObject({
  query: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(QUERY_MAX, `must be at most ${QUERY_MAX} characters`)
    .describe('The question, in your own words'),
  max_results: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_RESULTS, `must be at most ${MAX_RESULTS}`)
    .default(5)
    .describe('How many sources to return (and to answer from)'),
});

export const askSchema = z.object({
  query: z.string(),
  response: z.string().describe('The answer, citing its sources as [1], [2] in the order of `sources`'),
  sources: z.array(
    z.object({
      id: z.string().describe("The document's id"),
      title: z.string(),
      path: z.string(),
      section: z.string().describe('The headings above the passage, joined by ›'),
      start_line: z.number().int().describe('Line of the document where the passage starts'),
      score: z.number().min(0).max(1).describe('Relevance in [0, 1]'),
      snippet: z.string().describe('The start of the passage, as plain text'),
    }),
  ),
  mode: z
    .enum(['generated', 'extractive'])
    .describe('generated: written by the language model; extractive: sentences taken from the documents'),
});
