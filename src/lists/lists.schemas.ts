import { z } from 'zod';
import { userParams } from '../auth/index.ts';

export const LIST_NAME_MAX = 100;

const listId = (what: string) =>
  z
    .string()
    .regex(/^\d{1,100}$/, `must be ${what} (a positive whole number)`)
    .transform(Number)
    .pipe(z.number().min(1, `must be ${what} (a positive whole number)`));

/** A list id as a query parameter (`?list_id=`, `?move_to=`): any run of digits; one not yours is a 404. */
export const listIdQuery = listId('a list id');

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIST_NAME_MAX, `must be at most ${LIST_NAME_MAX} characters`)
  .describe('1 to 100 characters; unique among your lists, compared without case');

export const listBody = z.strictObject({ name }).meta({ id: 'ListBody', example: { name: 'Groceries' } });

export const listSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    is_inbox: z.boolean().describe('The Inbox: where tasks go when no list is said; fixed'),
    role: z.enum(['owner']).describe('What you are to the list; lists are not shared yet, so always owner'),
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
      open_tasks: 3,
      total_tasks: 5,
      created_at: '2026-12-01T09:00:00.000Z',
      updated_at: '2026-12-01T09:00:00.000Z',
    },
  });
export type ListResponse = z.infer<typeof listSchema>;

export const listsSchema = z.array(listSchema).meta({ id: 'Lists' });

export const listParams = userParams.extend({ list_id: listId('a list id') });

export const deleteListQuery = z.object({
  move_to: listIdQuery
    .optional()
    .describe('Move the list’s tasks to this list of yours, then delete the list'),
  delete_tasks: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: delete the list’s tasks with it (each can be restored like any deleted task)'),
});
