import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ownPathOnly, principalOf, userParams } from '../auth/index.ts';
import { problemSchema } from '../http/problem.ts';
import { preconditionFailed } from './tasks.errors.ts';
import type { TaskRecord } from './tasks.repository.ts';
import {
  completeBody,
  listQuery,
  quickAddBody,
  quickAddPreviewSchema,
  type TaskResponse,
  tagCountsSchema,
  taskInput,
  taskListSchema,
  taskParams,
  taskPatch,
  taskSchema,
} from './tasks.schemas.ts';
import {
  DELETED_TASK_RETENTION_DAYS,
  etagOf,
  fingerprintOf,
  type Precondition,
  type StoredResponse,
  type TaskOperations,
  type TasksService,
  toTaskResponse,
} from './tasks.service.ts';

export interface TasksRoutesOptions {
  service: TasksService;
}

const ENTITY_TAG = /^\s*(W\/)?"[\x21\x23-\x7e]*"\s*$/;
const ifMatchHeaders = z.looseObject({
  'if-match': z
    .string()
    .refine(
      (value) => value.trim() === '*' || value.split(',').every((tag) => ENTITY_TAG.test(tag)),
      'must be * or a list of ETags such as "12-3", as sent in the ETag header',
    )
    .optional()
    .describe('Write only if the task is still at this ETag; 412 when it changed since'),
});
const postHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters, e.g. a UUID')
    .optional()
    .describe(
      'Retrying with the same key and body within 24 hours returns the first response instead of creating again',
    ),
});

const secured = [{ bearer: [] }];
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema };
const writeErrors = { ...errors, 404: problemSchema, 412: problemSchema };

