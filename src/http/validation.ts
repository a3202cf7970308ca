import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type FieldError, HttpProblem } from './problem.ts';

/**
 * Where a value came from, as clients name it in `errors[].field` (`body.title`, `query.limit`); `arguments` are
 * an assistant tool's, named as its input schema names them (`tags[0]`).
 */
export type Source = 'body' | 'query' | 'path' | 'header' | 'arguments';

/** What an unknown name is said to be, from where it was sent. */
const UNKNOWN: Record<Source, string> = {
  body: 'is not a field of this request',
  query: 'is not known here',
  path: 'is not known here',
  header: 'is not known here',
  arguments: 'is not an argument of this tool',
};

/** The parts of a zod issue the words are made from (zod's own issues, or Fastify's copies of them). */
export interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'a list',
  null: 'null',
};

/**
 * Zod's wording ("Invalid option: expected one of \"low\"|\"high\"", "Too small: expected string to have >=1
 * characters") made into words people act on, for every schema in the process (routes, services, the assistant's
 * tools, MCP): a missing value "is required", a wrong type says what to send instead, a choice lists its options.
 * A schema's own message, where it gives one, still wins.
 */
z.config({ customError: (issue) => wordsFor(issue as unknown as ZodIssueParts) });

/** The fields of zod's raw issues that the words are made from. */
interface ZodIssueParts {
  code: string;
  input?: unknown;
  expected?: string;
  values?: unknown[];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  format?: string;
  divisor?: number;
}

function wordsFor(issue: ZodIssueParts): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${TYPE_NAMES[issue.expected ?? ''] ?? issue.expected}, not ${describeValue(issue.input)}`;
    case 'invalid_value': {
      const values = (issue.values ?? []).map(String);
      return values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.join(', ')}`;
    }
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) === 1
        ? 'must not be empty'
        : `must ${bound('at least', 'more than', issue.minimum, issue)}`;
    case 'too_big':
      return `must ${bound('at most', 'less than', issue.maximum, issue)}`;
    case 'invalid_format':
      return FORMAT_NAMES[issue.format ?? ''] ?? 'is not in the expected format';
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return 'has fields that are not known here';
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has a value that is not allowed';
    default:
      // invalid_union and custom checks without a message of their own.
      return 'is not valid here';
  }
}

/** `must have at most 20 items`, `must be at least 1`, `must be at most 200 characters`. */
function bound(
  inclusive: string,
  exclusive: string,
  limit: number | bigint | undefined,
  issue: ZodIssueParts,
): string {
  const words = `${issue.inclusive === false ? exclusive : inclusive} ${limit}`;
  if (issue.origin === 'string') return `be ${words} characters long`;
  if (issue.origin === 'array' || issue.origin === 'set') return `have ${words} items`;
  return `be ${words}`;
}

const FORMAT_NAMES: Record<string, string> = {
  email: 'must be an e-mail address',
  url: 'must be a URL',
  uuid: 'must be a UUID',
  datetime: 'must be a date-time with offset, such as 2026-12-03T17:00:00+01:00',
  date: 'must be a date such as 2026-12-03',
};

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  return typeof value;
}

/**
 * The most field errors one answer lists; past them, one more entry says how many are left. A body of 100,000
 * unknown keys is answered in a few lines, not 12 MB of guesses (which had held the event loop for seconds).
 */
const MAX_FIELD_ERRORS = 10;

/** One entry per field; an unknown field is named, with the field the client probably meant. */
export function fieldErrors(issues: IssueLike[], source: Source, schema?: unknown): FieldError[] {
  const total = issues.reduce(
    (n, issue) => n + (issue.code === 'unrecognized_keys' ? (issue.keys?.length ?? 1) : 1),
    0,
  );
  const listed = eachFieldError(issues, source, schema).slice(0, MAX_FIELD_ERRORS);
  if (total <= listed.length) return listed;
  return [...listed, { field: source, message: `has ${total - listed.length} more problems like these` }];
}

