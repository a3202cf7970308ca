import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** Features that can be switched with FEATURES; each later feature adds its name here. */
export const FEATURE_NAMES = ['tasks', 'assistant', 'knowledge', 'web'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

const MIN_SECRET_LENGTH = 32;

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
      error: 'must be true or false',
    })
    .optional()
    .transform((value) => (value === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(value)));

const int = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const secret = optionalText.refine((value) => value === undefined || value.length >= MIN_SECRET_LENGTH, {
  message: `must be at least ${MIN_SECRET_LENGTH} characters; generate one with: openssl rand -hex 32`,
});

const httpUrl = (hint: string) =>
  optionalText.refine((value) => value === undefined || isHttpUrl(value), {
    message: `must be an http(s) URL such as ${hint}`,
  });

const urlList = optionalText.superRefine((value, ctx) => {
  for (const origin of splitList(value)) {
    if (origin !== '*' && !isHttpUrl(origin)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${origin}" is not a URL; list origins like https://app.example.com,http://localhost:3000`,
      });
    }
  }
});

/** Every variable Doable reads, with its default; the settings tables of README and docs/ follow it. */
export const envSchema = z.object({
  NODE_ENV: optionalText,
  ENVIRONMENT: optionalText,
  APP_ENV: optionalText,
  HOST: z.string().default('0.0.0.0'),
  PORT: int(7860, 0, 65535),
  PUBLIC_URL: httpUrl('https://you-doable.hf.space'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalText.refine(
    (value) => value === undefined || (/^postgres(ql)?:\/\/[^\s]+$/.test(value) && isUrl(value)),
    {
      message:
        'must look like postgresql://user:password@host:5432/database (leave it unset to use the embedded database)',
    },
  ),
  DATABASE_POOL_SIZE: int(10, 1, 200),
  REDIS_URL: optionalText.refine(
    (value) => value === undefined || (/^rediss?:\/\//.test(value) && isUrl(value)),
    {
      message: 'must look like redis://host:6379 (leave it unset to keep rate limits in memory)',
    },
  ),
  LOG_LEVEL: z
    .string()
    .default('info')
    .transform((value) => value.toLowerCase())
    .pipe(
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      }),
    ),
  FEATURES: z.string().default(FEATURE_NAMES.join(',')),
  JWT_SECRET: secret,
  JWT_SECRET_KEY: secret,
  SECRET_KEY: secret,
  BETTER_AUTH_SECRET: secret,
  BETTER_AUTH_URL: httpUrl('https://app.example.com'),
  ACCESS_TOKEN_EXPIRE_MINUTES: int(15, 1, 24 * 60),
  REFRESH_TOKEN_EXPIRE_DAYS: int(7, 1, 365),
  ALLOWED_ORIGINS: urlList,
  FRONTEND_URL: httpUrl('https://app.example.com'),
  /** Set by Hugging Face Spaces in every container it runs; there, one proxy stands in front of Doable. */
  SPACE_ID: optionalText,
  /** Set by Hugging Face Spaces too: the Space's host name (`user-space.hf.space`), the issuer without PUBLIC_URL. */
  SPACE_HOST: optionalText.refine((value) => value === undefined || /^[a-z0-9.-]+(:\d+)?$/i.test(value), {
    message: 'must be a host name such as you-doable.hf.space (Hugging Face Spaces sets it)',
  }),
  TRUST_PROXY: optionalText.transform((value, ctx) => {
    if (value === undefined) return undefined;
    const trust = parseTrustProxy(value);
    if (typeof trust === 'object') {
      ctx.addIssue({ code: 'custom', message: trust.error });
      return z.NEVER;
    }
    return trust;
  }),
  BODY_LIMIT_BYTES: int(1024 * 1024, 1024, 100 * 1024 * 1024),
  // JSON.parse holds the event loop for 25-80 ms per 4 MiB (200-650 ms for 32 MiB, measured on a loaded two-core
  // machine): 4 MiB (about 13,000 tasks) keeps one import's parse near the 50 ms a request may hold the loop.
  IMPORT_BODY_LIMIT_BYTES: int(4 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  RATE_LIMIT_ENABLED: bool(true),
  RATE_LIMIT_REQUESTS_PER_MINUTE: int(300, 1, 1_000_000),
  AUTH_RATE_LIMIT_PER_MINUTE: int(20, 1, 1_000_000),
  LOGIN_FAILURES_PER_MINUTE: int(5, 1, 1_000_000),
  LOGIN_FAILURES_PER_ACCOUNT_PER_HOUR: int(100, 1, 1_000_000),
  CHAT_RATE_LIMIT_PER_MINUTE: int(20, 1, 1_000_000),
  MCP_RATE_LIMIT_PER_MINUTE: int(120, 1, 1_000_000),
  ASSISTANT_TIMEOUT_SECONDS: int(60, 1, 600),
  EVENTS_HEARTBEAT_SECONDS: int(20, 1, 300),
  EVENTS_STREAMS_PER_USER: int(5, 1, 1_000),
  EVENTS_MAX_STREAMS: int(10_000, 1, 1_000_000),
  EVENTS_CREDENTIAL_CHECK_SECONDS: int(30, 1, 3_600),
  GOOGLE_CLIENT_ID: optionalText,
  GOOGLE_CLIENT_SECRET: optionalText,
  GITHUB_CLIENT_ID: optionalText,
  GITHUB_CLIENT_SECRET: optionalText,
  OIDC_ISSUER: httpUrl('https://accounts.example.com'),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_NAME: z.string().default('OpenID Connect'),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: httpUrl('http://localhost:11434/v1'),
  OPENAI_MODEL: optionalText,
  OPENROUTER_API_KEY: optionalText,
  OPENROUTER_MODEL: optionalText,
  EMBEDDINGS_BASE_URL: httpUrl('http://localhost:11434/v1'),
  EMBEDDINGS_API_KEY: optionalText,
  EMBEDDINGS_MODEL: optionalText,
  COHERE_API_KEY: optionalText,
  COHERE_BASE_URL: httpUrl('https://api.cohere.com'),
  COHERE_EMBED_MODEL: z.string().default('embed-english-v3.0'),
  INGEST_TOKEN: optionalText.refine((value) => value === undefined || value.length >= 16, {
    message: 'must be at least 16 characters; generate one with: openssl rand -hex 32',
  }),
  ADMIN_EMAILS: optionalText,
  ASK_RATE_LIMIT_PER_MINUTE: int(10, 1, 1_000_000),
  ASK_REQUIRES_ACCOUNT: bool(false),
  KNOWLEDGE_SEED_DOCS: bool(true),
});

export type Environment = 'production' | 'development' | 'test';

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
}

