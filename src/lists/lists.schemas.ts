import { z } from 'zod';
import { userParams } from '../auth/index.ts';
import { MEMBER_ROLES } from './lists.tables.ts';

export const LIST_NAME_MAX = 100;

const listId = (what: string) =>
  z
    .string()
    .regex(/^\d{1,100}$/, `must be ${what} (a positive whole number)`)
    .transform(Number)
    .pipe(z.number().min(1, `must be ${what} (a positive whole number)`));

/** A list id as a query parameter (`?list_id=`, `?move_to=`): any run of digits; one not yours is a 404. */
export const listIdQuery = listId('a list id');

/**
 * Control characters (a newline, a tab), line and paragraph separators, the marks that set or turn the direction of
 * the text (U+061C, U+200E-200F, U+202A-202E, U+2066-2069) and the invisible spaces (U+200B-200C, U+180E, U+2060,
 * U+FEFF): a list's name is shown to the people it is shared with, in invitations too, where a name that turns the
 * text around, or looks like another, would read as something it is not. The zero-width joiner of emoji stays.
 */
const NOT_IN_NAMES =
  /[\p{Cc}\u061C\u180E\u200B\u200C\u200E\u200F\u2028\u2029\u202A-\u202E\u2060-\u2069\uFEFF]/u;

/** A list's name, as the lists' routes and an import take it. */
export const listName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIST_NAME_MAX, `must be at most ${LIST_NAME_MAX} characters`)
  .refine(
    (value) => !NOT_IN_NAMES.test(value),
    'must not contain line breaks, tabs, invisible characters or text-direction marks',
  )
  .describe(
    '1 to 100 characters, without line breaks, tabs, invisible characters or text-direction marks; unique among ' +
      'your lists, compared without case',
  );

export const listBody = z
  .strictObject({ name: listName })
  .meta({ id: 'ListBody', example: { name: 'Groceries' } });

export const ROLES = ['owner', 'editor', 'viewer'] as const;

export const listSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    is_inbox: z.boolean().describe('The Inbox: where tasks go when no list is said; fixed, never shared'),
    role: z
      .enum(ROLES)
      .describe(
        'What you are to the list: owner (everything), editor (reads and changes its tasks) or viewer (reads)',
      ),
    owner: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .describe('Who owns a list shared with you; null for your own lists'),
    shared: z.boolean().describe('Whether the list has members besides its owner'),
    open_tasks: z.number().int().describe('Tasks in the list still to do'),
    total_tasks: z.number().int().describe('Every task in the list, completed ones included'),
    created_at: z.string().describe('ISO 8601'),
    updated_at: z.string().describe('ISO 8601'),
  })
  .meta({
    id: 'List',
    example: {
      id: 7,
      name: 'Groceries',
      is_inbox: false,
      role: 'owner',
      owner: null,
      shared: true,
      open_tasks: 3,
      total_tasks: 5,
      created_at: '2026-12-01T09:00:00.000Z',
      updated_at: '2026-12-01T09:00:00.000Z',
    },
  });
export type ListResponse = z.infer<typeof listSchema>;

export const listsSchema = z.array(listSchema).meta({ id: 'Lists' });

export const listParams = userParams.extend({ list_id: listId('a list id') });
export const memberParams = listParams.extend({ member_id: listId('a member id') });

const memberRole = z.enum(MEMBER_ROLES, { error: 'must be viewer or editor' });

export const inviteBody = z
  .strictObject({
    email: z
      .string()
      .trim()
      .max(254, 'must be at most 254 characters')
      .regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address')
      .transform((email) => email.toLowerCase())
      .describe('The address to invite; whoever holds the account with this address may accept'),
    role: memberRole.describe('viewer: reads the list; editor: also adds, changes and deletes its tasks'),
  })
  .meta({ id: 'InviteBody', example: { email: 'sam@example.com', role: 'editor' } });

export const roleBody = z
  .strictObject({ role: memberRole })
  .meta({ id: 'RoleBody', example: { role: 'viewer' } });

export const memberSchema = z
  .object({
    id: z.number().int().nullable().describe('The membership or invitation; null for the owner'),
    user_id: z.string().nullable().describe('The account, once the invitation is accepted'),
    name: z.string().nullable().describe('The account’s name, once the invitation is accepted'),
    email: z.string().nullable().describe('The address invited (the owner’s own address for the owner)'),
    role: z.enum(ROLES),
    status: z.enum(['invited', 'active']).describe('invited: not accepted yet, sees nothing of the list'),
    invited_at: z.string().nullable().describe('ISO 8601; null for the owner'),
  })
  .meta({
    id: 'Member',
    example: {
      id: 12,
      user_id: null,
      name: null,
      email: 'sam@example.com',
      role: 'editor',
      status: 'invited',
      invited_at: '2026-12-01T09:00:00.000Z',
    },
  });
export type MemberResponse = z.infer<typeof memberSchema>;

export const membersSchema = z.array(memberSchema).meta({ id: 'Members' });

export const invitationSchema = z
  .object({
    list_id: z.number().int(),
    list_name: z.string(),
    role: memberRole,
    invited_by: z
      .object({ name: z.string(), email: z.string().nullable() })
      .nullable()
      .describe('The list’s owner, who invited you'),
    invited_at: z.string().describe('ISO 8601'),
  })
  .meta({ id: 'Invitation' });
export type InvitationResponse = z.infer<typeof invitationSchema>;

export const invitationsSchema = z.array(invitationSchema).meta({ id: 'Invitations' });

export const deleteListQuery = z.object({
  move_to: listIdQuery
    .optional()
    .describe('Move the list’s tasks to this list of yours, then delete the list'),
  delete_tasks: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: delete the list’s tasks with it (each can be restored like any deleted task)'),
});
