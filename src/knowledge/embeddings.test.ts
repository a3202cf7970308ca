import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from './embeddings.ts';

/** A local server speaking Cohere's embed API: one vector per text, in either of the shapes Cohere answers. */
describe('Cohere embeddings', () => {
  const requests: Array<{ authorization: string | undefined; body: Record<string, unknown> }> = [];
  let server: Server;
  let baseURL: string;
  beforeAll(async () => {
    server = createServer(async (request, response) => {
      let text = '';
      for await (const chunk of request) text += chunk;
      const body = JSON.parse(text) as { texts: string[]; input_type: string };
      requests.push({ authorization: request.headers.authorization, body });
      if (request.url !== '/v1/embed') return void response.writeHead(404).end();
      const vectors = body.texts.map((t) => [t.length, body.input_type === 'search_query' ? 1 : 0]);
      // Documents come back in the older plain shape, queries in the typed one, as Cohere's versions do.
      const embeddings = body.input_type === 'search_query' ? { float: vectors } : vectors;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ embeddings }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('embeds documents and questions with the input type Cohere wants, reading both answer shapes', async () => {
    const embedder = createEmbedder({ provider: 'cohere', baseURL, apiKey: 'co-key', model: 'embed-x' });
    expect(embedder.model).toBe('cohere:embed-x');
    expect(await embedder.embed(['abc', 'de'], 'document')).toEqual([
      [3, 0],
      [2, 0],
    ]);
    expect(await embedder.embed(['what?'], 'query')).toEqual([[5, 1]]);
    expect(requests.map((r) => r.body.input_type)).toEqual(['search_document', 'search_query']);
    expect(requests[0]).toMatchObject({
      authorization: 'Bearer co-key',
      body: { model: 'embed-x', texts: ['abc', 'de'] },
    });
  });

  it('says what the server answered when it refuses', async () => {
    const embedder = createEmbedder({
      provider: 'cohere',
      baseURL: `${baseURL}/nowhere`,
      apiKey: 'k',
      model: 'm',
    });
    await expect(embedder.embed(['x'], 'query')).rejects.toThrow(/Cohere embed answered 404/);
  });
});
