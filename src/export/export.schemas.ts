import { z } from 'zod';
import { conversationSchema } from '../assistant/index.ts';
import { apiTokenSchema, userSchema } from '../auth/index.ts';
import { listName, MEMBER_ROLES, MEMBERS_PER_LIST } from '../lists/index.ts';
import { dueDate, parseDue, taskInput, taskSchema } from '../tasks/index.ts';

export const FORMAT = 'doable-export';
/**
 * Version 2 added lists, version 3 who each list is shared with; a version 1 file (no lists) is still read, its
 * tasks going to the Inbox, and a version 2 file (no members) too.
 */
export const VERSION = 3;
export const READABLE_VERSIONS = [1, 2, 3] as const;

/** Deepest nesting accepted inside a stored tool call: enough for any tool's arguments and results. */
export const TOOL_CALL_DEPTH = 16;

const origin = z
  .string()
  .min(1)
  .max(200)
  .describe(
    'Where the record was first made, `<instance>/tasks/<id>` or `<instance>/conversations/<id>`: importing ' +
      'a record whose origin the account already holds adds nothing',
  );

const completion = z.object({
  due_date: z.string().nullable().describe('The occurrence that was completed'),
  completed_at: z.string().describe('ISO 8601'),
});

const toolCall = z.object({
  id: z.string(),
  tool_name: z.string(),
  parameters: z.unknown(),
  result: z.unknown(),
});

const exportedMessage = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  tool_calls: z.array(toolCall).describe('The tools the assistant ran for this message, with their results'),
  created_at: z.string().describe('ISO 8601'),
});

/** GET /api/me/export: everything the user owns, as one document that POST /api/me/import takes back. */
export const exportSchema = z
  .object({
    format: z.literal(FORMAT),
    version: z.literal(VERSION).describe('The format version; an import refuses versions it does not know'),
    exported_at: z.string().describe('ISO 8601'),
    profile: userSchema.describe('For your records; an import leaves the account’s own profile as it is'),
    tags: z.array(z.string()).describe('Every tag name, used or not'),
    lists: z
      .array(
        z.object({
          id: z.number().int(),
          name: z.string(),
          is_inbox: z.boolean(),
          created_at: z.string().describe('ISO 8601'),
          updated_at: z.string().describe('ISO 8601'),
          members: z
            .array(z.object({ email: z.string(), role: z.enum(MEMBER_ROLES) }))
            .describe('Who the list is shared with, or invited to it; an import invites them again'),
        }),
      )
      .describe(
        'Your own lists, the Inbox first; tasks name theirs by `list_id`. Lists shared with you are their ' +
          'owners’, and are not in your export.',
      ),
    tasks: z.array(
      taskSchema
        .omit({ user_id: true, created_by: true, updated_by: true, assignee_id: true })
        .extend({ origin, completions: z.array(completion).describe('Each completion of a recurring task') }),
    ),
    conversations: z.array(conversationSchema.extend({ origin, messages: z.array(exportedMessage) })),
    api_tokens: z
      .array(apiTokenSchema.pick({ name: true, created_at: true, last_used_at: true }))
      .describe('Names only (never the tokens); not imported, since a token cannot be moved'),
  })
  .meta({ id: 'Export' });
export type ExportDocument = z.infer<typeof exportSchema>;

/**
 * PostgreSQL refuses year 0 (it counts 1 BC) and offsets beyond ±15:59, zod's date-time allows both; and an
 * instant past the year 9999 in UTC is stored but written back as +010000, which no import reads.
 */
const inStorableYear = (at: Date) => at.getUTCFullYear() >= 1 && at.getUTCFullYear() <= 9999;
const instant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with offset' })
  .refine((text) => {
    const offset = /([+-])(\d{2}):?(\d{2})$/.exec(text);
    return (
      (!offset || Number(offset[2]) * 60 + Number(offset[3]) <= 14 * 60) && inStorableYear(new Date(text))
    );
  }, 'must be a date-time in the years 1 to 9999, with an offset within ±14:00');
const storableDue = (text: string | null | undefined) => {
  const due = text ? parseDue(text) : undefined;
  return !due || inStorableYear(due.at);
};
const id = z.number().int().min(1).max(2_147_483_647);

/** How deep `value` nests, counting up to `limit + 1` at most (so a hostile document costs no more). */
function depthExceeds(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit === 0) return true;
  return Object.values(value).some((child) => depthExceeds(child, limit - 1));
}

