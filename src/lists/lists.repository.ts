import { and, asc, desc, eq, type SQL, type Subquery, sql } from 'drizzle-orm';
import { type Db, violated } from '../db/database.ts';
import { eventInsert, publishEvent } from '../events/index.ts';
import { lists } from './lists.tables.ts';

export type ListRecord = typeof lists.$inferSelect;

const listColumns = {
  id: lists.id,
  owner_id: lists.owner_id,
  name: lists.name,
  is_inbox: lists.is_inbox,
  created_at: lists.created_at,
  updated_at: lists.updated_at,
};

/**
 * Who may see a list, decided here only: its owner. Sharing will add the members (a `list_members` table) to
 * this one condition, and every reader of a list (these queries, the tasks' list id) follows.
 */
const visibleTo = (userId: unknown): SQL => sql`${lists.owner_id} = ${userId}`;

/**
 * SQL for the id of the list a task of `userId` goes in: `listId` when the user may see that list, the user's
 * Inbox when `listId` is null, and null otherwise (a list not theirs, or none). Both may be placeholders; the
 * tasks feature writes it into its insert and update, so that checking the list costs no round trip.
 */
export function listIdFor(userId: unknown, listId: unknown): SQL<number | null> {
  return sql<number | null>`(select ${lists.id} from ${lists} where ${visibleTo(userId)} and
    case when ${listId}::integer is null then ${lists.is_inbox} else ${lists.id} = ${listId}::integer end)`;
}

/**
 * SQL for who is told of a change to the list `listId` (an id or SQL for one): the ids of the users who may see
 * it, as a text[] (empty when there is no such list). Decided beside `visibleTo`, and widened with it: today the
 * owner; with sharing, the list's members too. Written into the statement that records the event, at the moment of
 * the change, so that it costs no round trip and a list deleted in the same transaction is still found.
 */
export function listAudienceSql(listId: unknown): SQL<string[]> {
  return sql<string[]>`coalesce((select array[${lists.owner_id}] from ${lists}
    where ${lists.id} = ${listId}::integer), '{}'::text[])`;
}

/**
 * A CTE recording the event of each list a CTE of the same statement wrote, by `userId`, for the list's people. A
 * list made by the statement is not in its snapshot yet, so its audience is read from the row written: a new list
 * has its owner and nobody else.
 */
function eventOf(db: Db, written: Subquery, type: 'list.created' | 'list.updated', userId: string) {
  return db.$with(`${type.replace('.', '_')}_event`, {}).as(
    eventInsert(
      {
        type,
        audience:
          type === 'list.created'
            ? sql<string[]>`array[${written}.owner_id]`
            : listAudienceSql(sql`${written}.id`),
        listId: sql`${written}.id`,
        actorId: userId,
      },
      sql`${written}`,
    ),
  );
}

export function createListsRepository(db: Db): ListsRepository {
  return {
    ...queries(db),
    transaction: (work) => db.transaction((tx) => work(createListsRepository(tx as unknown as Db))),
  };
}

function queries(db: Db) {
  return {
    /** The lists the user sees: the Inbox first, then by name. */
    all(userId: string): Promise<ListRecord[]> {
      return db
        .select(listColumns)
        .from(lists)
        .where(visibleTo(userId))
        .orderBy(desc(lists.is_inbox), asc(sql`lower(${lists.name})`), asc(lists.id));
    },

    /** With `lock`, the row stays locked until the transaction ends. */
    async find(
      userId: string,
      id: number,
      options: { lock?: boolean } = {},
    ): Promise<ListRecord | undefined> {
      const query = db
        .select(listColumns)
        .from(lists)
        .where(and(eq(lists.id, id), visibleTo(userId)));
      const [row] = options.lock ? await query.for('update', { of: lists }) : await query;
      return row;
    },

    /**
     * The new list, or undefined when the user already has one of that name (without case). Its `list.created`
     * event is recorded in the same statement (live updates), so only a list that was made is announced.
     */
    async insert(userId: string, name: string, now: Date): Promise<ListRecord | undefined> {
      const made = db
        .$with('made')
        .as(
          db
            .insert(lists)
            .values({ owner_id: userId, name, created_at: now, updated_at: now })
            .onConflictDoNothing()
            .returning(listColumns),
        );
      const [row] = await db
        .with(made, eventOf(db, made, 'list.created', userId))
        .select()
        .from(made);
      return row;
    },

    /**
     * The renamed list, or undefined when another list of the owner has that name (without case). Its
     * `list.updated` event is recorded in the same statement.
     */
    async rename(userId: string, id: number, name: string, now: Date): Promise<ListRecord | undefined> {
      const renamed = db.$with('renamed').as(
        db
          .update(lists)
          .set({ name, updated_at: now })
          .where(and(eq(lists.id, id), eq(lists.owner_id, userId)))
          .returning(listColumns),
      );
      try {
        const [row] = await db
          .with(renamed, eventOf(db, renamed, 'list.updated', userId))
          .select()
          .from(renamed);
        return row;
      } catch (error) {
        if (violated(error, '23505')) return undefined;
        throw error;
      }
    },

    async delete(userId: string, id: number): Promise<void> {
      await db
        .delete(lists)
        .where(and(eq(lists.id, id), eq(lists.owner_id, userId), eq(lists.is_inbox, false)));
    },

    /**
     * Records the event of a change the user made to a list (live updates), for the people of the list as they
     * are now: call it in the change's transaction, before a deletion, so that it is announced when that commits.
     */
    async recordChange(type: 'list.updated' | 'list.deleted', userId: string, listId: number): Promise<void> {
      await publishEvent(db, { type, audience: listAudienceSql(listId), listId, actorId: userId });
    },

    /** The handle this repository runs on, for the tasks' part of a list's deletion in the same transaction. */
    db,
  };
}

export interface ListsRepository extends ReturnType<typeof queries> {
  /** Runs `work` in a transaction with a repository bound to it. */
  transaction<T>(work: (repository: ListsRepository) => Promise<T>): Promise<T>;
}
