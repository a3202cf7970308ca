import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ownPathOnly, principalOf, userParams } from '../auth/index.ts';
import { problemSchema } from '../http/problem.ts';
import {
  deleteListQuery,
  invitationsSchema,
  inviteBody,
  listBody,
  listParams,
  listSchema,
  listsSchema,
  memberParams,
  memberSchema,
  membersSchema,
  roleBody,
} from './lists.schemas.ts';
import {
  INVITATIONS_PER_HOUR,
  LISTS_PER_ACCOUNT,
  type ListsService,
  MEMBERS_PER_LIST,
} from './lists.service.ts';

export interface ListsRoutesOptions {
  service: ListsService;
}

const secured = [{ bearer: [] }];
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema };
/** Invitations each user may send in an hour: nobody is e-mailed, but an address is tried with each. */

export async function listsRoutes(app: FastifyInstance, { service }: ListsRoutesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // The same scopes as tasks (see auth/scopes.ts): a list is a way of keeping tasks.
  const read = { scope: 'tasks:read' } as const;
  const write = { scope: 'tasks:write' } as const;
  // Sharing hands a list to other people, or brings someone else's list into the account: as much as an export,
  // so the same scope (a script's or an AI app's token of tasks:write cannot). Leaving and removing need only write.
  const share = { scope: 'account' } as const;
  const onRequest = [
    app.authenticate,
    ownPathOnly(
      'lists.forbidden',
      'You can only reach your own lists; put your own user id, or "me", in the path.',
    ),
  ];

  r.get(
    '/api/:user_id/lists',
    {
      onRequest,
      config: read,
      schema: {
        tags: ['lists'],
        summary: 'Your lists and the lists shared with you, with how many tasks each holds',
        description:
          'The Inbox first (where tasks go when no list is said), then the others by name, yours and those ' +
          'shared with you alike (`role` says which: owner, editor or viewer; `owner` names who shares it). ' +
          '`open_tasks` counts the tasks still to do, `total_tasks` every task. List a list’s tasks with ' +
          '`GET /tasks?list_id=`.',
        security: secured,
        params: userParams,
        response: { 200: listsSchema, ...errors },
      },
    },
    async (request) => service.list(principalOf(request).userId),
  );

  r.post(
    '/api/:user_id/lists',
    {
      onRequest,
      config: write,
      schema: {
        tags: ['lists'],
        summary: 'Create a list',
        description:
          'Answers 201 with Location. A name you already use (compared without case) is a 409 ' +
          `\`lists.name_taken\`; an account has at most ${LISTS_PER_ACCOUNT} lists (409 \`lists.too_many\`).`,
        security: secured,
        params: userParams,
        body: listBody,
        response: { 201: listSchema, 409: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { userId } = principalOf(request);
      const list = await service.create(userId, request.body.name);
      return reply
        .code(201)
        .header('location', `/api/${encodeURIComponent(userId)}/lists/${list.id}`)
        .send(list);
    },
  );

  r.get(
    '/api/:user_id/lists/:list_id',
    {
      onRequest,
      config: read,
      schema: {
        tags: ['lists'],
        summary: 'One list',
        description:
          'A list that is neither yours nor shared with you (an invitation not accepted yet included) is a 404, ' +
          'like one that does not exist.',
        security: secured,
        params: listParams,
        response: { 200: listSchema, 404: problemSchema, ...errors },
      },
    },
    async (request) => service.get(principalOf(request).userId, request.params.list_id),
  );

  r.patch(
    '/api/:user_id/lists/:list_id',
    {
      onRequest,
      config: write,
      schema: {
        tags: ['lists'],
        summary: 'Rename a list',
        description:
          'The owner’s only (a member gets 403 `lists.owner_only`). The Inbox cannot be renamed (409 ' +
          '`lists.inbox_fixed`); a name you already use is a 409.',
        security: secured,
        params: listParams,
        body: listBody,
        response: { 200: listSchema, 404: problemSchema, 409: problemSchema, ...errors },
      },
    },
    async (request) => service.rename(principalOf(request).userId, request.params.list_id, request.body.name),
  );

  r.delete(
    '/api/:user_id/lists/:list_id',
    {
      onRequest,
      config: write,
      schema: {
        tags: ['lists'],
        summary: 'Delete a list',
        description:
          'The owner’s only (a member gets 403 `lists.owner_only`); its members lose it with its tasks. An empty ' +
          'list is deleted at once. A list with tasks is deleted only when you say what becomes of them: ' +
          '`?move_to={list_id}` moves them to another list of your own, `?delete_tasks=true` deletes them (each ' +
          'can be restored like any deleted task); without either the answer is 409 `lists.not_empty`. The ' +
          'Inbox cannot be deleted (409 `lists.inbox_fixed`).',
        security: secured,
        params: listParams,
        querystring: deleteListQuery,
        response: { 204: z.null(), 404: problemSchema, 409: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      await service.remove(principalOf(request).userId, request.params.list_id, {
        ...(request.query.move_to === undefined ? {} : { moveTo: request.query.move_to }),
        deleteTasks: request.query.delete_tasks === 'true',
      });
      return reply.code(204).send(null);
    },
  );

  const invitations = app.limiter({
    name: 'invitations',
    max: INVITATIONS_PER_HOUR,
    windowSeconds: 3_600,
    keyGenerator: (request) => principalOf(request).userId,
    explain: (seconds) =>
      `You have sent ${INVITATIONS_PER_HOUR} invitations in the last hour, the most an hour allows; try again in ` +
      `${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}.`,
  });

  r.get(
    '/api/:user_id/lists/:list_id/members',
    {
      onRequest,
      config: read,
      schema: {
        tags: ['lists'],
        summary: 'Who shares a list',
        description:
          'The owner first, then the members and the invitations not accepted yet, in the order they were ' +
          'invited. For the owner and every member; anyone else gets 404 `lists.not_found`.',
        security: secured,
        params: listParams,
        response: { 200: membersSchema, 404: problemSchema, ...errors },
      },
    },
    async (request) => service.members(principalOf(request).userId, request.params.list_id),
  );

  r.post(
    '/api/:user_id/lists/:list_id/members',
    {
      onRequest: [...onRequest, invitations],
      config: share,
      schema: {
        tags: ['lists'],
        summary: 'Invite someone to a list',
        description:
          'The owner’s only. Invites an address as a viewer (reads the list) or an editor (also adds, changes, ' +
          'completes and deletes its tasks). The invitation waits until the account with that address accepts ' +
          'it (`POST /lists/{list_id}/membership`); the answer is the same whether or not the address has an ' +
          'account. 201 for a new invitation; inviting the same address again changes its role (200). Not the ' +
          `Inbox (409 \`lists.inbox_private\`), not your own address (400), at most ${MEMBERS_PER_LIST} people a ` +
          `list (409 \`lists.members_full\`), ${INVITATIONS_PER_HOUR} invitations an hour.`,
        security: secured,
        params: listParams,
        body: inviteBody,
        response: { 200: memberSchema, 201: memberSchema, 404: problemSchema, 409: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { userId } = principalOf(request);
      const { member, created } = await service.invite(
        userId,
        request.params.list_id,
        request.body.email,
        request.body.role,
      );
      return reply.code(created ? 201 : 200).send(member);
    },
  );

  r.patch(
    '/api/:user_id/lists/:list_id/members/:member_id',
    {
      onRequest,
      config: share,
      schema: {
        tags: ['lists'],
        summary: 'Change a member’s role',
        description: 'The owner’s only; for an invitation not accepted yet too.',
        security: secured,
        params: memberParams,
        body: roleBody,
        response: { 200: memberSchema, 404: problemSchema, ...errors },
      },
    },
    async (request) =>
      service.changeRole(
        principalOf(request).userId,
        request.params.list_id,
        request.params.member_id,
        request.body.role,
      ),
  );

  r.delete(
    '/api/:user_id/lists/:list_id/members/:member_id',
    {
      onRequest,
      config: write,
      schema: {
        tags: ['lists'],
        summary: 'Remove a member, or withdraw an invitation',
        description:
          'The owner’s only. The member no longer sees the list; its tasks given to them are unassigned.',
        security: secured,
        params: memberParams,
        response: { 204: z.null(), 404: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      await service.removeMember(
        principalOf(request).userId,
        request.params.list_id,
        request.params.member_id,
      );
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/api/:user_id/invitations',
    {
      onRequest,
      config: read,
      schema: {
        tags: ['lists'],
        summary: 'Invitations waiting for you',
        description:
          'The lists you are invited to, by your account’s address (without case), not accepted yet. An ' +
          'address invited before it had an account sees them once the account is made.',
        security: secured,
        params: userParams,
        response: { 200: invitationsSchema, ...errors },
      },
    },
    async (request) => service.invitations(principalOf(request).userId),
  );

  r.post(
    '/api/:user_id/lists/:list_id/membership',
    {
      onRequest,
      config: share,
      schema: {
        tags: ['lists'],
        summary: 'Accept an invitation to a list',
        description:
          'You become a member with the role you were invited with, and the list is among yours. Without an ' +
          'invitation for your address the answer is 404 `lists.invitation_not_found`; a member accepting again ' +
          'gets the list.',
        security: secured,
        params: listParams,
        response: { 200: listSchema, 404: problemSchema, ...errors },
      },
    },
    async (request) => service.accept(principalOf(request).userId, request.params.list_id),
  );

  r.delete(
    '/api/:user_id/lists/:list_id/membership',
    {
      onRequest,
      config: write,
      schema: {
        tags: ['lists'],
        summary: 'Decline an invitation, or leave a list shared with you',
        description:
          'A member may always leave; their tasks of the list are unassigned, the tasks themselves stay the ' +
          'owner’s. The owner cannot leave their own list (409 `lists.owner_cannot_leave`).',
        security: secured,
        params: listParams,
        response: { 204: z.null(), 404: problemSchema, 409: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      await service.leave(principalOf(request).userId, request.params.list_id);
      return reply.code(204).send(null);
    },
  );
}