function eachFieldError(issues: IssueLike[], source: Source, schema?: unknown): FieldError[] {
  return issues.slice(0, MAX_FIELD_ERRORS).flatMap((issue) => {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      const known = objectKeysAt(schema, issue.path);
      return issue.keys.slice(0, MAX_FIELD_ERRORS).map((key) => {
        const guess = closest(key, known);
        return {
          // (A name of 90,000 characters is said by its first hundred: the answer is not the size of the body.)
          field: fieldName(source, [...issue.path, key.length > 100 ? `${key.slice(0, 100)}…` : key]),
          message: `${UNKNOWN[source]}${guess ? ` (did you mean \`${guess}\`?)` : ''}`,
        };
      });
    }
    if (source === 'body' && issue.path.length === 0 && issue.code === 'invalid_type') {
      return [
        {
          field: 'body',
          message: 'must be a JSON object; send one with Content-Type: application/json',
        },
      ];
    }
    if (source === 'arguments' && issue.path.length === 0 && issue.code === 'invalid_type') {
      return [{ field: 'arguments', message: 'must be a JSON object' }];
    }
    return [{ field: fieldName(source, issue.path), message: issue.message }];
  });
}

/** The JSON API: `/api`, and the seeds' spellings of its URLs (`/auth/login`, `/chat`, `/ingest`). */
const JSON_API = /^\/(api|auth|chat|ingest)(\/|$)/;
const NO_PARAMETERS = z.strictObject({});

/**
 * Query strings on the JSON API are strict, as bodies are: a parameter a route does not declare is a 400 that
 * names it and guesses the one meant (`staus` → `status`), where it used to be ignored and `?staus=completed`
 * listed every task. A route without a querystring schema takes none. A route that must take parameters it
 * cannot know declares a z.looseObject (the OAuth callback, where providers add their own); the page, the
 * documentation, health probes and MCP are outside the JSON API and keep what a browser or a proxy adds.
 */
export function strictQueries(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    if (!JSON_API.test(route.url)) return;
    const query = route.schema?.querystring;
    if (query === undefined) route.schema = { ...route.schema, querystring: NO_PARAMETERS };
    else if (query instanceof z.ZodObject && query._zod.def.catchall === undefined)
      route.schema = { ...route.schema, querystring: query.strict() };
  });
}

/** The 400 for invalid input: `detail` reads as a sentence, `errors` lists each field. */
export function invalidRequest(errors: FieldError[]): HttpProblem {
  return new HttpProblem(400, 'request.invalid', `The request is invalid: ${inWords(errors)}.`, { errors });
}

/** The field errors as one sentence: "`title` is required; query parameter `limit` must be at most 200". */
export function inWords(errors: FieldError[]): string {
  return errors.map(({ field, message }) => `${spoken(field)} ${message}`).join('; ');
}

/** Validates input that did not come through a route schema (e.g. a service called by another feature). */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  input: unknown,
  source: Source = 'body',
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalidRequest(fieldErrors(result.error.issues as IssueLike[], source, schema));
}

/** `body.title` as a person says it: `title`; `query.limit`: query parameter `limit`; `body[0].content` too. */
function spoken(field: string): string {
  const [, source = '', path = ''] = /^([a-z]+)\.?(.*)$/s.exec(field) ?? [];
  const name = `\`${path}\``;
  if (path === '') return `the ${source}`;
  if (source === 'query') return `query parameter ${name}`;
  if (source === 'path') return `${name} in the path`;
  if (source === 'header') return `header ${name}`;
  return name;
}

/**
 * A field as the client names it, never zod's internal path: `body.tags[0]`, `body.profile.name`. A query
 * parameter is named alone (`query.priority`), since `priority=high,soon` was written as one parameter.
 */
function fieldName(source: Source, path: PropertyKey[]): string {
  const steps = path.map(String);
  if (source === 'query') return `query.${steps[0] ?? ''}`.replace(/\.$/, '');
  return steps.reduce<string>(
    (name, step) => (/^\d+$/.test(step) ? `${name}[${step}]` : `${name}.${step}`),
    source,
  );
}

/** The keys of the object schema found at `path` in `schema`, looking through optional, nullable and pipes. */
function objectKeysAt(schema: unknown, path: PropertyKey[]): string[] {
  let node = unwrap(schema);
  for (const step of path) {
    if (node instanceof z.ZodObject) node = unwrap(node.shape[String(step)]);
    else if (node instanceof z.ZodArray) node = unwrap(node.element);
    else return [];
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

function unwrap(schema: unknown): unknown {
  let node = schema;
  for (let depth = 0; depth < 10 && node instanceof z.ZodType; depth++) {
    const def = node._zod.def as { innerType?: unknown; in?: unknown; type: string };
    if (def.innerType) node = def.innerType;
    else if (def.type === 'pipe') node = def.in;
    else break;
  }
  return node;
}

/** The known name closest to what was typed: a prefix either way, or at most two typing mistakes away. */
export function closest(typed: string, known: string[]): string | undefined {
  const lower = typed.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const prefix = lower.length >= 3 && (name.startsWith(lower) || lower.startsWith(name));
    const distance = prefix ? 1 : editDistance(lower, name.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein's distance: how many letters to insert, delete or change to turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
