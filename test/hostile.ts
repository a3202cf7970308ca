/**
 * What the hostile-client tests and the authorization matrix share: the app's routes, read from its route table
 * and its own OpenAPI document, fast-check arbitraries for hostile input derived from those schemas, and a
 * counter of every row the database writes, so that a refused request can be shown to have written nothing.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { expect } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { expectPlainWords } from './helpers.ts';

// ---------------------------------------------------------------------------------------------------------------
// Routes

export interface Route {
  method: string;
  /** Fastify's spelling: `/api/:user_id/tasks`. */
  url: string;
}

/**
 * Every route the app serves, from Fastify's own route table (printRoutes), HEAD and OPTIONS left out: HEAD
 * answers as GET does, and OPTIONS is the CORS preflight. Hidden routes (aliases, /mcp) are in it too.
 */
export function routeTable(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const segments: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const [, indent = '', segment = '', methods] = match;
    const depth = indent.length / 4;
    segments.length = depth;
    const parent = segments.join('');
    segments[depth] = segment === '*' && !parent.endsWith('/') ? `/${segment}` : segment;
    const url = segments.join('');
    for (const method of methods?.split(', ') ?? []) {
      if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url });
    }
  }
  return routes;
}

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
};

export interface Operation {
  method: string;
  /** Fastify's spelling, so that the route table and the operations can be matched. */
  url: string;
  pathParams: string[];
  query: Array<{ name: string; schema: JsonSchema; required: boolean }>;
  headers: Array<{ name: string; schema: JsonSchema }>;
  body: JsonSchema | undefined;
  bodyRequired: boolean;
}

type OpenApiDocument = {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};
type OpenApiOperation = {
  description?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema: JsonSchema }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
};

/** The app's OpenAPI document, with every $ref to a component replaced by the component itself. */
export function openApiDocument(app: FastifyInstance): OpenApiDocument {
  const document = structuredClone(app.swagger()) as unknown as OpenApiDocument;
  const components = document.components?.schemas ?? {};
  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve);
    if (!node || typeof node !== 'object') return node;
    const { $ref, ...rest } = node as JsonSchema & Record<string, unknown>;
    const target = $ref ? components[$ref.replace('#/components/schemas/', '')] : undefined;
    const merged = target ? { ...(target as object), ...rest } : rest;
    return Object.fromEntries(Object.entries(merged).map(([key, value]) => [key, resolve(value)]));
  };
  return resolve(document) as OpenApiDocument;
}

const fastifyUrl = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * Every operation of the OpenAPI document, and every alias its description names ("Also served at `/auth/me`"),
 * each with the canonical operation's parameters and body.
 */
export function operations(app: FastifyInstance): Operation[] {
  const document = openApiDocument(app);
  const result: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = operation.parameters ?? [];
      const body = operation.requestBody;
      const canonical = fastifyUrl(path);
      const shared = {
        method: method.toUpperCase(),
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema, required: p.required ?? false })),
        headers: parameters.filter((p) => p.in === 'header').map((p) => ({ name: p.name, schema: p.schema })),
        body: body?.content['application/json']?.schema,
        bodyRequired: body?.required ?? false,
      };
      const aliases = /Also served at (.*)\.$/m.exec(operation.description ?? '')?.[1] ?? '';
      const urls = [canonical, ...[...aliases.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '')];
      for (const url of urls) result.push({ ...shared, url });
    }
  }
  return result;
}