export interface Config {
  environment: Environment;
  host: string;
  port: number;
  /** Base URL the service is reached at; OAuth callbacks are built on it. */
  publicUrl: string | undefined;
  /**
   * The OAuth issuer MCP clients sign in with, and the origin of the `/mcp` resource: PUBLIC_URL's origin, else
   * `https://$SPACE_HOST` on Hugging Face Spaces, else `http://localhost:$PORT`, which only this machine reaches
   * (`issuerSource` says which, so that the service can say so at start).
   */
  issuer: string;
  issuerSource: 'public_url' | 'space_host' | 'localhost';
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  redisUrl: string | undefined;
  logLevel: string;
  features: ReadonlySet<FeatureName>;
  /** Signs Doable's own access tokens. Generated in development when not given. */
  jwtSecret: string | undefined;
  betterAuthSecret: string | undefined;
  betterAuthUrl: string | undefined;
  accessTokenMinutes: number;
  refreshTokenDays: number;
  allowedOrigins: string[];
  frontendUrl: string | undefined;
  /**
   * Which proxies' X-Forwarded-For entries to believe: none (false), the nearest N hops, or the proxies at these
   * addresses/CIDRs. Never "all": a client would then choose its own address (and rate-limit bucket). Unset:
   * one hop on Hugging Face Spaces (SPACE_ID), none elsewhere.
   */
  trustProxy: false | number | string;
  bodyLimitBytes: number;
  /** The largest export file POST /api/me/import accepts. */
  importBodyLimitBytes: number;
  rateLimit: {
    enabled: boolean;
    perMinute: number;
    authPerMinute: number;
    /** Failed sign-ins (see auth/login-throttle.ts). */
    login: { failuresPerMinute: number; accountFailuresPerHour: number };
    chatPerMinute: number;
    /** POSTs to /mcp per user (each carries one JSON-RPC message). */
    mcpPerMinute: number;
  };
  /** How long the assistant may take over one reply, all steps together. */
  assistantTimeoutMs: number;
  /**
   * Live updates (GET /api/{user_id}/events): the heartbeat, the streams one instance holds, and how often a
   * revocable credential's stream checks it again.
   */
  events: {
    heartbeatSeconds: number;
    streamsPerUser: number;
    maxStreams: number;
    credentialCheckSeconds: number;
  };
  oauth: {
    google: OAuthClientConfig | undefined;
    github: OAuthClientConfig | undefined;
    oidc: (OAuthClientConfig & { issuer: string; name: string }) | undefined;
  };
  /** An OpenAI-compatible chat model, when one is configured: the assistant and generated answers use it. */
  llm: { baseURL: string | undefined; apiKey: string; model: string } | undefined;
  /** An embeddings provider, when one is configured. */
  embeddings: { provider: 'openai' | 'cohere'; baseURL: string; apiKey: string; model: string } | undefined;
  knowledge: {
    ingestToken: string | undefined;
    /** Accounts with these emails (lower case) may ingest and delete documents. */
    adminEmails: string[];
    askPerMinute: number;
    askRequiresAccount: boolean;
    /** Keep the user guide of docs/ in the knowledge base (see syncUserGuide); false: a new database starts empty. */
    seedDocs: boolean;
  };
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `Doable cannot start, its configuration needs fixing:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads and validates the whole configuration at once, so that every problem is reported in one go. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];

  const environment = resolveEnvironment(e.NODE_ENV ?? e.ENVIRONMENT ?? e.APP_ENV);
  const features = new Set<FeatureName>();
  for (const name of splitList(e.FEATURES)) {
    if ((FEATURE_NAMES as readonly string[]).includes(name)) features.add(name as FeatureName);
    else
      problems.push(
        `FEATURES names "${name}", which is not a feature; use a comma list of: ${FEATURE_NAMES.join(', ')}`,
      );
  }
  const jwtSecret = e.JWT_SECRET ?? e.JWT_SECRET_KEY ?? e.SECRET_KEY;
  if (environment === 'production' && !jwtSecret) {
    problems.push(
      'JWT_SECRET is required in production; set it to a random value of 32+ characters (openssl rand -hex 32)',
    );
  }
  const oauthPair = (id: string | undefined, secretValue: string | undefined, prefix: string) => {
    if (!id && !secretValue) return undefined;
    if (!id || !secretValue) {
      problems.push(`${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET go together; set both or neither`);
      return undefined;
    }
    return { clientId: id, clientSecret: secretValue };
  };
  const google = oauthPair(e.GOOGLE_CLIENT_ID, e.GOOGLE_CLIENT_SECRET, 'GOOGLE');
  const github = oauthPair(e.GITHUB_CLIENT_ID, e.GITHUB_CLIENT_SECRET, 'GITHUB');
  const oidcPair = oauthPair(e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET, 'OIDC');
  if (oidcPair && !e.OIDC_ISSUER)
    problems.push('OIDC_ISSUER is required with OIDC_CLIENT_ID; set it to the provider URL');
  if (problems.length > 0) throw new ConfigError(problems);

  const origins = new Set([...splitList(e.ALLOWED_ORIGINS), ...splitList(e.FRONTEND_URL)].map(trimSlash));
  return {
    environment,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL ? trimSlash(e.PUBLIC_URL) : undefined,
    ...issuerOf(e),
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    features,
    jwtSecret,
    betterAuthSecret: e.BETTER_AUTH_SECRET,
    betterAuthUrl: e.BETTER_AUTH_URL ? trimSlash(e.BETTER_AUTH_URL) : undefined,
    accessTokenMinutes: e.ACCESS_TOKEN_EXPIRE_MINUTES,
    refreshTokenDays: e.REFRESH_TOKEN_EXPIRE_DAYS,
    allowedOrigins: [...origins],
    frontendUrl: e.FRONTEND_URL ? trimSlash(e.FRONTEND_URL) : undefined,
    // Unset, trust nobody, except on Hugging Face Spaces, whose one proxy is the only way in. An image that
    // trusted a hop everywhere let `docker run -p` clients choose their address in X-Forwarded-For.
    trustProxy: e.TRUST_PROXY ?? (e.SPACE_ID ? 1 : false),
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    importBodyLimitBytes: e.IMPORT_BODY_LIMIT_BYTES,
    rateLimit: {
      enabled: e.RATE_LIMIT_ENABLED,
      perMinute: e.RATE_LIMIT_REQUESTS_PER_MINUTE,
      authPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
      login: {
        failuresPerMinute: e.LOGIN_FAILURES_PER_MINUTE,
        accountFailuresPerHour: e.LOGIN_FAILURES_PER_ACCOUNT_PER_HOUR,
      },
      chatPerMinute: e.CHAT_RATE_LIMIT_PER_MINUTE,
      mcpPerMinute: e.MCP_RATE_LIMIT_PER_MINUTE,
    },
    assistantTimeoutMs: e.ASSISTANT_TIMEOUT_SECONDS * 1000,
    events: {
      heartbeatSeconds: e.EVENTS_HEARTBEAT_SECONDS,
      streamsPerUser: e.EVENTS_STREAMS_PER_USER,
      maxStreams: e.EVENTS_MAX_STREAMS,
      credentialCheckSeconds: e.EVENTS_CREDENTIAL_CHECK_SECONDS,
    },
    oauth: {
      google,
      github,
      oidc:
        oidcPair && e.OIDC_ISSUER
          ? { ...oidcPair, issuer: trimSlash(e.OIDC_ISSUER), name: e.OIDC_NAME }
          : undefined,
    },
    llm: llmConfig(e),
    embeddings: embeddingsConfig(e),
    knowledge: {
      ingestToken: e.INGEST_TOKEN,
      adminEmails: splitList(e.ADMIN_EMAILS).map((email) => email.toLowerCase()),
      askPerMinute: e.ASK_RATE_LIMIT_PER_MINUTE,
      askRequiresAccount: e.ASK_REQUIRES_ACCOUNT,
      seedDocs: e.KNOWLEDGE_SEED_DOCS,
    },
  };
}

type Env = z.infer<typeof envSchema>;

function issuerOf(e: Env): Pick<Config, 'issuer' | 'issuerSource'> {
  if (e.PUBLIC_URL) return { issuer: new URL(e.PUBLIC_URL).origin, issuerSource: 'public_url' };
  if (e.SPACE_HOST) return { issuer: `https://${e.SPACE_HOST.toLowerCase()}`, issuerSource: 'space_host' };
  return { issuer: `http://localhost:${e.PORT}`, issuerSource: 'localhost' };
}

/**
 * OPENAI_API_KEY (with OPENAI_BASE_URL for any compatible server), else OPENROUTER_API_KEY; a local server such
 * as Ollama needs only OPENAI_BASE_URL.
 */
function llmConfig(e: Env): Config['llm'] {
  if (e.OPENAI_API_KEY || (e.OPENAI_BASE_URL && !e.OPENROUTER_API_KEY)) {
    return {
      baseURL: e.OPENAI_BASE_URL ? trimSlash(e.OPENAI_BASE_URL) : undefined,
      apiKey: e.OPENAI_API_KEY ?? 'not-needed',
      model: e.OPENAI_MODEL ?? 'gpt-4o-mini',
    };
  }
  if (e.OPENROUTER_API_KEY) {
    return {
      baseURL: 'https://openrouter.ai/api/v1',
      apiKey: e.OPENROUTER_API_KEY,
      model: e.OPENROUTER_MODEL ?? e.OPENAI_MODEL ?? 'openai/gpt-4o-mini',
    };
  }
  return undefined;
}

/**
 * EMBEDDINGS_BASE_URL (any /v1/embeddings server), else OpenAI itself with OPENAI_API_KEY when no other base URL
 * is set, else Cohere with COHERE_API_KEY.
 */
function embeddingsConfig(e: Env): Config['embeddings'] {
  if (e.EMBEDDINGS_BASE_URL) {
    return {
      provider: 'openai',
      baseURL: trimSlash(e.EMBEDDINGS_BASE_URL),
      apiKey: e.EMBEDDINGS_API_KEY ?? e.OPENAI_API_KEY ?? 'not-needed',
      model: e.EMBEDDINGS_MODEL ?? 'text-embedding-3-small',
    };
  }
  if (e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) {
    return {
      provider: 'openai',
      baseURL: 'https://api.openai.com/v1',
      apiKey: e.OPENAI_API_KEY,
      model: e.EMBEDDINGS_MODEL ?? 'text-embedding-3-small',
    };
  }
  if (e.COHERE_API_KEY) {
    return {
      provider: 'cohere',
      baseURL: trimSlash(e.COHERE_BASE_URL ?? 'https://api.cohere.com'),
      apiKey: e.COHERE_API_KEY,
      model: e.COHERE_EMBED_MODEL,
    };
  }
  return undefined;
}

/**
 * In development a missing JWT secret is generated once and kept in DATA_DIR, so that tokens survive restarts
 * without anyone having to invent a secret. Production refuses to start without one (see loadConfig).
 */
export async function withGeneratedSecrets(config: Config): Promise<Config & { jwtSecret: string }> {
  if (config.jwtSecret) return { ...config, jwtSecret: config.jwtSecret };
  const file = join(config.dataDir, 'secrets.json');
  let stored: { jwtSecret?: string } = {};
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as { jwtSecret?: string };
  } catch {
    // First start: nothing stored yet.
  }
  if (!stored.jwtSecret) {
    stored.jwtSecret = randomBytes(32).toString('hex');
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return { ...config, jwtSecret: stored.jwtSecret };
}

const TRUST_PROXY_HINT =
  'set it to the number of proxies in front of Doable (1 on Hugging Face Spaces or behind one load balancer), ' +
  'or to their addresses or CIDRs (10.0.0.1,192.168.0.0/16), or false when clients connect directly';

/** Names proxy-addr knows for whole ranges, e.g. `uniquelocal` for a Docker network. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: false, a hop count, or a list of addresses/CIDRs that Fastify's proxy-addr understands. */
function parseTrustProxy(value: string): false | number | string | { error: string } {
  if (['false', '0', 'no', 'off'].includes(value.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(value.toLowerCase())) {
    return {
      error: `must not be ${value}: trusting every proxy lets any client pick its own address in X-Forwarded-For and escape the rate limits; ${TRUST_PROXY_HINT}`,
    };
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= 10 ? hops : { error: `must be at most 10 hops; ${TRUST_PROXY_HINT}` };
  }
  const entries = splitList(value);
  const invalid = entries.filter((entry) => !PROXY_RANGE_NAMES.includes(entry) && !isAddressOrCidr(entry));
  if (invalid.length > 0)
    return { error: `names "${invalid.join(', ')}", which is not an address or CIDR; ${TRUST_PROXY_HINT}` };
  return entries.join(',');
}

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const version = isIP(address ?? '');
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}

function resolveEnvironment(value: string | undefined): Environment {
  const v = value?.toLowerCase();
  if (v === 'production' || v === 'prod') return 'production';
  if (v === 'test') return 'test';
  return 'development';
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function isUrl(value: string): boolean {
  return URL.canParse(value);
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'http:' || protocol === 'https:';
}
