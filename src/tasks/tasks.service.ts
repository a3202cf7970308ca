import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { userGone } from '../auth/index.ts';
import { HttpProblem } from '../http/problem.ts';
import { invalidRequest, parseOrThrow } from '../http/validation.ts';
import { listNotFound, listReadOnly } from '../lists/index.ts';
import { addDays, allDayKey, type Due, localDate, parseDue, startOfDay } from './due.ts';
import { parseQuickAdd, type QuickAddResult } from './quick-add.ts';
import { mayNameList, takeList } from './quick-add-list.ts';
import { followingOccurrences, nextOccurrence } from './recurrence.ts';
import {
  assigneeNotMember,
  deletedTaskNotFound,
  idempotencyKeyReused,
  moveNotYours,
  restoreConflict,
  restoreNotYours,
  taskNotFound,
  tooManyTasks,
} from './tasks.errors.ts';
import type {
  DeletedTask,
  DueWindow,
  ListedTask,
  ListFilters,
  TaskPlace,
  TaskRecord,
  TasksRepository,
  TaskValues,
} from './tasks.repository.ts';
import {
  type ListQuery,
  type SortField,
  TASKS_PER_ACCOUNT,
  type TaskInput,
  type TaskResponse,
  taskInput,
  taskPatch,
} from './tasks.schemas.ts';

export interface TasksServiceDeps {
  repository: TasksRepository;
  clock: () => Date;
}

/** Runs with the locked current task before a write; throws to refuse the write (If-Match). */
export type Precondition = (task: TaskRecord) => void;

/** A response kept for an Idempotency-Key and given again to a retry. */
export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;
/** How long a deleted task can be restored, and how many deleted tasks are kept per user (see DESIGN). */
export const DELETED_TASK_RETENTION_DAYS = 30;
const DELETED_TASK_RETENTION_MS = DELETED_TASK_RETENTION_DAYS * 24 * 3_600_000;
export const DELETED_TASKS_KEPT = 1_000;
const MAX_SEARCH_TERMS = 10;
const DEFAULT_DIRECTION: Record<SortField | 'relevance', 'asc' | 'desc'> = {
  created_at: 'desc',
  updated_at: 'desc',
  due_date: 'asc',
  priority: 'desc',
  title: 'asc',
  relevance: 'desc',
};

/** Task ids are PostgreSQL integers: anything beyond was never given out. */
const isTaskId = (id: number) => Number.isSafeInteger(id) && id >= 1 && id <= 2_147_483_647;

/** Strong, and changes with every write: the id and the version. */
export function etagOf(task: { id: number; version: number }): string {
  return `"${task.id}-${task.version}"`;
}

export function toTaskResponse(task: ListedTask): TaskResponse {
  return {
    id: task.id,
    user_id: task.user_id,
    list_id: task.list_id,
    title: task.title,
    description: task.description,
    completed: task.completed,
    completed_at: task.completed_at?.toISOString() ?? null,
    priority: task.priority,
    tags: task.tags,
    due_date: task.due_date,
    recurrence: task.recurrence,
    created_at: task.created_at.toISOString(),
    updated_at: task.updated_at.toISOString(),
    created_by: task.created_by,
    updated_by: task.updated_by,
    assignee_id: task.assignee_id,
  };
}

/** What makes two requests "the same" for an Idempotency-Key: the operation and its body, keys in any order. */
export function fingerprintOf(operation: string, body: unknown): string {
  return createHash('sha256')
    .update(`${operation}\n${canonicalJson(body)}`)
    .digest('hex');
}