/** Fills a route's `:params` from `values`; a missing one is an error, so that no cell silently tests nothing. */
export function fillPath(url: string, values: Record<string, string>): string {
  return url.replace(/:(\w+)/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${url}`);
    return value;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile input

/** Strings that have broken parsers, queries and renderers somewhere. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\t\r\n',
  "' OR '1'='1",
  "'; drop table tasks; --",
  '"; select pg_sleep(10); --',
  '\\',
  '%',
  '_',
  '$1',
  '{"$gt": ""}',
  '{"$where": "sleep(1000)"}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e999',
  '9'.repeat(40),
  '0x7fffffff',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as it is
  '${7*7}{{7*7}}',
  '&|!():*<->',
  "a:* & !b | 'c'",
  '(((((((((((',
  '\u202eevil\u202c',
  '\u200f\u0627\u0644\u0639\u0631\u0628\u064a\u0629',
  `e${'\u0301'.repeat(500)}`,
  '\ufeffbom',
  '\u2028\u2029',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '\uffff\ufffe',
  '\u0001\u0002\u001b[31m\u007f',
  'Ａｄｍｉｎ',
  'İı',
  'ß'.repeat(100),
  '0000-00-00',
  '2026-02-30',
  '0001-01-01',
  '9999-12-31T23:59:59+14:00',
  '275760-09-13',
  '2026-12-03T25:61:61Z',
  'FREQ=SECONDLY',
  'FREQ=DAILY;INTERVAL=0',
  'FREQ=DAILY;COUNT=999999999',
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
  'RRULE:FREQ=WEEKLY;BYDAY=XX',
  'every 0 days',
  'tomorrow 99pm',
  'in 99999999999 days',
  'p0 p5 #',
  '#'.repeat(300),
  '@'.repeat(300),
  '//'.repeat(300),
  `${'a'.repeat(30_000)}!`,
  `${'- '.repeat(3_000)}x`,
  `${'> '.repeat(3_000)}x`,
  `${'['.repeat(5_000)}`,
  '\u0000',
];

/** Characters that are often mishandled one at a time. */
const nastyCharacter = fc.oneof(
  fc.constantFrom(
    '\u0000',
    '\u0001',
    '\u001f',
    '\u007f',
    '\u0085',
    '\u00a0',
    '\u200b',
    '\u200d',
    '\u202e',
    '\u2028',
    '\ufeff',
    '\ufffd',
    '\uffff',
    "'",
    '"',
    '\\',
    '%',
    '&',
    ':',
    '*',
    '!',
    '|',
    '\u0301',
  ),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: nastyCharacter, maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.nat(200_000).map((n) => 'x'.repeat(n)) },
);

const edgeNumber = fc.constantFrom(
  0,
  -0,
  -1,
  1.5,
  -1.5,
  0.1,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31),
  2 ** 53,
  2 ** 63,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
  5e-324,
);

/** Keys that reach for a prototype or a query operator instead of a field. */
const nastyKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '$gt',
  '',
  ' ',
  'a.b',
  '\u0000',
);

/** Any JSON value at all, with hostile strings, numbers and keys. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    edgeNumber,
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(nastyKey, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/**
 * Values shaped by a JSON schema from the OpenAPI document: mostly what the schema allows (so that requests get
 * past validation into the services and the database), with hostile strings wherever a string goes, and now and
 * then a hostile value of any type in place of a field, or a hostile extra field.
 */
export function fromSchema(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
  const valid = validFromSchema(schema ?? {});
  return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });
}

function validFromSchema(schema: JsonSchema): fc.Arbitrary<unknown> {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((variant) => fromSchema(variant)));
  if (schema.allOf?.[0]) return fromSchema(schema.allOf[0]);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) {
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...schema.enum) },
      { weight: 1, arbitrary: fc.constantFrom(...schema.enum).map((v) => String(v).toUpperCase()) },
    );
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => validFromSchema({ ...schema, type })));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.oneof(
        fc.integer({ min: schema.minimum ?? -(2 ** 31), max: schema.maximum ?? 2 ** 31 }),
        edgeNumber,
      );
    case 'number':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), edgeNumber);
    case 'string':
      return stringFor(schema);
    case 'array':
      return fc.array(fromSchema(schema.items), { maxLength: Math.min(schema.maxItems ?? 6, 6) });
    case 'object':
      return objectFor(schema);
    default:
      return hostileValue;
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const plain = fc.string({
    minLength: schema.minLength ?? 0,
    maxLength: Math.min(schema.maxLength ?? 40, 40),
  });
  const typical: Record<string, fc.Arbitrary<string>> = {
    email: fc.emailAddress(),
    uuid: fc.uuid(),
    'date-time': fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
    uri: fc.webUrl(),
  };
  const formatted = schema.format ? typical[schema.format] : undefined;
  const examples = [schema.example, ...(schema.examples ?? [])].filter((e) => typeof e === 'string');
  return fc.oneof(
    { weight: 3, arbitrary: formatted ?? plain },
    { weight: examples.length > 0 ? 2 : 0, arbitrary: fc.constantFrom('', ...(examples as string[])) },
    { weight: 3, arbitrary: hostileString },
  );
}

function objectFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const model = Object.fromEntries(Object.entries(properties).map(([key, sub]) => [key, fromSchema(sub)]));
  const shaped = fc.record(model, { requiredKeys: schema.required ?? [] });
  return fc.oneof(
    { weight: 6, arbitrary: shaped },
    {
      weight: 1,
      arbitrary: fc
        .tuple(shaped, nastyKey, hostileValue)
        .map(([object, key, value]) => ({ ...(object as object), [key]: value })),
    },
  );
}

/** One value the schema accepts, as a well-behaved client would send: its example, or the least it requires. */
export function exampleOf(schema: JsonSchema): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.[0] !== undefined) return schema.examples[0];
  const variants = (schema.anyOf ?? schema.oneOf ?? []).filter((variant) => variant.type !== 'null');
  if (variants[0]) return exampleOf(variants[0]);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((each) => each !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((key) => [key, exampleOf(schema.properties?.[key] ?? {})]),
      );
    case 'array':
      return (schema.minItems ?? 0) > 0 ? [exampleOf(schema.items ?? {})] : [];
    case 'string':
      if (schema.format === 'email') return 'ada@example.com';
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/** Bodies no JSON serializer would write: duplicate keys, prototype keys, huge numbers, deep nesting, bad bytes. */
export const rawHostileBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.constantFrom(
    '{"title":"a","title":"b"}',
    '{"message":"a","message":{"__proto__":{"admin":true}}}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"title":1e400}',
    '{"limit":-1e400,"conversation_id":1e400}',
    `{"conversation_id":${'9'.repeat(400)}}`,
    `{"max_results":-${'9'.repeat(30)}}`,
    '{"title":"\\ud800"}',
    '{"title":"\\u0000"}',
    '{"title":"a"',
    '{"title":"a"}}',
    '{"title":"a"} trailing',
    "{'title':'a'}",
    '\ufeff{"title":"a"}',
    '[]',
    '[[],{}]',
    '""',
    '0',
    'null',
    'true',
    ' ',
    '',
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add_task","arguments":{"title":"a","title":"b"}}}',
    '[{"jsonrpc":"2.0","id":1,"method":"tools/list"},{"jsonrpc":"2.0","id":1,"method":"tools/list"}]',
  ),
  fc.integer({ min: 1, max: 200_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc
    .integer({ min: 1, max: 50_000 })
    .map((depth) => `{"title":"a","tags":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc
    .integer({ min: 1, max: 3_000_000 })
    .map((n) => `{"title":"${'x'.repeat(n)}","description":"${'y'.repeat(Math.min(n, 10_000))}"}`),
  fc
    .uint8Array({ maxLength: 64 })
    .map((bytes) => Buffer.concat([Buffer.from('{"title":"'), bytes, Buffer.from('"}')])),
  fc.constantFrom(
    Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
  ),
);

/** A path segment: readable, or percent-encoded bytes that are not UTF-8 at all (overlong, surrogates, NUL). */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0',
    '-1',
    '1.5',
    '1e3',
    '0x10',
    '2147483648',
    '9223372036854775808',
    '9'.repeat(101),
    '%C0%AF',
    '%ED%A0%80',
    '%FF',
    '%',
    '%zz',
    '..',
    '%2e%2e',
    '%2F',
    '%00',
    '%20',
    'me%00',
    'x'.repeat(5_000),
    '__proto__',
    'constructor',
  ),
  hostileString.map(encodeSegment),
);

