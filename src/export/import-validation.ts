import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import { fieldErrors, type IssueLike, invalidRequest } from '../http/validation.ts';
import { writtenRule } from '../tasks/index.ts';
import {
  type ImportDocument,
  importBody,
  importedCompletion,
  importedConversation,
  importedMessage,
  importedTask,
} from './export.schemas.ts';

/** The longest stretch validation runs before it lets the event loop serve others. */
export const SLICE_MS = 10;

/**
 * Different recurrence rules one import may hold. Each new rule is checked by walking its calendar (up to 5 ms for
 * the rarest), so a file of 9,000 different rare rules cost 16 s of work, sliced but slowing everyone; an account's
 * export holds a few dozen at most.
 */
export const MAX_RULES_PER_IMPORT = 200;

/** Refuses, before any rule is walked, a file whose tasks hold more different rules than MAX_RULES_PER_IMPORT. */
function checkRuleCount(tasks: unknown) {
  if (!Array.isArray(tasks)) return;
  const rules = new Set<string>();
  for (const task of tasks) {
    const recurrence = (task as { recurrence?: unknown } | null)?.recurrence;
    if (typeof recurrence === 'string') rules.add(writtenRule(recurrence));
  }
  if (rules.size > MAX_RULES_PER_IMPORT) {
    throw invalidRequest([
      {
        field: 'body.tasks',
        message: `hold ${rules.size} different recurrence rules; an import takes at most ${MAX_RULES_PER_IMPORT}, so split the file`,
      },
    ]);
  }
}

type Issue = z.core.$ZodIssue;

/**
 * An object schema whose list field `key` is only checked for being a list of at most `max` items: its items are
 * then validated one by one, so that a long list is not one stretch of work.
 */
const shallow = (schema: z.ZodObject, key: string, max: number) =>
  schema.extend({ [key]: z.array(z.unknown()).max(max) });

const envelope = shallow(shallow(importBody, 'tasks', 100_000), 'conversations', 10_000);
const taskWithoutCompletions = shallow(importedTask, 'completions', 10_000);
const conversationWithoutMessages = shallow(importedConversation, 'messages', 10_000);

/** Counts the time spent and gives the event loop a turn once a slice is used up. */
function slicer(onYield: () => void) {
  let started = performance.now();
  return async () => {
    if (performance.now() - started < SLICE_MS) return;
    onYield();
    await nextTurn();
    started = performance.now();
  };
}

interface Parsed {
  issues: Issue[];
  data: unknown;
}

const prefixed = (issues: Issue[], prefix: PropertyKey[]): Issue[] =>
  issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] }) as Issue);

/**
 * Issues in the order zod reports them for the whole schema: an object's fields in its shape's order, each list's
 * items in order, and last the object's own issues (unknown fields). `lists` holds the issues of the items of the
 * fields validated separately; a field whose shallow check failed (not a list, too long) has no item issues, as
 * zod reports only the failed check then.
 */
function inSchemaOrder(schema: z.ZodObject, own: Issue[], lists: Record<string, Issue[]>): Issue[] {
  const ordered: Issue[] = [];
  for (const key of Object.keys(schema.shape)) {
    const fieldIssues = own.filter((issue) => issue.path[0] === key);
    ordered.push(...fieldIssues);
    if (fieldIssues.length === 0) ordered.push(...(lists[key] ?? []));
  }
  ordered.push(...own.filter((issue) => issue.path.length === 0));
  return ordered;
}

/**
 * Validates an object whose list field `key` may be long: the object with the list left shallow, then each item,
 * giving way after every slice of work. The result is what `full` would give: the same data, the same issues.
 */
async function objectWithList(
  value: unknown,
  outer: z.ZodObject,
  key: string,
  item: z.ZodType,
  breathe: () => Promise<void>,
): Promise<Parsed> {
  const head = outer.safeParse(value);
  const own = head.success ? [] : head.error.issues;
  const items = (value as Record<string, unknown> | null)?.[key];
  if (own.some((issue) => issue.path[0] === key) || !Array.isArray(items)) {
    return { issues: inSchemaOrder(outer, own, {}), data: head.data };
  }
  const itemIssues: Issue[] = [];
  const data: unknown[] = [];
  for (const [index, element] of items.entries()) {
    const parsed = single(item, element);
    itemIssues.push(...prefixed(parsed.issues, [key, index]));
    data.push(parsed.data);
    await breathe();
  }
  return {
    issues: inSchemaOrder(outer, own, { [key]: itemIssues }),
    data: head.success ? { ...head.data, [key]: data } : undefined,
  };
}

function single(schema: z.ZodType, value: unknown): Parsed {
  const result = schema.safeParse(value);
  return { issues: result.success ? [] : result.error.issues, data: result.data };
}

/**
 * The import body validated as `importBody` would, to the same document or the same 400, in slices of at most
 * about SLICE_MS with a turn of the event loop between them: validating 13,000 tasks in one go held the loop for
 * seconds (each recurrence rule is checked by walking it). `onYield` is told of each turn given (for tests).
 */
export async function validateImport(body: unknown, onYield: () => void = () => {}): Promise<ImportDocument> {
  const breathe = slicer(onYield);
  const task = (value: unknown) =>
    objectWithList(value, taskWithoutCompletions, 'completions', importedCompletion, breathe);
  const conversation = (value: unknown) =>
    objectWithList(value, conversationWithoutMessages, 'messages', importedMessage, breathe);
  checkRuleCount((body as Record<string, unknown> | null)?.tasks);
  const head = envelope.safeParse(body);
  const own = head.success ? [] : head.error.issues;
  const lists: Record<string, Issue[]> = {};
  const data: Record<string, unknown[]> = {};
  for (const [key, parse] of [
    ['tasks', task],
    ['conversations', conversation],
  ] as const) {
    const items = (body as Record<string, unknown> | null)?.[key];
    if (own.some((issue) => issue.path[0] === key) || !Array.isArray(items)) continue;
    lists[key] = [];
    data[key] = [];
    for (const [index, element] of items.entries()) {
      const parsed = await parse(element);
      lists[key].push(...prefixed(parsed.issues, [key, index]));
      data[key].push(parsed.data);
      await breathe();
    }
  }
  const issues = inSchemaOrder(envelope, own, lists);
  if (issues.length > 0) throw invalidRequest(fieldErrors(issues as IssueLike[], 'body', importBody));
  return { ...head.data, ...data } as unknown as ImportDocument;
}
