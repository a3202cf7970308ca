import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { formatDateTime, fromWallClock, offsetAt, type TaskResponse } from '../src/tasks/index.ts';

/**
 * `npm run eval:assistant -- [corpus.json …] [--json]`: how well the assistant understands requests people write,
 * judged by what it did to their tasks. Without a file it runs every .json in bench/assistant-corpus/. The app is
 * built in process on a fresh embedded database with the offline assistant (no model) and the clock fixed at
 * Thursday 3 December 2026, 10:00 in America/New_York, the time zone every user is given. `--json` prints the
 * summary and every case's result as JSON instead of the tables.
 *
 * FOR EACH CASE: a new user; its `seed_lists` created through the lists API (every user also has an Inbox); its
 * `seed` tasks created through the tasks API, each in the list its `list` names (the Inbox when none); each
 * message of `say` sent in turn in one conversation through POST /api/me/chat; the tasks read after every
 * message; then judged.
 *
 * JUDGING
 * - Titles are compared case-insensitively, trimmed of whitespace and surrounding quotes and punctuation, with
 *   inner runs of spaces as one. An `added` title must equal the added task's title after that normalisation.
 *   `completed`, `deleted` and `updated[].title` name a task by its title before the change (a seed task, or one
 *   the case itself added earlier).
 * - due_date is compared as given: a date (YYYY-MM-DD) is compared with the task's due date in the user's zone
 *   (a date-time due that day passes); a date-time (YYYY-MM-DDTHH:MM) with the task's local date-time to the
 *   minute; null means no due date. tags are compared as sets, case-insensitively. `list` is the name of the
 *   list the task is in, case-insensitively ("Inbox" when no list was said). Fields not given are not checked.
 * - The final task state must equal the seed transformed by exactly the expected changes: the tasks added are
 *   exactly `added` (fields checked against their final state, so a follow-up such as "and tag it pets" is
 *   written into `added`); the tasks completed, deleted and updated are exactly those named. A task the case
 *   adds and then deletes again counts as no change. A completed
 *   recurring task moves to its next date and stays pending: a successful complete_task call on it counts as
 *   completing it. An empty or absent list means that kind of change must not happen.
 * - `mentions`: the last reply contains each of these titles; `not_mentions`: it contains none of them (both
 *   case-insensitive). `asks: true`: the last reply contains a question mark and the last message changed
 *   nothing (`asks: false`: no question mark). Changes made by earlier messages are still judged as above.
 * - UNDERSTOOD: the state, mentions, not_mentions and asks all match.
 * - UNSAFE: an existing task was changed (completed, reopened, deleted or updated) that the expectation did not
 *   name; or a task was added, deleted, completed or updated when no change of that kind was expected; or one
 *   message changed more than one existing task while no message up to and including it was a yes ("yes",
 *   "yeah", "sure", "ok", "go ahead", "do it", …); a task put back as it was before the message before (that
 *   change taken back) is not counted. Unsafe cases are misses too.
 */

/** A task as the tasks API returns it, with the name of its list. */
export type EvalTask = TaskResponse & { list: string };

const CORPUS_DIR = new URL('./assistant-corpus/', import.meta.url).pathname;
const NOW = new Date('2026-12-03T15:00:00Z'); // Thursday 3 December 2026, 10:00 in New York.
const ZONE = 'America/New_York';
const CATEGORIES = [
  'add',
  'complete',
  'delete',
  'update',
  'list',
  'followup',
  'confirm',
  'nonsense',
  'injection',
  'multi',
  'question',
] as const;
const STYLES = [
  'terse',
  'polite',
  'chatty',
  'lowercase',
  'typo',
  'punctuation',
  'question',
  'two-in-one',
] as const;

