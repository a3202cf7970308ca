import { z } from 'zod';
import { userParams } from '../auth/index.ts';
import { listIdQuery } from '../lists/index.ts';
import { DUE_FORMAT_HINT, isDue } from './due.ts';
import { normalizeRecurrence } from './recurrence.ts';
import { PRIORITIES } from './tasks.tables.ts';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 10_000;
export const TAG_MAX = 50;
/**
 * How many tasks an account holds at most, completed ones included (a task in a shared list is its owner's). On
 * the embedded database a request runs on the event loop every user shares: an export of 24,000 tasks held it
 * for 9 seconds. 10,000 is years of a busy person's tasks.
 */
export const TASKS_PER_ACCOUNT = 10_000;
export const TAGS_PER_TASK = 20;
export const SORT_FIELDS = ['created_at', 'updated_at', 'due_date', 'priority', 'title'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

const title = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`);
const description = z.string().max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`);
const priority = z.enum(PRIORITIES, { error: `must be one of ${PRIORITIES.join(', ')}` });
const tagName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(TAG_MAX, `must be at most ${TAG_MAX} characters`)
  .refine((name) => !name.includes(','), 'must not contain a comma');
const tagList = z
  .array(tagName)
  .max(TAGS_PER_TASK, `must have at most ${TAGS_PER_TASK} tags`)
  .describe('Tag names; case-insensitive, shown as first written');
export const dueDate = z
  .string()
  .refine(isDue, DUE_FORMAT_HINT)
  .describe(
    'A calendar date (2026-12-03, due that day in your time zone) or a date-time with offset ' +
      '(2026-12-03T17:00:00+02:00). Returned exactly as written.',
  );
/**
 * A date a list is filtered by: one of years 1000-9998, so that the day's start and end in any time zone stay
 * within what PostgreSQL's timestamps hold (year 1 came out as a 500).
 */
const dueBound = dueDate.refine((value) => {
  const year = Number(value.slice(0, 4));
  return year >= 1000 && year <= 9998;
}, 'must be a date between the years 1000 and 9998');
const recurrence = z
  .string()
  .max(500, 'must be at most 500 characters')
  .transform((text, ctx) => {
    const result = normalizeRecurrence(text);
    if ('error' in result) {
      ctx.addIssue({ code: 'custom', message: result.error });
      return z.NEVER;
    }
    return result.rule;
  })
  .describe(
    'An RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=MO (DAILY, WEEKLY, MONTHLY or YEARLY). Completing a ' +
      'recurring task moves it to its next occurrence instead of closing it.',
  );

const listId = z
  .number()
  .int('must be a list id (a positive whole number)')
  .min(1, 'must be a list id (a positive whole number)')
  .describe(
    'The list the task is in: one of yours, or one shared with you as an editor (GET /api/me/lists); default ' +
      'your Inbox',
  );

const assigneeId = z
  .string()
  .min(1, 'must be a user id')
  .max(200, 'must be at most 200 characters')
  .describe(
    'Whom the task is given to: the owner of its list or one of its members (a user id); null: nobody',
  );

const taskFields = {
  title,
  list_id: listId.optional(),
  assignee_id: assigneeId.nullable().optional(),
  description: description.nullable().optional(),
  priority: priority.optional().describe('Default medium'),
  tags: tagList.optional(),
  due_date: dueDate.nullable().optional(),
  recurrence: recurrence.nullable().optional(),
  completed: z.boolean().optional(),
};

/**
 * What the service itself sets. A client that sends back a task it read (GET, then PUT) may leave them in; they
 * are ignored, while any other unknown field is refused by name.
 */
const readOnly = (what: string) => z.unknown().optional().describe(`${what}; read-only, ignored if sent`);
const readOnlyFields = {
  id: readOnly('The task id'),
  user_id: readOnly('The owner'),
  created_by: readOnly('Who created it'),
  updated_by: readOnly('Who changed it last'),
  completed_at: readOnly('When it was completed'),
  created_at: readOnly('When it was created'),
  updated_at: readOnly('When it last changed'),
};