function taskOperations({ repository, clock }: TasksServiceDeps) {
  /** The columns a due date (already validated, or none) is stored in. */
  const dueValues = (text: string | null | undefined) => {
    const due = text ? parseDue(text) : undefined;
    return { due_date: due?.text ?? null, due_at: due?.at ?? null, due_all_day: due?.allDay ?? false };
  };

  /**
   * What completing or reopening changes. Completing a recurring task records the completion and moves the
   * task to its next occurrence (see nextOccurrence), still pending; when the rule has no occurrence left it
   * is completed like any other task. `state` is the task as it will be apart from completion.
   */
  async function completionValues(
    repo: TasksRepository,
    task: { id: number; user_id: string; completed: boolean },
    state: { due_date: string | null; recurrence: string | null },
    completed: boolean,
  ): Promise<Partial<TaskValues>> {
    const now = clock();
    if (!completed) return task.completed ? { completed: false, completed_at: null } : {};
    if (task.completed) return {};
    if (!state.recurrence) return { completed: true, completed_at: now };
    await repo.recordCompletion({ task_id: task.id, due_date: state.due_date, completed_at: now });
    const next = nextOccurrence({
      recurrence: state.recurrence,
      due: state.due_date ? (parseDue(state.due_date) ?? null) : null,
      now,
      timeZone: await repo.userTimeZone(task.user_id),
    });
    if (!next) return { completed: true, completed_at: now };
    return { completed: false, completed_at: null, ...dueValues(next.due.text), recurrence: next.recurrence };
  }

  /**
   * Loads and locks a task the user sees, refuses a user who may only view it (403), checks the precondition,
   * and runs `write` in the same transaction.
   */
  function modify(
    userId: string,
    id: number,
    precondition: Precondition | undefined,
    write: (repo: TasksRepository, current: TaskRecord) => Promise<TaskRecord>,
  ): Promise<TaskRecord> {
    if (!isTaskId(id)) return Promise.reject(taskNotFound());
    return repository.transaction(async (repo) => {
      const found = await repo.find(userId, id, { lock: true });
      if (!found) throw taskNotFound();
      const { writable, ...current } = found;
      if (!writable) throw listReadOnly();
      precondition?.(current);
      return write(repo, current);
    });
  }

  /**
   * Where a task of `userId` goes: the list given, which they must be able to write (404 when they do not see it,
   * 403 when they only view it), else their Inbox; the task is the list owner's.
   */
  async function placeFor(repo: TasksRepository, userId: string, listId: number | null): Promise<TaskPlace> {
    if (listId === null) return { listId: null, ownerId: userId };
    const access = await repo.listAccess(userId, listId);
    if (!access) throw listNotFound();
    if (access.role === 'viewer') throw listReadOnly();
    return { listId, ownerId: access.ownerId };
  }

  /** Refuses an assignee who is neither the owner nor a member of the list (null: the user's Inbox). */
  async function checkAssignee(
    repo: TasksRepository,
    userId: string,
    listId: number | null,
    assignee: string,
  ) {
    const list = listId ?? (await repo.inboxOf(userId));
    if (list === undefined || !(await repo.assignable(list, assignee))) throw assigneeNotMember();
  }

  /**
   * A restored task's list: the one it was in if the user may still write it, else their Inbox, if the task was
   * theirs; a task of someone else's list they can no longer change stays deleted (it is not theirs to take).
   */
  async function restorePlace(
    repo: TasksRepository,
    userId: string,
    task: DeletedTask['task'],
  ): Promise<{ listId: number; ownerId: string }> {
    const listId = task.list_id ?? null;
    const access = listId === null ? undefined : await repo.listAccess(userId, listId);
    if (listId !== null && access && access.role !== 'viewer') return { listId, ownerId: access.ownerId };
    if (task.user_id !== undefined && task.user_id !== userId) throw restoreNotYours();
    const inbox = await repo.inboxOf(userId);
    if (inbox === undefined) throw userGone();
    return { listId: inbox, ownerId: userId };
  }

  /** Creates a task from API-shaped input (validated here too, for callers other than the route). */
  async function createTask(userId: string, input: TaskInput): Promise<TaskRecord> {
    const parsed = parseOrThrow(taskInput, input);
    const now = clock();
    const assignee = parsed.assignee_id ?? null;
    const write = async (repo: TasksRepository) => {
      const place = await placeFor(repo, userId, parsed.list_id ?? null);
      if (assignee !== null) await checkAssignee(repo, userId, place.listId, assignee);
      const row = await repo.insert(
        userId,
        place,
        {
          title: parsed.title,
          description: parsed.description ?? null,
          priority: parsed.priority ?? 'medium',
          ...dueValues(parsed.due_date),
          recurrence: parsed.recurrence ?? null,
          created_at: now,
          updated_at: now,
        },
        uniqueNames(parsed.tags ?? []),
        assignee,
      );
      const completion = parsed.completed ? await completionValues(repo, row, row, true) : undefined;
      return completion ? repo.update(userId, row.id, completion) : row;
    };
    // A task and its tags are one statement; only completing it on creation, or checking its assignee, needs a
    // transaction around several.
    return parsed.completed || assignee !== null ? repository.transaction(write) : write(repository);
  }

  /**
   * What changes when a task goes to another list, or is given to someone: the new place (the task becomes that
   * list's owner's, its tags spelled in the owner's vocabulary), and the assignee, who must be of the task's list;
   * an assignee who is not of the new list is unassigned.
   */
  async function placeValues(
    repo: TasksRepository,
    userId: string,
    current: TaskRecord,
    change: { listId?: number; assigneeId?: string | null; tags?: string[] },
  ): Promise<Partial<{ place: TaskPlace; tags: string[]; assignee_id: string | null }>> {
    const values: Partial<{ place: TaskPlace; tags: string[]; assignee_id: string | null }> = {};
    const moves = change.listId !== undefined && change.listId !== current.list_id;
    const listId = moves ? (change.listId as number) : current.list_id;
    if (moves) {
      values.place = await placeFor(repo, userId, listId);
      // Moving a task to another owner's list gives it to them: only the task's owner may give it away.
      if (values.place.ownerId !== current.user_id && current.user_id !== userId) throw moveNotYours();
      if (values.place.ownerId !== current.user_id)
        values.tags = await repo.spellTags(values.place.ownerId, change.tags ?? current.tags);
    }
    if (change.assigneeId !== undefined && change.assigneeId !== null) {
      if (!(await repo.assignable(listId, change.assigneeId))) throw assigneeNotMember();
      values.assignee_id = change.assigneeId;
    } else if (change.assigneeId === null) {
      values.assignee_id = null;
    } else if (
      moves &&
      current.assignee_id !== null &&
      !(await repo.assignable(listId, current.assignee_id))
    ) {
      values.assignee_id = null;
    }
    return values;
  }

  /**
   * What quick add makes of the text, read in the user's time zone; nothing is created. `+name` names one of the
   * user's lists (see quick-add-list.ts); the lists are read only when the text has a `+`.
   */
  async function previewQuickAdd(
    userId: string,
    said: string,
  ): Promise<QuickAddResult & { list_id: number | null }> {
    const { text, list_id } = mayNameList(said)
      ? takeList(said, await repository.userLists(userId))
      : { text: said, list_id: null };
    const parsed = parseQuickAdd(text, { now: clock(), timezone: await repository.userTimeZone(userId) });
    return { ...parsed, list_id };
  }

  return {
    /** The tasks the user sees, theirs and those of the lists shared with them; `own`: theirs only. */
    async list(userId: string, query: ListQuery, options: { own?: boolean } = {}) {
      const filters = {
        ...(await listFilters(repository, userId, query, clock())),
        ...(options.own ? { ownOnly: true } : {}),
      };
      const { rows, total } = await repository.list(userId, filters);
      const page = { tasks: rows.map(toTaskResponse), total, limit: query.limit, offset: query.offset };
      if (!query.occurrences_before) return page;
      const timeZone = await repository.userTimeZone(userId);
      const before = isBefore(parseDue(query.occurrences_before) as Due, timeZone);
      const now = clock();
      const occurrences = rows.flatMap((task) => {
        const due = task.recurrence && !task.completed && task.due_date ? parseDue(task.due_date) : undefined;
        if (!task.recurrence || !due) return [];
        return followingOccurrences({ recurrence: task.recurrence, due, now, timeZone, before }).map(
          (due_date) => ({ task_id: task.id, due_date }),
        );
      });
      return { ...page, occurrences };
    },

    async get(userId: string, id: number): Promise<TaskRecord> {
      const task = isTaskId(id) ? await repository.find(userId, id) : undefined;
      if (!task) throw taskNotFound();
      return task;
    },

    createTask,

    previewQuickAdd,

    /**
     * Turns Todoist-style text ("Call mum tomorrow 5pm p1 #family") into a task, reading dates in the user's
     * time zone. What the text does not say keeps the defaults of createTask.
     */
    async quickAdd(userId: string, text: string, listId?: number): Promise<TaskRecord> {
      const parsed = await previewQuickAdd(userId, text);
      // `+name` in the text wins over the list the client was showing (the web page's chosen list).
      const list_id = parsed.list_id ?? listId;
      try {
        return await createTask(userId, {
          title: parsed.title,
          description: parsed.description,
          priority: parsed.priority ?? undefined,
          tags: parsed.tags,
          due_date: parsed.due_date,
          recurrence: parsed.recurrence,
          ...(list_id == null ? {} : { list_id }),
        });
      } catch (error) {
        // The client sent only `text`: say what in it went wrong, not which task field it became.
        if (!(error instanceof HttpProblem) || error.code !== 'request.invalid' || !error.errors) throw error;
        throw invalidRequest(
          error.errors.map(({ field, message }) => ({
            field: 'body.text',
            message: `gives a ${field.replace(/^body\./, '').replace(/\[\d+\]$/, '')} that ${message}`,
          })),
        );
      }
    },

    /**
     * PUT: the task becomes exactly the input; what is left out takes its default, but its list and its assignee
     * stay (clients that know neither would otherwise move every task to the Inbox, or unassign it).
     */
    async replace(userId: string, id: number, input: TaskInput, precondition?: Precondition) {
      const parsed = parseOrThrow(taskInput, input);
      return modify(userId, id, precondition, async (repo, current) => {
        const state = { due_date: parsed.due_date ?? null, recurrence: parsed.recurrence ?? null };
        const tags = uniqueNames(parsed.tags ?? []);
        const placed = await placeValues(repo, userId, current, {
          ...(parsed.list_id === undefined ? {} : { listId: parsed.list_id }),
          ...(parsed.assignee_id === undefined ? {} : { assigneeId: parsed.assignee_id }),
          tags,
        });
        const row = await repo.update(userId, id, {
          title: parsed.title,
          description: parsed.description ?? null,
          priority: parsed.priority ?? 'medium',
          ...dueValues(state.due_date),
          recurrence: state.recurrence,
          ...(await completionValues(repo, current, state, parsed.completed ?? false)),
          // Spelled for the owner the task has after the write (placeValues did it when that changes).
          tags: placed.tags ?? (await repo.spellTags(current.user_id, tags)),
          ...placed,
          updated_at: clock(),
        });
        await repo.recordChange('task.updated', userId, row, current.list_id);
        return row;
      });
    },

    /** PATCH: only what is given changes; null clears description, due_date, recurrence and tags. */
    async update(userId: string, id: number, input: z.input<typeof taskPatch>, precondition?: Precondition) {
      const patch = parseOrThrow(taskPatch, input);
      return modify(userId, id, precondition, async (repo, current) => {
        const values: Partial<TaskValues> & {
          tags?: string[];
          assignee_id?: string | null;
          place?: TaskPlace;
        } = {};
        if (patch.title !== undefined) values.title = patch.title;
        if (patch.description !== undefined) values.description = patch.description;
        if (patch.priority !== undefined) values.priority = patch.priority;
        if (patch.due_date !== undefined) Object.assign(values, dueValues(patch.due_date));
        if (patch.recurrence !== undefined) values.recurrence = patch.recurrence;
        if (patch.completed !== undefined) {
          const state = {
            due_date: values.due_date === undefined ? current.due_date : values.due_date,
            recurrence: values.recurrence === undefined ? current.recurrence : values.recurrence,
          };
          Object.assign(values, await completionValues(repo, current, state, patch.completed));
        }
        const placed = await placeValues(repo, userId, current, {
          ...(patch.list_id === undefined ? {} : { listId: patch.list_id }),
          ...(patch.assignee_id === undefined || patch.assignee_id === current.assignee_id
            ? {}
            : { assigneeId: patch.assignee_id }),
          ...(patch.tags === undefined ? {} : { tags: uniqueNames(patch.tags ?? []) }),
        });
        // Spelled for the owner the task has after the write (placeValues did it when that changes).
        if (patch.tags !== undefined && placed.tags === undefined)
          values.tags = await repo.spellTags(current.user_id, uniqueNames(patch.tags ?? []));
        Object.assign(values, placed);
        // Nothing to change: no write, so the ETag stays (and nobody is told of a change).
        if (Object.keys(values).length === 0) return current;
        const row = await repo.update(userId, id, { ...values, updated_at: clock() });
        await repo.recordChange('task.updated', userId, row, current.list_id);
        return row;
      });
    },

    /** Sets the completion state, or toggles it when `completed` is undefined. */
    async setCompleted(
      userId: string,
      id: number,
      completed: boolean | undefined,
      precondition?: Precondition,
    ) {
      return modify(userId, id, precondition, async (repo, current) => {
        const values = await completionValues(repo, current, current, completed ?? !current.completed);
        if (Object.keys(values).length === 0) return current;
        const row = await repo.update(userId, id, { ...values, updated_at: clock() });
        await repo.recordChange('task.updated', userId, row);
        return row;
      });
    },

    /**
     * Deletes the task, keeping it for the user who deleted it to restore; the oldest deleted tasks are forgotten
     * at the same time.
     */
    async remove(userId: string, id: number, precondition?: Precondition): Promise<void> {
      await modify(userId, id, precondition, async (repo, current) => {
        const now = clock();
        await repo.delete(userId, id, now);
        await repo.recordChange('task.deleted', userId, current);
        await repo.purgeDeleted(
          userId,
          new Date(now.getTime() - DELETED_TASK_RETENTION_MS),
          DELETED_TASKS_KEPT,
        );
        return current;
      });
    },

    /**
     * Brings a deleted task back as it was: same id, creation time, fields, tags and completions. It counts as a
     * write (updated now, next version). Only by the user who deleted it, within the retention, and once; into its
     * list if they may still write it, else into their Inbox.
     */
    async restore(userId: string, id: number): Promise<TaskRecord> {
      if (!isTaskId(id)) throw deletedTaskNotFound(DELETED_TASK_RETENTION_DAYS);
      return repository.transaction(async (repo) => {
        const now = clock();
        const deleted = await repo.takeDeleted(
          userId,
          id,
          new Date(now.getTime() - DELETED_TASK_RETENTION_MS),
        );
        if (!deleted) throw deletedTaskNotFound(DELETED_TASK_RETENTION_DAYS);
        const place = await restorePlace(repo, userId, deleted.task);
        // A restore adds a task as creating one does: not past the owner's TASKS_PER_ACCOUNT.
        if ((await repo.ownedCount(place.ownerId)) >= TASKS_PER_ACCOUNT)
          throw tooManyTasks(TASKS_PER_ACCOUNT, place.ownerId === userId);
        const imported = await repo.findImportedCopy(place.ownerId, id, deleted.task.import_source);
        if (imported !== undefined) {
          throw restoreConflict(imported);
        }
        // Spelled through the owner's vocabulary again, so the names on the task compare exactly with their tags.
        const tags = await repo.spellTags(place.ownerId, deleted.task.tags);
        const restored = await repo.reinsert(userId, place, id, deleted, { tags, updated_at: now });
        await repo.recordChange('task.restored', userId, restored);
        return restored;
      });
    },

    /** The tags of the tasks the user sees, theirs and those of the lists shared with them. */
    tagCounts(userId: string) {
      return repository.tagCounts(userId);
    },

    /** The IANA zone the user reads dates in (UTC until they set one); the assistant reads words in it. */
    userTimeZone(userId: string): Promise<string> {
      return repository.userTimeZone(userId);
    },
  };
}