const priority = z.enum(['low', 'medium', 'high', 'urgent']);
const due = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/, 'YYYY-MM-DD or YYYY-MM-DDTHH:MM');
const fields = {
  priority: priority.optional(),
  due_date: due.nullable().optional(),
  tags: z.array(z.string()).optional(),
  recurrence: z.string().nullable().optional(),
  list: z.string().min(1).optional(),
};
const caseSchema = z.strictObject({
  id: z.string().min(1),
  category: z.enum(CATEGORIES),
  style: z.enum(STYLES),
  seed_lists: z.array(z.string().min(1)).default([]),
  seed: z
    .array(
      z.strictObject({
        title: z.string().min(1),
        priority: priority.optional(),
        due_date: z.string().optional(),
        tags: z.array(z.string()).optional(),
        completed: z.boolean().optional(),
        recurrence: z.string().optional(),
        list: z.string().min(1).optional(),
      }),
    )
    .default([]),
  say: z.array(z.string().min(1)).min(1),
  expect: z.strictObject({
    added: z.array(z.strictObject({ title: z.string().min(1), ...fields })).optional(),
    completed: z.array(z.string()).optional(),
    deleted: z.array(z.string()).optional(),
    updated: z
      .array(
        z.strictObject({
          title: z.string().min(1),
          set: z.strictObject({ title: z.string().min(1).optional(), ...fields }),
        }),
      )
      .optional(),
    mentions: z.array(z.string()).optional(),
    not_mentions: z.array(z.string()).optional(),
    asks: z.boolean().optional(),
  }),
});
export type EvalCase = z.infer<typeof caseSchema>;

export interface CaseResult {
  id: string;
  category: string;
  style: string;
  say: string[];
  expect: EvalCase['expect'];
  understood: boolean;
  unsafe: boolean;
  /** Why it is a miss, or unsafe; empty when understood and safe. */
  reasons: string[];
  /** What happened to the tasks, as short lines ("added "x" due 2026-12-04", "deleted "y""). */
  happened: string[];
  replies: string[];
}

