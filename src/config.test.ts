import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration', () => {
  it('needs nothing to start in development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      environment: 'development',
      port: 7860,
      host: '0.0.0.0',
      databaseUrl: undefined,
    });
    expect(config.dataDir).toMatch(/data$/);
    expect([...config.features]).toEqual(['tasks', 'assistant', 'knowledge', 'web']);
  });

  it('finds the language model and the embeddings provider from the seeds’ variables', () => {
    expect(loadConfig({}).llm).toBeUndefined();
    expect(loadConfig({}).embeddings).toBeUndefined();
    expect(loadConfig({ OPENAI_API_KEY: 'sk-1' })).toMatchObject({
      llm: { apiKey: 'sk-1', baseURL: undefined, model: 'gpt-4o-mini' },
      embeddings: { provider: 'openai', apiKey: 'sk-1', model: 'text-embedding-3-small' },
    });
    expect(loadConfig({ OPENROUTER_API_KEY: 'or-1', COHERE_API_KEY: 'co-1' })).toMatchObject({
      llm: { apiKey: 'or-1', baseURL: 'https://openrouter.ai/api/v1' },
      embeddings: { provider: 'cohere', apiKey: 'co-1', model: 'embed-english-v3.0' },
    });
    expect(
      loadConfig({
        OPENAI_BASE_URL: 'http://localhost:11434/v1/',
        EMBEDDINGS_BASE_URL: 'http://localhost:11434/v1',
      }),
    ).toMatchObject({
      llm: { baseURL: 'http://localhost:11434/v1' },
      embeddings: { provider: 'openai', baseURL: 'http://localhost:11434/v1' },
    });
    expect(loadConfig({ ADMIN_EMAILS: 'A@x.io, b@y.io' }).knowledge.adminEmails).toEqual([
      'a@x.io',
      'b@y.io',
    ]);
    expect(problemsOf({ INGEST_TOKEN: 'short' })[0]).toMatch(/^INGEST_TOKEN must be at least 16 characters/);
  });

  it('refuses to start in production without a JWT secret, and says how to make one', () => {
    const [problem] = problemsOf({ NODE_ENV: 'production' });
    expect(problem).toMatch(/JWT_SECRET/);
    expect(problem).toMatch(/openssl rand -hex 32/);
  });

  it('accepts the seeds’ other names for the JWT secret', () => {
    const secret = 'a'.repeat(32);
    expect(loadConfig({ JWT_SECRET_KEY: secret }).jwtSecret).toBe(secret);
    expect(loadConfig({ SECRET_KEY: secret, ENVIRONMENT: 'production' }).jwtSecret).toBe(secret);
  });

  it('names a malformed DATABASE_URL and shows the expected form', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'mysql://localhost/db' });
    expect(problem).toMatch(/^DATABASE_URL must look like postgresql:\/\//);
  });

  it('refuses to trust every proxy, which would let clients choose their own address, and says what to set', () => {
    for (const value of ['true', 'yes']) {
      const [problem] = problemsOf({ TRUST_PROXY: value });
      expect(problem).toMatch(/^TRUST_PROXY must not be/);
      expect(problem).toMatch(/escape the rate limits/);
      expect(problem).toMatch(/number of proxies/);
    }
    expect(problemsOf({ TRUST_PROXY: '10.0.0.300' })[0]).toMatch(/not an address or CIDR/);
  });

  it('trusts proxies by hop count or by address and CIDR, and none by default', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1,uniquelocal' }).trustProxy).toBe(
      '10.0.0.1,192.168.0.0/16,::1,uniquelocal',
    );
  });

  it('trusts the one proxy of Hugging Face Spaces when TRUST_PROXY is unset there, and only there', () => {
    expect(loadConfig({ SPACE_ID: 'someone/doable' }).trustProxy).toBe(1);
    expect(loadConfig({ SPACE_ID: 'someone/doable', TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ SPACE_ID: 'someone/doable', TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ SPACE_ID: '' }).trustProxy).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a'.repeat(32) }).trustProxy).toBe(false);
  });

  it('names origins that are not URLs', () => {
    const [problem] = problemsOf({ ALLOWED_ORIGINS: 'https://ok.example.com, not a url' });
    expect(problem).toMatch(/ALLOWED_ORIGINS "not a url" is not a URL/);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      JWT_SECRET: 'short',
      LOG_LEVEL: 'loud',
      FEATURES: 'tasks,nope',
    });
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['PORT', 'LOG_LEVEL', 'JWT_SECRET']);
    expect(problemsOf({ FEATURES: 'tasks,nope' })[0]).toMatch(/FEATURES names "nope"/);
  });

  it('merges ALLOWED_ORIGINS and FRONTEND_URL without trailing slashes', () => {
    const config = loadConfig({
      ALLOWED_ORIGINS: 'https://a.example.com/,https://b.example.com',
      FRONTEND_URL: 'https://a.example.com',
    });
    expect(config.allowedOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
  });

  it('wants OAuth client ids and secrets in pairs', () => {
    expect(problemsOf({ GITHUB_CLIENT_ID: 'abc' })[0]).toMatch(
      /GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET go together/,
    );
  });
});

describe('limits that bound how long one request holds the event loop', () => {
  it('takes imports of 4 MiB by default, whose JSON parses in about 50 ms, and 120 MCP POSTs a minute per user', () => {
    const config = loadConfig({});
    expect(config.importBodyLimitBytes).toBe(4 * 1024 * 1024);
    expect(config.rateLimit.mcpPerMinute).toBe(120);
    expect(loadConfig({ MCP_RATE_LIMIT_PER_MINUTE: '30' }).rateLimit.mcpPerMinute).toBe(30);
  });
});
