import { setImmediate as nextTurn } from 'node:timers/promises';
import { createConversationsTransfer } from '../assistant/index.ts';
import { createAccountTransfer, userGone } from '../auth/index.ts';
import type { Db } from '../db/database.ts';
import { instanceId } from '../db/instance.ts';
import { publishEvent, usersAudience } from '../events/index.ts';
import { createListsTransfer } from '../lists/index.ts';
import {
  buildTasksService,
  createTasksTransfer,
  listQuery,
  parseDue,
  TASKS_PER_ACCOUNT,
  type TaskResponse,
  type TaskToImport,
  tooManyTasks,
} from '../tasks/index.ts';
import {
  type ExportDocument,
  FORMAT,
  type ImportDocument,
  type ImportResult,
  VERSION,
} from './export.schemas.ts';

export interface ExportServiceDeps {
  db: Db;
  clock: () => Date;
}

const PAGE = '200';

/**
 * Rows per statement of an import, measured on the embedded database, where a statement runs on the main thread
 * for as long as PostgreSQL works on it: 100 tasks (their tags looked up) took 25-40 ms on a loaded two-core
 * machine, and up to 90 when PostgreSQL started a WAL segment, so 50. Messages are also cut by size, since one
 * may hold 100 kB.
 */
export const IMPORT_BATCH = {
  lookups: 1_000,
  tasks: 50,
  completions: 1_000,
  conversations: 500,
  messages: 250,
};
const MESSAGE_BATCH_CHARS = 512 * 1024;
/** What a tool call is counted as, in characters, when messages are cut by size (without serialising it). */
const TOOL_CALL_CHARS = 1_000;

/**
 * `items` cut into runs of at most `rows` items and (when `size` is given) about `chars` characters. The first
 * runs are smaller (an eighth, doubling): a table's first statement of a process also pays for its cold caches.
 */
function* batches<T>(items: T[], rows: number, size?: (item: T) => number, chars = Infinity): Generator<T[]> {
  let batch: T[] = [];
  let total = 0;
  let limit = Math.ceil(rows / 8);
  for (const item of items) {
    const weight = size?.(item) ?? 0;
    if (batch.length > 0 && (batch.length >= limit || total + weight > chars)) {
      yield batch;
      batch = [];
      total = 0;
      limit = Math.min(rows, limit * 2);
    }
    batch.push(item);
    total += weight;
  }
  if (batch.length > 0) yield batch;
}

/**
 * Runs `write` on each batch of `items` in turn, giving the event loop a turn before each: on the embedded
 * database a statement holds the main thread, and awaiting one resolves without letting other requests in.
 */
async function inBatches<T, R>(
  items: T[],
  rows: number,
  write: (batch: T[]) => Promise<R>,
  size?: (item: T) => number,
  chars?: number,
): Promise<R[]> {
  const results: R[] = [];
  for (const batch of batches(items, rows, size, chars)) {
    await nextTurn();
    results.push(await write(batch));
  }
  return results;
}

const merged = <K, V>(maps: Array<Map<K, V>>) => new Map(maps.flatMap((map) => [...map]));

/**
 * Export and import of everything a user owns. A record's identity across instances is its origin: where it was
 * first made (`<instance id>/tasks/<id>`), kept in `import_source` when it is imported and exported again as it
 * was. An import adds the records whose origin the account does not hold yet (imported before, or the very
 * original), so importing a file twice, or a file that came back from another instance, adds nothing twice.
 */