/** What a task can be asked to do; `idempotent` hands work a copy bound to its transaction. */
export type TaskOperations = ReturnType<typeof taskOperations>;

export function createTasksService(deps: TasksServiceDeps) {
  const { repository, clock } = deps;
  /**
   * Runs `work` once per Idempotency-Key. The key and the response are written in work's transaction, so a
   * retry gets the first response again (for 24 hours), a concurrent retry waits for the first to finish,
   * and the key is freed again if the work fails. The same key with a different request is refused.
   */
  async function idempotent(
    userId: string,
    key: string,
    fingerprint: string,
    work: (scoped: TaskOperations) => Promise<StoredResponse>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    return repository.transaction(async (repo) => {
      const now = clock();
      const expiredBefore = new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS);
      const claimed = await repo.claimIdempotencyKey({
        user_id: userId,
        key,
        fingerprint,
        now,
        expiredBefore,
      });
      if (!claimed) {
        const first = await repo.findIdempotencyKey(userId, key);
        if (first?.fingerprint !== fingerprint || first.response_status === null) {
          throw idempotencyKeyReused();
        }
        return {
          status: first.response_status,
          body: first.response_body,
          headers: first.response_headers ?? {},
          replayed: true,
        };
      }
      await repo.deleteExpiredIdempotencyKeys(userId, expiredBefore);
      const response = await work(taskOperations({ repository: repo, clock }));
      await repo.saveIdempotentResponse(userId, key, response);
      return { ...response, replayed: false };
    });
  }

  return { ...taskOperations(deps), idempotent };
}