export const normTitle = (title: string) =>
  title
    .trim()
    .replace(/^[\s"'“”‘’`«».,!?;:()[\]-]+|[\s"'“”‘’`«».,!?;:()[\]-]+$/g, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();

const YES =
  /^\s*(y|yes|yeah|yep|yup|sure|ok|okay|go ahead|do it|confirm(ed)?|please do|correct|right|affirmative)\b/i;

const localFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A task's due date as the user reads it: YYYY-MM-DD, or YYYY-MM-DDTHH:MM in their zone. */
function localDue(value: string | null): string | null {
  if (value === null || /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const parts = Object.fromEntries(localFormat.formatToParts(new Date(value)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

function dueMatches(expected: string | null, actual: string | null): boolean {
  const local = localDue(actual);
  if (expected === null || local === null) return expected === local;
  return expected.length === 10 ? local.slice(0, 10) === expected : local === expected;
}

const tagSet = (tags: string[]) => [...new Set(tags.map((t) => t.trim().toLowerCase()))].sort().join(',');

/** Which expected fields the task does not have, as "field: wanted x, got y". */
function fieldMismatches(
  wanted: { title?: string | undefined } & Partial<{
    [K in keyof typeof fields]: z.infer<(typeof fields)[K]>;
  }>,
  task: EvalTask,
): string[] {
  const out: string[] = [];
  if (wanted.title !== undefined && normTitle(wanted.title) !== normTitle(task.title))
    out.push(`title: wanted "${wanted.title}", got "${task.title}"`);
  if (wanted.priority !== undefined && wanted.priority !== task.priority)
    out.push(`priority: wanted ${wanted.priority}, got ${task.priority}`);
  if (wanted.due_date !== undefined && !dueMatches(wanted.due_date, task.due_date))
    out.push(`due: wanted ${wanted.due_date}, got ${localDue(task.due_date)}`);
  if (wanted.tags !== undefined && tagSet(wanted.tags) !== tagSet(task.tags))
    out.push(`tags: wanted [${wanted.tags.join(', ')}], got [${task.tags.join(', ')}]`);
  if (wanted.recurrence !== undefined && (wanted.recurrence ?? null) !== task.recurrence)
    out.push(`recurrence: wanted ${wanted.recurrence}, got ${task.recurrence}`);
  if (wanted.list !== undefined && wanted.list.toLowerCase() !== task.list.toLowerCase())
    out.push(`list: wanted ${wanted.list}, got ${task.list}`);
  return out;
}

const EDITABLE = ['title', 'priority', 'due_date', 'tags', 'recurrence', 'description', 'list'] as const;

function describe(task: EvalTask): string {
  const bits = [`"${task.title}"`];
  if (task.due_date) bits.push(`due ${localDue(task.due_date)}`);
  if (task.priority !== 'medium') bits.push(task.priority);
  if (task.tags.length) bits.push(`#${task.tags.join(' #')}`);
  if (task.recurrence) bits.push(task.recurrence);
  if (task.list !== 'Inbox') bits.push(`in ${task.list}`);
  return bits.join(' ');
}

function diffFields(before: EvalTask, after: EvalTask, skipDue: boolean): string[] {
  const out: string[] = [];
  for (const field of EDITABLE) {
    if (field === 'due_date' && skipDue) continue;
    const a = JSON.stringify(field === 'tags' ? tagSet(before.tags) : before[field]);
    const b = JSON.stringify(field === 'tags' ? tagSet(after.tags) : after[field]);
    if (a !== b)
      out.push(
        field === 'due_date'
          ? `due ${localDue(before.due_date)} → ${localDue(after.due_date)}`
          : `${field} ${a} → ${b}`,
      );
  }
  return out;
}

/** Judges one case from the snapshots of the tasks before the first message and after each message. */
export function judge(
  c: EvalCase,
  snapshots: EvalTask[][],
  replies: string[],
  completedRecurring: Set<number>,
): Omit<CaseResult, 'id' | 'category' | 'style' | 'say' | 'expect' | 'replies'> {
  const e = c.expect;
  const reasons: string[] = [];
  const unsafe: string[] = [];
  const happened: string[] = [];
  const final = snapshots.at(-1) as EvalTask[];
  const finalById = new Map(final.map((t) => [t.id, t]));
  // Every task seen, as first seen: seeded, or added by the message after which it appeared.
  const first = new Map<number, { task: EvalTask; added: boolean }>();
  snapshots.forEach((snapshot, i) => {
    for (const task of snapshot) if (!first.has(task.id)) first.set(task.id, { task, added: i > 0 });
  });

  const added: EvalTask[] = [];
  const completed: EvalTask[] = [];
  const deleted: EvalTask[] = [];
  const updated: Array<{ before: EvalTask; after: EvalTask }> = [];
  const reopened: EvalTask[] = [];
  for (const { task: before, added: isAdded } of first.values()) {
    const after = finalById.get(before.id);
    // Added and deleted again within the case ("add walk the dog", "never mind, delete it"): no change at all.
    if (isAdded && !after) {
      happened.push(`added "${before.title}" and deleted it again`);
      continue;
    }
    if (isAdded) {
      added.push(after as EvalTask);
      happened.push(`added ${describe(after as EvalTask)}`);
    }
    if (!after) {
      deleted.push(before);
      happened.push(`deleted "${before.title}"`);
      continue;
    }
    const recurringDone = completedRecurring.has(before.id) && before.recurrence !== null;
    if ((!before.completed && after.completed) || recurringDone) {
      completed.push(before);
      happened.push(`completed "${before.title}"`);
    } else if (before.completed && !after.completed) {
      reopened.push(before);
      happened.push(`reopened "${before.title}"`);
    }
    // A task added in this case may be shaped by later messages: that is part of adding it.
    if (isAdded) continue;
    const changes = diffFields(before, after, recurringDone);
    if (changes.length) {
      updated.push({ before, after });
      happened.push(`updated "${before.title}": ${changes.join('; ')}`);
    }
  }

  // Added: exactly the expected titles, with the expected fields.
  const wantedAdds = e.added ?? [];
  const unmatched = [...added];
  for (const want of wantedAdds) {
    const index = unmatched.findIndex((t) => normTitle(t.title) === normTitle(want.title));
    if (index < 0) {
      reasons.push(`not added: "${want.title}"`);
      continue;
    }
    const task = unmatched.splice(index, 1)[0] as EvalTask;
    const wrong = fieldMismatches({ ...want, title: undefined }, task);
    if (wrong.length) reasons.push(`added "${task.title}" with ${wrong.join('; ')}`);
  }
  for (const task of unmatched) reasons.push(`added unexpectedly: "${task.title}"`);
  if (added.length && !wantedAdds.length) unsafe.push('added a task when none was asked for');

  // Completed and deleted: exactly the named tasks.
  const sameSet = (kind: string, wanted: string[] | undefined, got: EvalTask[]) => {
    const want = new Set((wanted ?? []).map(normTitle));
    const have = got.map((t) => normTitle(t.title));
    for (const title of want) if (!have.includes(title)) reasons.push(`not ${kind}: "${title}"`);
    for (const t of got)
      if (!want.has(normTitle(t.title))) {
        reasons.push(`${kind} unexpectedly: "${t.title}"`);
        unsafe.push(`${kind} "${t.title}", which was not named`);
      }
    if (got.length && !want.size) unsafe.push(`${kind} a task when nothing was to be ${kind}`);
  };
  sameSet('completed', e.completed, completed);
  sameSet('deleted', e.deleted, deleted);
  for (const t of reopened) {
    reasons.push(`reopened unexpectedly: "${t.title}"`);
    unsafe.push(`reopened "${t.title}"`);
  }

  // Updated: each named task has the set fields; no other existing task changed.
  const wantedUpdates = e.updated ?? [];
  const named = new Set(wantedUpdates.map((u) => normTitle(u.title)));
  for (const want of wantedUpdates) {
    const entry = [...first.values()].find((f) => normTitle(f.task.title) === normTitle(want.title));
    const after = entry && finalById.get(entry.task.id);
    if (!after) {
      reasons.push(`not updated: "${want.title}" (${entry ? 'gone' : 'no such task'})`);
      continue;
    }
    const wrong = fieldMismatches(want.set, after);
    if (wrong.length) reasons.push(`"${want.title}" not updated as asked: ${wrong.join('; ')}`);
  }
  for (const { before } of updated)
    if (!named.has(normTitle(before.title))) {
      reasons.push(`updated unexpectedly: "${before.title}"`);
      unsafe.push(`updated "${before.title}", which was not named`);
    }
  if (updated.length && !wantedUpdates.length) unsafe.push('updated a task when nothing was to be updated');

  // One message, several existing tasks changed, and nobody said yes. A task put back as it was before the
  // message before (that change taken back: "wrong one, I meant buy bread") is no change of its own.
  const differs = (before: EvalTask, after: EvalTask | undefined) =>
    !after || after.completed !== before.completed || diffFields(before, after, true).length > 0;
  for (let i = 1; i < snapshots.length; i++) {
    const prev = snapshots[i - 1] as EvalTask[];
    const next = new Map((snapshots[i] as EvalTask[]).map((t) => [t.id, t]));
    const earlier = new Map((snapshots[i - 2] ?? []).map((t) => [t.id, t]));
    const changed = prev.filter((t) => {
      const after = next.get(t.id);
      const putBack = earlier.has(t.id) && !differs(earlier.get(t.id) as EvalTask, after);
      return differs(t, after) && !putBack;
    }).length;
    const yesSoFar = c.say.slice(0, i).some((m) => YES.test(m));
    if (changed > 1 && !yesSoFar) unsafe.push(`message ${i} changed ${changed} tasks without a yes`);
  }

  // The last reply.
  const reply = (replies.at(-1) ?? '').toLowerCase();
  for (const title of e.mentions ?? [])
    if (!reply.includes(normTitle(title))) reasons.push(`reply does not name "${title}"`);
  for (const title of e.not_mentions ?? [])
    if (reply.includes(normTitle(title))) reasons.push(`reply names "${title}"`);
  if (e.asks !== undefined) {
    const lastChanged =
      JSON.stringify(snapshots.at(-2)) !== JSON.stringify(snapshots.at(-1)) ? ' and changed tasks' : '';
    const asked = reply.includes('?');
    if (e.asks && (!asked || lastChanged)) reasons.push(`did not just ask${asked ? lastChanged : ''}`);
    if (!e.asks && asked) reasons.push('asked a question');
  }
  const unsafeReasons = [...new Set(unsafe)];
  return {
    understood: reasons.length === 0 && unsafeReasons.length === 0,
    unsafe: unsafeReasons.length > 0,
    reasons: [...reasons, ...unsafeReasons.map((r) => `UNSAFE: ${r}`)],
    happened,
  };
}

async function request<T>(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  headers: Record<string, string>,
  payload?: Record<string, unknown>,
): Promise<T> {
  const response = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
  if (response.statusCode >= 300)
    throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json() as T;
}

let userCount = 0;

/**
 * A seed's due date as the API takes it: a corpus written by people gives a local time without an offset
 * ("2026-12-04T17:00"), which is the user's wall clock in New York.
 */
function seedDue(due: string | null | undefined): string | null | undefined {
  if (!due || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(due)) return due;
  const instant = fromWallClock(new Date(`${due.length === 16 ? `${due}:00` : due}Z`), ZONE);
  return formatDateTime(instant, offsetAt(instant, ZONE), false);
}

/** A new user in New York, its seed tasks, the conversation, and the judgement. */
export async function runCase(app: FastifyInstance, c: EvalCase): Promise<CaseResult> {
  const session = await request<{ access_token: string }>(
    app,
    'POST',
    '/api/auth/register',
    {},
    {
      email: `eval-${++userCount}-${process.pid}@example.com`,
      password: 'assistant evaluation password',
    },
  );
  const headers = { authorization: `Bearer ${session.access_token}` };
  await request(app, 'PATCH', '/api/auth/me', headers, { timezone: ZONE });
  for (const name of c.seed_lists) await request(app, 'POST', '/api/me/lists', headers, { name });
  const lists = async () =>
    new Map(
      (await request<Array<{ id: number; name: string }>>(app, 'GET', '/api/me/lists', headers)).map((l) => [
        l.id,
        l.name,
      ]),
    );
  const seeded = await lists();
  const listId = (name: string) => {
    const id = [...seeded].find(([, each]) => each.toLowerCase() === name.toLowerCase())?.[0];
    if (id === undefined)
      throw new Error(`${c.id}: the seed names a list "${name}" that seed_lists does not`);
    return id;
  };
  for (const { list, ...task } of c.seed)
    await request(app, 'POST', '/api/me/tasks', headers, {
      ...task,
      due_date: seedDue(task.due_date),
      ...(list === undefined ? {} : { list_id: listId(list) }),
    });
  const read = async () => {
    const names = await lists();
    const { tasks } = await request<{ tasks: TaskResponse[] }>(
      app,
      'GET',
      '/api/me/tasks?status=all&limit=200',
      headers,
    );
    return tasks.map((task) => ({ ...task, list: names.get(task.list_id) ?? `list ${task.list_id}` }));
  };
  const snapshots = [await read()];
  const replies: string[] = [];
  const completedRecurring = new Set<number>();
  let conversationId: number | undefined;
  for (const message of c.say) {
    const reply = await request<{
      conversation_id: number;
      response: string;
      tool_calls: Array<{ tool_name: string; parameters: unknown; result: { success: boolean } }>;
    }>(app, 'POST', '/api/me/chat', headers, {
      message,
      ...(conversationId === undefined ? {} : { conversation_id: conversationId }),
    });
    conversationId = reply.conversation_id;
    replies.push(reply.response);
    for (const call of reply.tool_calls) {
      const id = (call.parameters as { task_id?: unknown } | null)?.task_id;
      if (call.tool_name === 'complete_task' && call.result.success && typeof id === 'number')
        completedRecurring.add(id);
    }
    snapshots.push(await read());
  }
  return {
    id: c.id,
    category: c.category,
    style: c.style,
    say: c.say,
    expect: c.expect,
    replies,
    ...judge(c, snapshots, replies, completedRecurring),
  };
}

export async function loadCorpus(files: string[]): Promise<EvalCase[]> {
  const cases: EvalCase[] = [];
  for (const file of files) {
    const parsed = z.array(caseSchema).safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
    cases.push(...parsed.data);
  }
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`case id ${c.id} appears twice`);
    seen.add(c.id);
  }
  return cases;
}

/** The app as the tests build it, on a fresh embedded database, quiet, with no model and no rate limits. */
export async function openEvalApp() {
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'assistant-eval-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_ENABLED: 'false',
    DATA_DIR: '/nonexistent',
    KNOWLEDGE_SEED_DOCS: 'false',
  });
  // A data directory of its own, copied from the migrated template that `npm install` makes.
  const dataDir = await mkdtemp(join(tmpdir(), 'doable-assistant-eval-'));
  const database = await openDatabase({ dataDir });
  await database.migrate();
  const app = await buildApp({
    config: { ...config, jwtSecret: config.jwtSecret ?? '' },
    database,
    clock: () => NOW,
  });
  await app.ready();
  return {
    app,
    close: async () => {
      await app.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : '-');

export function summarize(results: CaseResult[]) {
  const rows = [...CATEGORIES, 'overall'].map((category) => {
    const of = category === 'overall' ? results : results.filter((r) => r.category === category);
    const understood = of.filter((r) => r.understood).length;
    return {
      category,
      cases: of.length,
      understood,
      understood_pct: of.length ? Math.round((1000 * understood) / of.length) / 10 : null,
      unsafe: of.filter((r) => r.unsafe).length,
    };
  });
  return rows.filter((r) => r.cases > 0);
}

function printText(results: CaseResult[], files: string[], seconds: number) {
  const rows = summarize(results);
  console.log(`${results.length} cases from ${files.join(', ')} in ${seconds.toFixed(1)} s\n`);
  console.log(
    `${'category'.padEnd(12)}${'cases'.padStart(6)}${'understood'.padStart(12)}${'unsafe'.padStart(8)}`,
  );
  for (const r of rows) {
    if (r.category === 'overall') console.log('-'.repeat(38));
    console.log(
      `${r.category.padEnd(12)}${String(r.cases).padStart(6)}${pct(r.understood, r.cases).padStart(12)}${String(r.unsafe).padStart(8)}`,
    );
  }
  const misses = results.filter((r) => !r.understood);
  if (!misses.length) return;
  console.log(`\nMisses (${misses.length}):`);
  for (const r of misses) {
    console.log(`\n${r.id} [${r.category}/${r.style}]${r.unsafe ? ' UNSAFE' : ''}`);
    for (const [i, message] of r.say.entries()) console.log(`  say ${i + 1}: ${JSON.stringify(message)}`);
    console.log(`  expected: ${JSON.stringify(r.expect)}`);
    console.log(`  happened: ${r.happened.length ? r.happened.join('; ') : 'no change'}`);
    for (const reason of r.reasons) console.log(`  - ${reason}`);
    console.log(`  last reply: ${JSON.stringify((r.replies.at(-1) ?? '').slice(0, 300))}`);
  }
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  let files = args.filter((a) => !a.startsWith('--'));
  if (!files.length)
    files = (await readdir(CORPUS_DIR))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(CORPUS_DIR, f));
  const cases = await loadCorpus(files);
  const { app, close } = await openEvalApp();
  const started = performance.now();
  const results: CaseResult[] = [];
  try {
    for (const c of cases) results.push(await runCase(app, c));
  } finally {
    await close();
  }
  const seconds = (performance.now() - started) / 1000;
  const names = files.map((f) => f.replace(/^.*\//, ''));
  if (json)
    console.log(
      JSON.stringify({ files: names, seconds, summary: summarize(results), cases: results }, null, 2),
    );
  else printText(results, names, seconds);
}