export function createExportService({ db, clock }: ExportServiceDeps) {
  return {
    async exportFor(userId: string): Promise<ExportDocument> {
      const here = await instanceId(db);
      // One snapshot: a task completed while the export runs is in it either before or after, never half.
      return db.transaction(
        async (tx) => {
          const taskRecords = createTasksTransfer(tx);
          const conversationRecords = createConversationsTransfer(tx);
          const account = createAccountTransfer(tx);
          const tasksService = buildTasksService({ db: tx, clock });
          const profile = await account.profile(userId);
          if (!profile) throw userGone();

          const tasks: TaskResponse[] = [];
          for (let total = 1; tasks.length < total; ) {
            const query = { status: 'all', sort_by: 'created_at', order: 'asc', limit: PAGE };
            // The user's own tasks: those of lists shared with them are their owners'.
            const page = await tasksService.list(
              userId,
              listQuery.parse({ ...query, offset: String(tasks.length) }),
              { own: true },
            );
            if (page.tasks.length === 0) break;
            tasks.push(...page.tasks);
            total = page.total;
          }
          const sources = new Map(
            (await taskRecords.importedTasks(userId)).map((t) => [t.id, t.import_source]),
          );
          const completions = Map.groupBy(await taskRecords.completions(userId), (c) => c.task_id);

          const conversations = await conversationRecords.conversations(userId);
          const exported: ExportDocument['conversations'] = [];
          for (const conversation of conversations) {
            const messages = await conversationRecords.messages(conversation.id);
            exported.push({
              origin: conversation.import_source ?? `${here}/conversations/${conversation.id}`,
              id: conversation.id,
              title: conversation.title,
              created_at: conversation.created_at.toISOString(),
              updated_at: conversation.updated_at.toISOString(),
              messages: messages.map((message) => ({
                role: message.role as 'user' | 'assistant',
                content: message.content,
                tool_calls: (message.tool_calls as ExportedToolCall[] | null) ?? [],
                created_at: message.created_at.toISOString(),
              })),
            });
          }

          return {
            format: FORMAT,
            version: VERSION,
            exported_at: clock().toISOString(),
            profile,
            tags: (await taskRecords.tagNames(userId)).map((tag) => tag.name),
            lists: await exportedLists(tx, userId),
            // Who made, changed or was given a task are accounts of this instance: not carried to another.
            tasks: tasks.map(({ user_id: _o, created_by: _c, updated_by: _u, assignee_id: _a, ...task }) => ({
              ...task,
              origin: sources.get(task.id) ?? `${here}/tasks/${task.id}`,
              completions: (completions.get(task.id) ?? []).map((c) => ({
                due_date: c.due_date,
                completed_at: c.completed_at.toISOString(),
              })),
            })),
            conversations: exported,
            api_tokens: await account.apiTokens(userId),
          };
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      );
    },

    /** Adds what the account does not hold yet, all of it or (on any failure) nothing. */
    async importInto(userId: string, document: ImportDocument): Promise<ImportResult> {
      const here = await instanceId(db);
      // One transaction, written in batches with turns of the event loop between them: all or nothing still.
      return db.transaction(async (tx) => {
        const taskRecords = createTasksTransfer(tx);
        const conversationRecords = createConversationsTransfer(tx);
        const origins = [...document.tasks, ...document.conversations].map((record) => record.origin);
        const found = await inBatches(origins, IMPORT_BATCH.lookups, async (batch) => ({
          tasks: await taskRecords.importedIds(userId, batch),
          conversations: await conversationRecords.importedIds(userId, batch),
        }));
        const imported = {
          tasks: merged(found.map((f) => f.tasks)),
          conversations: merged(found.map((f) => f.conversations)),
        };
        const originals = async (kind: 'tasks' | 'conversations') => {
          const records = kind === 'tasks' ? document.tasks : document.conversations;
          const ids = records.flatMap((record) => idMadeHere(record.origin, here, kind) ?? []);
          const own = await inBatches(ids, IMPORT_BATCH.lookups, (batch) =>
            kind === 'tasks' ? taskRecords.ownIds(userId, batch) : conversationRecords.ownIds(userId, batch),
          );
          return new Map(own.flat().map((id) => [`${here}/${kind}/${id}`, id]));
        };
        const held = {
          tasks: new Map([...imported.tasks, ...(await originals('tasks'))]),
          conversations: new Map([...imported.conversations, ...(await originals('conversations'))]),
        };

        // Lists are matched by name (without case), the missing ones made; the file's Inbox is the account's.
        const fileLists = document.lists ?? [];
        const listRecords = createListsTransfer(tx);
        const before = (await listRecords.lists(userId)).length;
        const known = await listRecords.ensure(
          userId,
          fileLists.filter((list) => !list.is_inbox).map((list) => list.name),
        );
        const listIds = new Map(
          fileLists.map((list) => [
            list.id,
            list.is_inbox ? known.inbox : (known.byName.get(list.name.toLowerCase()) ?? known.inbox),
          ]),
        );

        // Who the lists were shared with is invited again: an import never makes anyone a member.
        const invitations = await listRecords.invite(
          userId,
          (await createAccountTransfer(tx).profile(userId))?.email ?? null,
          fileLists.flatMap((list) => {
            const id = list.is_inbox ? undefined : known.byName.get(list.name.toLowerCase());
            return id === undefined
              ? []
              : (list.members ?? []).map((member) => ({
                  list_id: id,
                  email: member.email,
                  role: member.role,
                }));
          }),
        );

        const newTasks = unseen(document.tasks, held.tasks);
        // All or nothing: an import that would take the account past its tasks writes none of them.
        if ((await taskRecords.ownedCount(userId)) + newTasks.length > TASKS_PER_ACCOUNT)
          throw tooManyTasks(TASKS_PER_ACCOUNT, true);
        const tagNames = [...document.tags, ...newTasks.flatMap((task) => task.tags ?? [])];
        const added = await inBatches(uniqueIgnoringCase(tagNames), IMPORT_BATCH.tasks, (batch) =>
          taskRecords.addTags(userId, batch),
        );
        const tags = added.reduce((sum, count) => sum + count, 0);
        // Tags are kept on the task as the user's vocabulary spells them ("home" from the file may be "Home" here).
        const spelling = new Map(
          (await taskRecords.tagNames(userId)).map(({ name }) => [name.toLowerCase(), name]),
        );
        const createdTasks = merged(
          await inBatches(newTasks, IMPORT_BATCH.tasks, (batch) =>
            taskRecords.insertTasks(
              userId,
              batch.map((task) => taskRow(task, spelling, listIds)),
            ),
          ),
        );
        await inBatches(
          newTasks.flatMap((task) => {
            const id = createdTasks.get(task.origin);
            return id === undefined ? [] : task.completions.map((c) => ({ task_id: id, ...c }));
          }),
          IMPORT_BATCH.completions,
          (batch) => taskRecords.insertCompletions(batch),
        );

        // Tool calls name tasks by their ids in the file: they are given the ids the same tasks have here.
        const taskIds = new Map<number, number>();
        for (const task of document.tasks) {
          const id = held.tasks.get(task.origin) ?? createdTasks.get(task.origin);
          if (id !== undefined && !taskIds.has(task.id)) taskIds.set(task.id, id);
        }
        const newConversations = unseen(document.conversations, held.conversations);
        const createdConversations = merged(
          await inBatches(newConversations, IMPORT_BATCH.conversations, (batch) =>
            conversationRecords.insertConversations(
              userId,
              batch.map(({ origin, title, created_at, updated_at }) => ({
                import_source: origin,
                title,
                created_at,
                updated_at,
              })),
            ),
          ),
        );
        const messages = newConversations.flatMap((conversation) => {
          const id = createdConversations.get(conversation.origin);
          return id === undefined ? [] : conversation.messages.map((message) => ({ id, message }));
        });
        // Tool calls are rewritten batch by batch, as they are written: 10,000 of them take about 50 ms.
        await inBatches(
          messages,
          IMPORT_BATCH.messages,
          (batch) =>
            conversationRecords.insertMessages(
              batch.map(({ id, message }) => ({
                conversation_id: id,
                role: message.role,
                content: message.content,
                tool_calls:
                  message.tool_calls.length === 0
                    ? null
                    : message.tool_calls.map((call) => remap(call, taskIds, userId)),
                created_at: message.created_at,
              })),
            ),
          ({ message }) => message.content.length + TOOL_CALL_CHARS * message.tool_calls.length,
          MESSAGE_BATCH_CHARS,
        );

        // Thousands of tasks may have come: one event says to re-read everything, rather than one per task.
        const listsMade = known.byName.size - before;
        if (createdTasks.size > 0 || listsMade > 0)
          await publishEvent(tx, { type: 'tasks.reset', audience: usersAudience([userId]), actorId: userId });

        return {
          tasks: { created: createdTasks.size, skipped: document.tasks.length - createdTasks.size },
          conversations: {
            created: createdConversations.size,
            skipped: document.conversations.length - createdConversations.size,
          },
          messages: messages.length,
          tags,
          lists: listsMade,
          invitations,
        };
      });
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;

/** The user's own lists, each with who it is shared with (members and invitations alike) by address and role. */
async function exportedLists(db: Db, userId: string): Promise<ExportDocument['lists']> {
  const transfer = createListsTransfer(db);
  const members = await transfer.members(userId);
  return (await transfer.lists(userId)).map((list) => ({
    id: list.id,
    name: list.name,
    is_inbox: list.is_inbox,
    created_at: list.created_at.toISOString(),
    updated_at: list.updated_at.toISOString(),
    members: members.get(list.id) ?? [],
  }));
}

type ExportedToolCall = ExportDocument['conversations'][number]['messages'][number]['tool_calls'][number];

/** The id of a record this very instance made, from its origin; undefined for one made elsewhere. */
function idMadeHere(origin: string, here: string, kind: string): number | undefined {
  const prefix = `${here}/${kind}/`;
  if (!origin.startsWith(prefix)) return undefined;
  const id = Number(origin.slice(prefix.length));
  return Number.isSafeInteger(id) && id >= 1 && id <= 2_147_483_647 ? id : undefined;
}

/** The records whose origin the account does not hold, each origin once. */
function unseen<T extends { origin: string }>(records: T[], held: Map<string, number>): T[] {
  const seen = new Set(held.keys());
  return records.filter((record) => !seen.has(record.origin) && seen.add(record.origin));
}

function uniqueIgnoringCase(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase()));
}

function taskRow(
  task: ImportDocument['tasks'][number],
  spelling: Map<string, string>,
  listIds: Map<number, number>,
): TaskToImport {
  const due = task.due_date ? parseDue(task.due_date) : undefined;
  return {
    import_source: task.origin,
    list_id: (task.list_id === undefined ? undefined : listIds.get(task.list_id)) ?? null,
    title: task.title,
    description: task.description ?? null,
    completed: task.completed,
    completed_at: task.completed_at,
    priority: task.priority,
    due_date: due?.text ?? null,
    due_at: due?.at.toISOString() ?? null,
    due_all_day: due?.allDay ?? false,
    recurrence: task.recurrence ?? null,
    tags: uniqueIgnoringCase(task.tags ?? []).map((name) => spelling.get(name.toLowerCase()) ?? name),
    created_at: task.created_at,
    updated_at: task.updated_at,
  };
}

/**
 * A stored tool call with the task ids of the file replaced by the ids here, and tasks shown as this user's.
 * An id the file does not list becomes null rather than pointing at whatever task has it here. The depth is
 * bounded by the schema.
 */
function remap(value: unknown, taskIds: Map<number, number>, userId: string): unknown {
  if (Array.isArray(value)) return value.map((item) => remap(item, taskIds, userId));
  if (value === null || typeof value !== 'object') return value;
  const object: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) object[key] = remap(child, taskIds, userId);
  if (typeof object.task_id === 'number') object.task_id = taskIds.get(object.task_id) ?? null;
  if (typeof object.id === 'number' && typeof object.user_id === 'string') {
    object.id = taskIds.get(object.id) ?? null;
    object.user_id = userId;
  }
  return object;
}