export async function tasksRoutes(app: FastifyInstance, { service }: TasksRoutesOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // The scope a personal API token needs (see auth/scopes.ts): reading, or changing.
  const read = { scope: 'tasks:read' } as const;
  const write = { scope: 'tasks:write' } as const;
  const onRequest = [
    app.authenticate,
    ownPathOnly(
      'tasks.forbidden',
      'You can only reach your own tasks; put your own user id, or "me", in the path.',
    ),
  ];

  r.get(
    '/api/:user_id/tasks',
    {
      onRequest,
      config: read,
      schema: {
        tags: ['tasks'],
        summary: 'List, filter, search and sort your tasks',
        description:
          'Your tasks and those of the lists shared with you (`list_id` for one list, `assigned=me` for the tasks ' +
          'given to you). Filters combine with AND. `tags` matches tasks that have any of the tags (`tags_mode=all`: every ' +
          'one). `search` matches every word, as a word beginning or an English stem, in title and ' +
          'description, and sorts by relevance unless `sort_by` is given. For due filters and sorting, a ' +
          'calendar-date due date counts as that day in your time zone and sorts among the timed tasks of that ' +
          'day; tasks without a due date end an ascending due_date list and start a descending one. ' +
          '`completed=true|false` is accepted for `status`, `sort` for `sort_by` and `sort_order` for `order`. ' +
          'A parameter not listed here is refused (400), naming the one probably meant.',
        security: secured,
        params: userParams,
        querystring: listQuery,
        response: { 200: taskListSchema, ...errors },
      },
    },
    async (request) => service.list(principalOf(request).userId, request.query),
  );

  r.post(
    '/api/:user_id/tasks',
    {
      onRequest,
      config: write,
      schema: {
        tags: ['tasks'],
        summary: 'Create a task',
        description:
          'Answers 201 with Location and ETag. With an `Idempotency-Key`, a retry with the same body gets the ' +
          'first response again (with `Idempotent-Replayed: true`); the same key with another body is a 422. ' +
          '`list_id` may be a list shared with you as an editor: the task is then its owner’s (a viewer gets 403 ' +
          '`lists.read_only`). `assignee_id` must be the list’s owner or one of its members (422 ' +
          '`tasks.assignee_not_member`). An account holds at most 10,000 tasks, completed ones included: past ' +
          'that, 409 `tasks.too_many`.',
        security: secured,
        params: userParams,
        headers: postHeaders,
        body: taskInput,
        response: { 201: taskSchema, 409: problemSchema, 422: problemSchema, ...errors },
      },
    },
    async (request, reply) =>
      sendCreated(
        request,
        reply,
        () => fingerprintOf('create task', request.body),
        (tasks, userId) => tasks.createTask(userId, request.body),
      ),
  );

  r.post(
    '/api/:user_id/tasks/quick',
    {
      onRequest,
      config: write,
      schema: {
        tags: ['tasks'],
        summary: 'Create a task from a line of text, Todoist-style',
        description:
          'Understands dates in words read in your time zone ("tomorrow 5pm", "next friday", "in 3 days"), ' +
          'recurrence ("every monday", "every 2 weeks"), priority (`p1` urgent … `p4` low, or "urgent", ' +
          '"high priority"), `#tag` or `@tag`, `+list` (one of your lists or one shared with you; yours first ' +
          'when both have the name), and `// description`; the rest is the title. Answers like `POST /tasks`, ' +
          'Idempotency-Key included.',
        security: secured,
        params: userParams,
        headers: postHeaders,
        body: quickAddBody,
        response: { 201: taskSchema, 422: problemSchema, ...errors },
      },
    },
    async (request, reply) =>
      sendCreated(
        request,
        reply,
        () => fingerprintOf('quick add', request.body),
        (tasks, userId) => tasks.quickAdd(userId, request.body.text, request.body.list_id),
      ),
  );

  r.post(
    '/api/:user_id/tasks/quick/preview',
    {
      onRequest,
      config: read,
      schema: {
        tags: ['tasks'],
        summary: 'What quick add would make of a line of text, without creating anything',
        description:
          'The fields `POST /tasks/quick` would set from the same text, for showing them while it is typed. ' +
          'Nothing is stored.',
        security: secured,
        params: userParams,
        body: quickAddBody,
        response: { 200: quickAddPreviewSchema, ...errors },
      },
    },
    async (request) => service.previewQuickAdd(principalOf(request).userId, request.body.text),
  );

  /** 201 with Location and ETag, once per Idempotency-Key when the client sends one. */
  async function sendCreated(
    request: FastifyRequest<{ Headers: { 'idempotency-key'?: string | undefined } }>,
    reply: FastifyReply,
    /** Only worked out when the client sent an Idempotency-Key. */
    fingerprint: () => string,
    make: (tasks: TaskOperations, userId: string) => Promise<TaskRecord>,
  ) {
    const { userId } = principalOf(request);
    const create = async (tasks: TaskOperations): Promise<StoredResponse> => {
      const task = await make(tasks, userId);
      return {
        status: 201,
        body: toTaskResponse(task),
        headers: { location: `/api/${encodeURIComponent(userId)}/tasks/${task.id}`, etag: etagOf(task) },
      };
    };
    const key = request.headers['idempotency-key'];
    const response = key
      ? await service.idempotent(userId, key, fingerprint(), create)
      : await create(service);
    if ('replayed' in response && response.replayed) reply.header('idempotent-replayed', 'true');
    return reply
      .code(response.status)
      .headers(response.headers)
      .send(response.body as TaskResponse);
  }

  r.get(
    '/api/:user_id/tasks/:task_id',
    {
      onRequest,
      config: read,
      schema: {
        tags: ['tasks'],
        summary: 'One task',
        description: 'Sends an ETag; with a matching `If-None-Match` the answer is 304 without a body.',
        security: secured,
        params: taskParams,
        response: { 200: taskSchema, 304: z.null().describe('Not modified'), 404: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const task = await service.get(principalOf(request).userId, request.params.task_id);
      const etag = etagOf(task);
      reply.header('etag', etag);
      if (noneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      return toTaskResponse(task);
    },
  );

  r.put(
    '/api/:user_id/tasks/:task_id',
    {
      onRequest,
      config: write,
      schema: {
        tags: ['tasks'],
        summary: 'Replace a task',
        description:
          'The task becomes exactly the body: fields left out take their defaults (no description, medium ' +
          'priority, no tags, no due date, no recurrence, not completed), but without `list_id` or `assignee_id` ' +
          'it keeps its list and assignee. A viewer of a shared list gets 403 `lists.read_only`.',
        security: secured,
        params: taskParams,
        headers: ifMatchHeaders,
        body: taskInput,
        response: { 200: taskSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const task = await service.replace(
        principalOf(request).userId,
        request.params.task_id,
        request.body,
        precondition(request.headers['if-match']),
      );
      return sendTask(reply, task);
    },
  );

  r.patch(
    '/api/:user_id/tasks/:task_id',
    {
      onRequest,
      config: write,
      schema: {
        tags: ['tasks'],
        summary: 'Change some fields of a task',
        description:
          'Only the fields sent change; `null` clears description, due_date, recurrence, tags or assignee_id. A ' +
          'new `list_id` moves the task, to a list of yours or one you edit (it becomes that list’s owner’s); an ' +
          'assignee who is not of the new list is unassigned. A viewer of a shared list gets 403 `lists.read_only`.',
        security: secured,
        params: taskParams,
        headers: ifMatchHeaders,
        body: taskPatch,
        response: { 200: taskSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const task = await service.update(
        principalOf(request).userId,
        request.params.task_id,
        request.body,
        precondition(request.headers['if-match']),
      );
      return sendTask(reply, task);
    },
  );

  r.patch(
    '/api/:user_id/tasks/:task_id/complete',
    {
      onRequest,
      config: write,
      schema: {
        tags: ['tasks'],
        summary: 'Complete or reopen a task',
        description:
          'Toggles, or sets `{"completed": true|false}`. Completing a recurring task records the completion ' +
          'and moves the task to the first occurrence of its rule after the current due date that is not ' +
          'already past (from today when it has no due date), keeping it pending; a date stays a date, and ' +
          'a date-time keeps its time of day in your time zone (or in the fixed offset it was written with, ' +
          'if that is not your zone). COUNT counts the occurrences left. When the rule has none left, the task ' +
          'is completed for good.',
        security: secured,
        params: taskParams,
        headers: ifMatchHeaders,
        body: completeBody,
        response: { 200: taskSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const task = await service.setCompleted(
        principalOf(request).userId,
        request.params.task_id,
        request.body?.completed,
        precondition(request.headers['if-match']),
      );
      return sendTask(reply, task);
    },
  );

  r.delete(
    '/api/:user_id/tasks/:task_id',
    {
      onRequest,
      config: write,
      schema: {
        tags: ['tasks'],
        summary: 'Delete a task',
        security: secured,
        params: taskParams,
        headers: ifMatchHeaders,
        response: { 204: z.null(), ...writeErrors },
      },
    },
    async (request, reply) => {
      await service.remove(
        principalOf(request).userId,
        request.params.task_id,
        precondition(request.headers['if-match']),
      );
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/api/:user_id/tasks/:task_id/restore',
    {
      onRequest,
      config: write,
      schema: {
        tags: ['tasks'],
        summary: 'Restore a deleted task',
        description:
          `Brings back a task you deleted within the last ${DELETED_TASK_RETENTION_DAYS} days, as it was: the same id, creation time, ` +
          'fields, tags, recurrence and completion history, into its list if you may still change it, else into ' +
          'your Inbox. It counts as a change: `updated_at` is now and the ETag is new. A task is restored once, ' +
          'by who deleted it; an unknown id, one someone else deleted, or one already restored is a 404, and one ' +
          'an import brought back meanwhile (the same origin) is a 409.',
        security: secured,
        params: taskParams,
        response: { 200: taskSchema, ...errors, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const task = await service.restore(principalOf(request).userId, request.params.task_id);
      return sendTask(reply, task);
    },
  );

  r.get(
    '/api/:user_id/tags',
    {
      onRequest,
      config: read,
      schema: {
        tags: ['tasks'],
        summary: 'The tags of the tasks you see, and how many tasks to do carry each',
        description:
          '`count` is the tasks still to do, `total` every task carrying the tag, completed ones included. Most ' +
          'tasks to do first; a tag only completed tasks carry has count 0; tags no task carries any more are ' +
          'left out.',
        security: secured,
        params: userParams,
        response: { 200: tagCountsSchema, ...errors },
      },
    },
    async (request) => service.tagCounts(principalOf(request).userId),
  );
}

/** If-Match (already checked for syntax): `*` accepts any version; else the task's ETag must be listed. */
function precondition(header: string | undefined): Precondition | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  // Strong comparison (RFC 9110): a weak tag never matches for a write.
  const accepted = header.split(',').map((tag) => tag.trim());
  return (task) => {
    const current = etagOf(task);
    if (!accepted.includes(current)) {
      throw preconditionFailed(current);
    }
  };
}

/** If-None-Match uses weak comparison, and `*` matches any task. */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** A task with its ETag, so the client can send it back in If-Match. */
function sendTask(reply: FastifyReply, task: TaskRecord) {
  return reply.header('etag', etagOf(task)).send(toTaskResponse(task));
}
