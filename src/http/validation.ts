import { z } from 'zod';
import { type FieldError, HttpProblem } from './problem.ts';

/** Where a value came from, as clients name it in `errors[].field` (`body.title`, `query.limit`). */
export type Source = 'body' | 'query' | 'path' | 'header';

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
 * Zod's wording ("Invalid input: expected string, received undefined") made into words people act on, for every
 * schema in the process: a missing value "is required", a wrong type says what to send instead.
 */
z.config({
  customError: (issue) => {
    if (issue.code !== 'invalid_type') return undefined;
    if (issue.input === undefined) return 'is required';
    const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
    return `must be ${expected}, not ${describeValue(issue.input)}`;
  },
});

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  return typeof value;
}

/** One entry per field; an unknown field is named, with the field the client probably meant. */
export function fieldErrors(issues: IssueLike[], source: Source, schema?: unknown): FieldError[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      const known = objectKeysAt(schema, issue.path);
      return issue.keys.map((key) => {
        const guess = closest(key, known);
        return {
          field: fieldName(source, [...issue.path, key]),
          message: `is not a field of this request${guess ? ` (did you mean \`${guess}\`?)` : ''}`,
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
    return [{ field: fieldName(source, issue.path), message: issue.message }];
  });
}

/** The 400 for invalid input: `detail` reads as a sentence, `errors` lists each field. */
export function invalidRequest(errors: FieldError[]): HttpProblem {
  const words = errors.map(({ field, message }) => `${spoken(field)} ${message}`).join('; ');
  return new HttpProblem(400, 'request.invalid', `The request is invalid: ${words}.`, { errors });
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

/** `body.title` as a person says it: `title`; `query.limit`: query parameter `limit`. */
function spoken(field: string): string {
  const [source, ...rest] = field.split('.');
  const name = `\`${rest.join('.')}\``;
  if (rest.length === 0) return `the ${source}`;
  if (source === 'query') return `query parameter ${name}`;
  if (source === 'path') return `${name} in the path`;
  if (source === 'header') return `header ${name}`;
  return name;
}

function fieldName(source: Source, path: PropertyKey[]): string {
  return [source, ...path.map(String)].join('.');
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
function closest(typed: string, known: string[]): string | undefined {
  const lower = typed.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const prefix = lower.length >= 3 && (name.startsWith(lower) || lower.startsWith(name));
    const distance = prefix ? 1 : editDistance(lower, name.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
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
