import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ownPathOnly, principalOf, userParams } from '../auth/index.ts';
import { problemSchema } from '../http/problem.ts';
import { deleteListQuery, listBody, listParams, listSchema, listsSchema } from './lists.schemas.ts';
import type { ListsService } from './lists.service.ts';

export interface ListsRoutesOptions {
  service: ListsService;
}

const secured = [{ bearer: [] }];
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema };

export async function listsRoutes(app: FastifyInstance, { service }: ListsRoutesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // The same scopes as tasks (see auth/scopes.ts): a list is a way of keeping tasks.
  const read = { scope: 'tasks:read' } as const;
  const write = { scope: 'tasks:write' } as const;
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
        summary: 'Your lists, with how many tasks each holds',
        description:
          'The Inbox first (where tasks go when no list is said), then the others by name. `open_tasks` counts ' +
          'the tasks still to do, `total_tasks` every task. List a list’s tasks with `GET /tasks?list_id=`.',
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
        description: 'Answers 201 with Location. A name you already use (compared without case) is a 409.',
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
        description: 'A list that is not yours is a 404, like one that does not exist.',
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
          'The Inbox cannot be renamed (409 `lists.inbox_fixed`); a name you already use is a 409.',
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
          'An empty list is deleted at once. A list with tasks is deleted only when you say what becomes of ' +
          'them: `?move_to={list_id}` moves them to another of your lists, `?delete_tasks=true` deletes them ' +
          '(each can be restored like any deleted task); without either the answer is 409 `lists.not_empty`. ' +
          'The Inbox cannot be deleted (409 `lists.inbox_fixed`).',
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
}
