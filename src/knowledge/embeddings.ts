import type OpenAI from 'openai';

/** Turns texts into vectors. Documents and questions may be embedded differently (Cohere's input_type). */
export interface Embedder {
  /** Names the vectors: documents embedded with another model are embedded again on their next ingest. */
  readonly model: string;
  embed(texts: string[], kind: 'document' | 'query'): Promise<number[][]>;
}

export type EmbeddingsConfig =
  | { provider: 'openai'; baseURL: string; apiKey: string; model: string }
  | { provider: 'cohere'; baseURL: string; apiKey: string; model: string };

/** Texts per request: both providers accept 96 or more, and smaller batches keep each request short. */
const BATCH = 64;

export function createEmbedder(config: EmbeddingsConfig, timeoutMs = 30_000): Embedder {
  const embedBatch =
    config.provider === 'openai' ? openAiEmbedder(config, timeoutMs) : cohereEmbedder(config, timeoutMs);
  return {
    model: `${config.provider}:${config.model}`,
    async embed(texts, kind) {
      const vectors: number[][] = [];
      for (let i = 0; i < texts.length; i += BATCH) {
        const batch = texts.slice(i, i + BATCH);
        const result = await embedBatch(batch, kind);
        if (result.length !== batch.length)
          throw new Error(
            `the embeddings server answered ${result.length} vectors for ${batch.length} texts`,
          );
        vectors.push(...result);
      }
      return vectors;
    },
  };
}

/** Any server speaking OpenAI's /v1/embeddings: OpenAI, Ollama, vLLM, llama.cpp, LM Studio. */
function openAiEmbedder(config: EmbeddingsConfig, timeoutMs: number) {
  let client: Promise<OpenAI> | undefined; // the SDK is loaded with the first texts to embed, not at start
  return async (texts: string[]) => {
    client ??= import('openai').then(
      ({ default: OpenAI }) =>
        new OpenAI({ apiKey: config.apiKey, baseURL: config.baseURL, timeout: timeoutMs, maxRetries: 1 }),
    );
    const response = await (await client).embeddings.create({
      model: config.model,
      input: texts,
      encoding_format: 'float',
    });
    return [...response.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
  };
}

/** Cohere's embed API, which wants to know whether it embeds documents or a search query. */
function cohereEmbedder(config: EmbeddingsConfig, timeoutMs: number) {
  return async (texts: string[], kind: 'document' | 'query') => {
    const response = await fetch(`${config.baseURL}/v1/embed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.apiKey}` },
      body: JSON.stringify({
        model: config.model,
        texts,
        input_type: kind === 'document' ? 'search_document' : 'search_query',
        truncate: 'END',
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`Cohere embed answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { embeddings: number[][] | { float: number[][] } };
    return Array.isArray(body.embeddings) ? body.embeddings : body.embeddings.float;
  };
}