/**
 * POST and PUT: everything but the title is optional, and what is left out takes its default; but a PUT without
 * `list_id` or `assignee_id` leaves the task in its list and with its assignee, so that clients that know no lists
 * do not move tasks to the Inbox.
 */
export const taskInput = z.strictObject({ ...taskFields, ...readOnlyFields }).meta({
  id: 'TaskBody',
  example: {
    title: 'Water the plants',
    list_id: 7,
    description: 'The ones on the balcony too',
    priority: 'high',
    tags: ['home'],
    due_date: '2026-12-03',
    recurrence: 'FREQ=WEEKLY;BYDAY=MO',
  },
});
export type TaskInput = z.input<typeof taskInput>;
export type ParsedTaskInput = z.output<typeof taskInput>;

/** PATCH: only what is sent changes; null clears description, due_date, recurrence (and tags). */
export const taskPatch = z
  .strictObject({
    ...taskFields,
    ...readOnlyFields,
    title: title.optional(),
    tags: tagList.nullable().optional(),
  })
  .meta({ id: 'TaskPatch', example: { priority: 'urgent', due_date: null } });
export type TaskPatch = z.output<typeof taskPatch>;

export const completeBody = z
  .strictObject({
    completed: z.boolean().optional().describe('Set this state; without it the state is toggled'),
  })
  .nullish();

export const taskSchema = z
  .object({
    id: z.number().int(),
    user_id: z.string().describe('The owner: the owner of its list'),
    list_id: z.number().int().describe('The list the task is in'),
    title: z.string(),
    description: z.string().nullable(),
    completed: z.boolean(),
    completed_at: z.string().nullable().describe('ISO 8601'),
    priority,
    tags: z.array(z.string()),
    due_date: z.string().nullable().describe('As it was written: YYYY-MM-DD, or a date-time with offset'),
    recurrence: z.string().nullable(),
    created_at: z.string().describe('ISO 8601'),
    updated_at: z.string().describe('ISO 8601'),
    created_by: z.string().nullable().describe('Who created it (null: an account since deleted)'),
    updated_by: z.string().nullable().describe('Who changed it last (null: an account since deleted)'),
    assignee_id: z.string().nullable().describe('Whom it is given to, if anyone'),
  })
  .meta({ id: 'Task' });
export type TaskResponse = z.infer<typeof taskSchema>;

