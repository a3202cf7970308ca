import type { FastifyInstance } from 'fastify';

export const INGEST_TOKEN = 'ingest-token-for-tests-0123456789';
export const ingestHeaders = { authorization: `Bearer ${INGEST_TOKEN}` };

/** A small documentation set whose best answer to each test question is known. */
export const CORPUS = [
  {
    path: 'guide/tokens.md',
    content: [
      '---',
      'title: API tokens',
      '---',
      '# API tokens',
      'Scripts and MCP clients sign in with a personal API token instead of a password.',
      '',
      '## Create a token',
      'Send `POST /api/auth/tokens` with a name. The token is shown once, so copy it right away.',
      '',
      '```sh',
      'curl -X POST http://localhost:7860/api/auth/tokens -H "Authorization: Bearer $ACCESS" -d \'{"name":"cli"}\'',
      '```',
      '',
      '## Revoke a token',
      'Delete it with `DELETE /api/auth/tokens/{id}`; scripts using it stop working at once.',
    ].join('\n'),
  },
  {
    path: 'guide/tasks.md',
    content: [
      '# Tasks',
      '## Quick add',
      'Type a line such as "pay rent tomorrow 9am p1 #home" and Doable reads the date, the priority and the tags.',
      '',
      '## Recurring tasks',
      'Add "every monday" to repeat a task weekly. Completing it moves the due date to the next occurrence.',
    ].join('\n'),
  },
  {
    path: 'guide/deploy.md',
    content: [
      '# Deployment',
      '## Docker',
      'Build the image with docker build and run it with a volume for the data directory.',
      '',
      '## PostgreSQL',
      'Set DATABASE_URL to use PostgreSQL instead of the embedded database.',
    ].join('\n'),
  },
];

export async function ingestCorpus(app: FastifyInstance, documents = CORPUS) {
  const response = await app.inject({
    method: 'POST',
    url: '/api/knowledge/documents',
    headers: ingestHeaders,
    payload: documents,
  });
  if (response.statusCode !== 200) throw new Error(`ingest failed: ${response.statusCode} ${response.body}`);
  return response.json() as {
    documents: Array<{ id: string; path: string; status: string; chunks: number }>;
  };
}