const importedToolCall = z.strictObject({
  id: z.string().max(200),
  tool_name: z.string().max(100),
  parameters: z.unknown(),
  result: z.unknown(),
});

const t = taskInput.shape;

/** One completion of a recurring task in an import. */
export const importedCompletion = z.strictObject({
  due_date: dueDate.nullable().refine(storableDue, 'must be after the year 0'),
  completed_at: instant,
});

/** One task in an import; `completions` is its last field (the sliced validation relies on it). */
export const importedTask = z.strictObject({
  origin,
  id,
  list_id: id.optional().describe('One of the file’s `lists`; a task without one goes to the Inbox'),
  title: t.title,
  description: t.description,
  completed: z.boolean(),
  completed_at: instant.nullable(),
  priority: t.priority.unwrap(),
  tags: t.tags.unwrap(),
  due_date: t.due_date.refine(storableDue, 'must be after the year 0'),
  recurrence: t.recurrence,
  created_at: instant,
  updated_at: instant,
  completions: z.array(importedCompletion).max(10_000),
});

/** One message of an imported conversation. */
export const importedMessage = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: z.string().max(100_000),
  tool_calls: z
    .array(importedToolCall)
    .max(100)
    .refine(
      (calls) => !depthExceeds(calls, TOOL_CALL_DEPTH + 2),
      `must not nest deeper than ${TOOL_CALL_DEPTH} levels`,
    ),
  created_at: instant,
});

/** One conversation in an import; `messages` is its last field (the sliced validation relies on it). */
export const importedConversation = z.strictObject({
  origin,
  id,
  title: z.string().max(1_000),
  created_at: instant,
  updated_at: instant,
  messages: z.array(importedMessage).max(10_000),
});

/** POST /api/me/import: an export, validated field by field as strictly as the routes that made it. */
export const importBody = z
  .strictObject({
    format: z.literal(FORMAT, { error: `must be "${FORMAT}": send a file made by GET /api/me/export` }),
    version: z.union(
      READABLE_VERSIONS.map((version) => z.literal(version)),
      { error: `must be ${READABLE_VERSIONS.join(' or ')}` },
    ),
    exported_at: instant,
    profile: z.strictObject({
      id: z.string().max(200),
      email: z.string().max(254).nullable(),
      name: z.string().max(100),
      timezone: z.string().max(64),
      created_at: instant,
    }),
    tags: z.array(t.tags.unwrap().element).max(10_000),
    lists: z
      .array(
        z.strictObject({
          id,
          name: listName,
          is_inbox: z.boolean(),
          created_at: instant,
          updated_at: instant,
          members: z
            .array(
              z.strictObject({
                email: z
                  .string()
                  .trim()
                  .max(254)
                  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address')
                  .transform((email) => email.toLowerCase()),
                role: z.enum(MEMBER_ROLES),
              }),
            )
            .max(MEMBERS_PER_LIST)
            .optional()
            .describe('Absent before version 3; each becomes an invitation, never a membership'),
        }),
      )
      .max(10_000)
      .optional()
      .describe('Absent in version 1 files: their tasks go to the Inbox'),
    tasks: z.array(importedTask).max(100_000),
    conversations: z.array(importedConversation).max(10_000),
    api_tokens: z
      .array(
        z.strictObject({
          name: z.string().max(100),
          created_at: instant,
          last_used_at: instant.nullable(),
        }),
      )
      .max(1_000),
  })
  .meta({ id: 'Import', description: 'A document made by GET /api/me/export (format version 1, 2 or 3)' });
export type ImportDocument = z.output<typeof importBody>;

const counts = z.object({
  created: z.number().int(),
  skipped: z.number().int().describe('Already in the account (imported before, or its original)'),
});

export const importResultSchema = z
  .object({
    tasks: counts,
    conversations: counts,
    messages: z.number().int().describe('Messages created with the new conversations'),
    tags: z.number().int().describe('Tag names that were new to the account'),
    lists: z
      .number()
      .int()
      .describe('Lists that were new to the account (same name, without case: same list)'),
    invitations: z
      .number()
      .int()
      .describe('People invited to the lists again (they accept as anyone invited does)'),
  })
  .meta({ id: 'ImportResult' });
export type ImportResult = z.infer<typeof importResultSchema>;