export const taskListSchema = z
  .object({
    tasks: z.array(taskSchema),
    total: z.number().int().describe('How many tasks match, across all pages'),
    occurrences: z
      .array(z.object({ task_id: z.number().int(), due_date: z.string() }))
      .optional()
      .describe(
        'With `occurrences_before` only: the later due dates of the recurring tasks listed, in the form of ' +
          'their due_date, each task in order. Completing a task still moves it to the first of them.',
      ),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .meta({ id: 'TaskList' });

export const tagCountsSchema = z
  .array(
    z.object({
      name: z.string(),
      count: z.number().int().describe('Tasks carrying the tag that are still to do'),
      total: z.number().int().describe('Every task carrying the tag, completed ones included'),
    }),
  )
  .meta({ id: 'TagCounts' });

export const taskParams = userParams.extend({
  // Any run of digits is a task id; one beyond the ids ever given out is simply not found (404).
  task_id: z
    .string()
    .regex(/^\d{1,100}$/, 'must be a task id (a positive whole number)')
    .transform(Number)
    .pipe(z.number().min(1, 'must be a task id (a positive whole number)')),
});

const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .default(fallback);

/** `tags=a,b`, or the repeated form `tags=a&tags=b` that many HTTP clients send for a list. */
const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((value) =>
      (Array.isArray(value) ? value.join(',') : value)
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1, 'must name at least one value').max(50, 'must name at most 50 values'));

export const listQuery = z.object({
  list_id: listIdQuery
    .optional()
    .describe('Only the tasks of this list, yours or shared with you; a list id you do not see is a 404'),
  assigned: z.enum(['me']).optional().describe('me: only the tasks given to you'),
  search: z
    .string()
    .max(200)
    .optional()
    .describe('Words to find in title and description; the last word may be unfinished'),
  status: z.enum(['all', 'pending', 'completed']).optional().describe('Default all'),
  completed: z.enum(['true', 'false']).optional().describe('Same as status=completed|pending'),
  priority: commaList(priority).optional().describe('Comma list, e.g. high,urgent'),
  tags: commaList(tagName).optional().describe('Comma list of tag names (case-insensitive)'),
  tags_mode: z
    .enum(['any', 'all'])
    .default('any')
    .describe('any: tasks with at least one of the tags; all: tasks with every one of them'),
  due: z
    .enum(['overdue', 'today', 'week', 'none'])
    .optional()
    .describe(
      'overdue: pending and past due; today: due today; week: due today or in the 6 days after; none: no ' +
        'due date. "Today" is read in your time zone.',
    ),
  due_before: dueBound.optional().describe('Due before this date or date-time (a date means its start)'),
  due_after: dueBound.optional().describe('Due after this date or date-time (a date means its end)'),
  sort_by: z
    .enum(SORT_FIELDS)
    .optional()
    .describe('Default created_at, or relevance when searching; priority ranks urgent > high > medium > low'),
  sort: z
    .enum(SORT_FIELDS)
    .optional()
    .describe('Same as sort_by, the name the web page’s address uses (`/?sort=priority`)'),
  order: z
    .enum(['asc', 'desc'])
    .optional()
    .describe(
      'Default desc for created_at, updated_at and priority, asc for due_date and title. Ties are broken by id.',
    ),
  sort_order: z.enum(['asc', 'desc']).optional().describe('Same as order'),
  occurrences_before: dueDate
    .optional()
    .describe(
      'Also answer `occurrences`: the due dates each recurring task of this page takes next, one after another ' +
        'as if completed each time, before this date or date-time (a date means its start in your time zone), ' +
        'at most 31 a task. For a calendar view such as Upcoming; nothing is stored.',
    ),
  limit: wholeNumber(1, 200, 50).describe('How many tasks to return: 1 to 200, default 50'),
  offset: wholeNumber(0, 1_000_000_000, 0).describe(
    'How many matching tasks to skip, for the next pages: default 0. `total` says how many match in all.',
  ),
});
export type ListQuery = z.output<typeof listQuery>;

export const quickAddBody = z
  .strictObject({
    text: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(1_000, 'must be at most 1000 characters')
      .describe('For example: "Call mum tomorrow 5pm p1 #family // about the party"'),
    list_id: listId
      .optional()
      .describe('The list the task goes in when the text names none with `+name`; default your Inbox'),
  })
  .meta({ id: 'QuickAddRequest', example: { text: 'Pay rent every month on the 1st p2 #home' } });

export const quickAddPreviewSchema = z
  .object({
    title: z
      .string()
      .describe('The rest of the text; empty when the text says nothing else, which quick add refuses'),
    description: z.string().nullable().describe('What follows `//`'),
    priority: priority
      .nullable()
      .describe('From p1–p4 or words such as "urgent"; null keeps the default (medium)'),
    tags: z.array(z.string()).describe('From #tag and @tag'),
    due_date: z.string().nullable().describe('A date, or a date-time with your time zone’s offset'),
    recurrence: z.string().nullable().describe('An RRULE, from words such as "every monday"'),
    list_id: z.number().int().nullable().describe('From `+name` naming one of your lists; null: the Inbox'),
  })
  .meta({
    id: 'QuickAddPreview',
    example: {
      title: 'Call mum',
      description: 'about the party',
      priority: 'urgent',
      tags: ['family'],
      due_date: '2026-12-03T17:00:00+01:00',
      recurrence: null,
      list_id: null,
    },
  });