export type TasksService = ReturnType<typeof createTasksService>;

/** Turns the query into filters; due filters read "today" in the user's time zone. */
async function listFilters(
  repository: TasksRepository,
  userId: string,
  query: ListQuery,
  now: Date,
): Promise<ListFilters> {
  let completed: boolean | undefined;
  if (query.status) completed = query.status === 'all' ? undefined : query.status === 'completed';
  else if (query.completed) completed = query.completed === 'true';
  const terms = query.search?.match(/[\p{L}\p{N}]+/gu)?.slice(0, MAX_SEARCH_TERMS);
  const due: DueWindow[] = [];

  const dated = (query.due && query.due !== 'none') || query.due_before || query.due_after;
  const timeZone = dated ? await repository.userTimeZone(userId) : 'UTC';
  // Only a due filter needs the date; working it out costs more than the rest of this function.
  const today = dated ? localDate(now, timeZone) : '';
  const day = (date: string, days = 0) => ({
    allDay: allDayKey(addDays(date, days)),
    timed: startOfDay(addDays(date, days), timeZone),
  });
  const from = (date: string, days: number) => {
    const { allDay, timed } = day(date, days);
    return { allDay: { from: allDay }, timed: { from: timed } };
  };
  const until = (date: string, days: number) => {
    const { allDay, timed } = day(date, days);
    return { allDay: { to: allDay }, timed: { to: timed } };
  };
  const between = (date: string, days: number) => {
    const [start, end] = [day(date), day(date, days)];
    return {
      allDay: { from: start.allDay, to: end.allDay },
      timed: { from: start.timed, to: end.timed },
    };
  };

  if (query.due === 'overdue') {
    // Overdue means still to do: a completed task is never overdue.
    if (completed === true) due.push({});
    completed = false;
    due.push({ allDay: { to: allDayKey(today) }, timed: { to: now } });
  }
  if (query.due === 'today') due.push(between(today, 1));
  if (query.due === 'week') due.push(between(today, 7));
  if (query.due_before) {
    const bound = parseDue(query.due_before) as Due;
    due.push(
      bound.allDay
        ? until(bound.text, 0)
        : { allDay: { to: allDayKey(localDate(bound.at, timeZone)) }, timed: { to: bound.at } },
    );
  }
  if (query.due_after) {
    const bound = parseDue(query.due_after) as Due;
    due.push(
      bound.allDay
        ? from(bound.text, 1)
        : {
            allDay: { from: allDayKey(addDays(localDate(bound.at, timeZone), 1)) },
            timed: { from: new Date(bound.at.getTime() + 1) },
          },
    );
  }

  const by = query.sort_by ?? query.sort ?? (terms?.length ? 'relevance' : 'created_at');
  // An id beyond PostgreSQL's integers was never given out.
  if (query.list_id !== undefined && query.list_id > 2_147_483_647) throw listNotFound();
  return {
    ...(query.list_id === undefined ? {} : { listId: query.list_id }),
    ...(query.assigned === 'me' ? { assigneeId: userId } : {}),
    ...(completed === undefined ? {} : { completed }),
    ...(query.priority ? { priorities: query.priority } : {}),
    ...(query.tags ? { tags: { names: query.tags, mode: query.tags_mode } } : {}),
    ...(query.due === 'none' ? { noDueDate: true } : {}),
    ...(terms?.length ? { searchTerms: terms } : {}),
    due,
    sort: { by, direction: query.order ?? query.sort_order ?? DEFAULT_DIRECTION[by] },
    limit: query.limit,
    offset: query.offset,
  };
}

/** The first spelling of each name, compared case-insensitively. */
function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Whether a due date falls before `bound`, as `due_before` reads it: a calendar date means the start of that day
 * in the user's zone, and a calendar-date due date is that day.
 */
function isBefore(bound: Due, timeZone: string): (due: Due) => boolean {
  const day = bound.allDay ? bound.text : localDate(bound.at, timeZone);
  const instant = bound.allDay ? startOfDay(bound.text, timeZone) : bound.at;
  return (due) => (due.allDay ? due.text < day : due.at < instant);
}