/** encodeURIComponent, except that a lone surrogate becomes its (invalid) three UTF-8 bytes instead of throwing. */
export function encodeSegment(text: string): string {
  return [...text]
    .map((char) => {
      const unit = char.charCodeAt(0);
      if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
        return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
          .map((byte) => `%${byte.toString(16).toUpperCase()}`)
          .join('');
      }
      return encodeURIComponent(char);
    })
    .join('');
}

/** A generated value as text: strings as they are, anything else as its JSON. */
export const asText = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? '');

/** A header value Node can send (tab, visible ASCII, Latin-1); what it cannot send, no client can. */
export const headerValue: fc.Arbitrary<string> = hostileString.map((text) =>
  text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '').slice(0, 8_000),
);

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      undefined,
      '',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'APPLICATION/JSON',
      'application/json;;;',
      'text/plain',
      'text/html',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/problem+json',
      'application/vnd.api+json',
      '*/*',
      'json',
    ),
  },
  { weight: 1, arbitrary: headerValue },
);

// ---------------------------------------------------------------------------------------------------------------
// What every answer must be

export interface Answer {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

/** How long a stream that would never end (the live updates) is read before its client hangs up. */
const STREAM_READ_MS = 50;

/**
 * app.inject, for requests built from the route table: a server-sent event stream that was let through (the live
 * updates never end by themselves, which inject would wait for) is read for a moment and then hung up on, as a
 * client closing its tab; any other answer is read whole.
 */
export async function injectAnswer(
  app: FastifyInstance,
  request: InjectOptions,
  // biome-ignore lint/suspicious/noExplicitAny: a test reads the fields it just asked for
): Promise<Answer & { json(): any }> {
  const response = await app.inject({ ...request, payloadAsStream: true });
  const chunks: Buffer[] = [];
  const stream = response.stream();
  const streaming = /^text\/event-stream/.test(String(response.headers['content-type'] ?? ''));
  await new Promise<void>((resolve) => {
    const timer = streaming ? setTimeout(finish, STREAM_READ_MS) : undefined;
    function finish() {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      resolve();
    }
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', finish);
    stream.once('error', finish);
  });
  // Hanging up: the server sees its response closed, as when a browser closes the connection.
  if (streaming) (response.raw.res as { destroy(): void }).destroy();
  const body = Buffer.concat(chunks).toString('utf8');
  return { statusCode: response.statusCode, headers: response.headers, body, json: () => JSON.parse(body) };
}

/** Never a 5xx; a 4xx is a problem document carrying the request's id (MCP's own JSON-RPC errors aside). */
export function expectSoundAnswer(request: InjectOptions, response: Answer) {
  const context = `${request.method} ${String(request.url).slice(0, 300)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
  expect(response.statusCode, context).toBeLessThan(500);
  const type = String(response.headers['content-type'] ?? '');
  const bodyless = request.method === 'HEAD';
  if (String(request.url).startsWith('/mcp') && /^application\/json/.test(type) && !bodyless) {
    // A tool's refusal speaks of tools: their arguments, never a REST route, HTTP or the SDK's words.
    const refusal = (
      JSON.parse(response.body) as { result?: { isError?: boolean; content?: [{ text: string }] } }
    ).result;
    if (refusal?.isError) {
      const text = refusal.content?.[0].text ?? '';
      expect(text, context).not.toMatch(/\/api\/|\bHTTP\b/);
      expectPlainWords(text);
    }
  }
  if (response.statusCode < 400) return;
  if (/^\/oauth\/(token|revoke|register)\b/.test(String(request.url)) && /^application\/json/.test(type)) {
    if (bodyless) return;
    // OAuth's own endpoints answer as OAuth says (RFC 6749 §5.2, RFC 7591 §3.2.2): `{error, error_description}`,
    // which OAuth clients parse; a browser they cannot answer that way gets a problem document.
    expect(JSON.parse(response.body), context).toMatchObject({ error: expect.stringMatching(/^[a-z_]+$/) });
    return;
  }
  if (String(request.url).startsWith('/mcp') && /^application\/json/.test(type)) {
    if (bodyless) return;
    // The MCP transport answers protocol errors (bad JSON-RPC, a missing Accept) as JSON-RPC error objects,
    // which is what MCP clients read; our own refusals before it (401) are problem documents.
    expect(JSON.parse(response.body), context).toMatchObject({ jsonrpc: '2.0', error: expect.any(Object) });
    return;
  }
  expect(type, context).toMatch(/^application\/problem\+json/);
  if (bodyless) return;
  const problem = JSON.parse(response.body);
  expect(problem, context).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status: response.statusCode,
    detail: expect.any(String),
    instance: expect.any(String),
    code: expect.any(String),
    request_id: response.headers['x-request-id'],
  });
  expectPlainWords(problem);
}

// ---------------------------------------------------------------------------------------------------------------
// Setting up

/** Calls the API as a user where the call must succeed (setting a test up), and returns the body if there is one. */
export async function succeed(
  app: FastifyInstance,
  user: { headers: Record<string, string> },
  method: InjectOptions['method'],
  url: string,
  payload?: object,
  // biome-ignore lint/suspicious/noExplicitAny: a test reads the fields it just asked for
): Promise<any> {
  const response = await app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
  if (response.statusCode >= 300)
    throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.body ? response.json() : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Writes

/**
 * Counts every row the database inserts, updates or deletes from now on, in any table, by a trigger on each
 * (test instrumentation of the test's own copy of the database; the count lives in a table of its own, so a
 * write that is rolled back is not counted).
 */
export async function countWrites(database: Database): Promise<() => Promise<number>> {
  const { db } = database;
  const tables = (await db.execute(
    sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
  )) as unknown as { rows: Array<{ tablename: string }> };
  await db.execute(sql`create table hostile_writes (n bigint not null)`);
  await db.execute(sql`insert into hostile_writes values (0)`);
  await db.execute(
    sql.raw(`create function hostile_count_write() returns trigger language plpgsql as $$
      begin update hostile_writes set n = n + 1; return null; end $$`),
  );
  for (const { tablename } of tables.rows) {
    await db.execute(
      sql.raw(`create trigger hostile_count_write after insert or update or delete on "${tablename}"
        for each row execute function hostile_count_write()`),
    );
  }
  return async () => {
    const result = (await db.execute(sql`select n from hostile_writes`)) as unknown as {
      rows: Array<{ n: string | number }>;
    };
    return Number(result.rows[0]?.n);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Tally

/** Requests sent and what came back, printed by the test files at the end. */
export class Tally {
  readonly counts = new Map<string, number>();
  requests = 0;

  add(status: number) {
    this.requests += 1;
    const key = `${Math.floor(status / 100)}xx`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get serverErrors(): number {
    return this.counts.get('5xx') ?? 0;
  }

  toString(): string {
    return [...this.counts.entries()]
      .sort()
      .map(([key, count]) => `${key} ${count}`)
      .join(', ');
  }
}
