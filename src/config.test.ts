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
    expect([...config.features]).toEqual(['tasks', 'assistant']);
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
