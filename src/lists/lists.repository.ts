import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import { type Db, violated } from '../db/database.ts';
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

    /** The new list, or undefined when the user already has one of that name (without case). */
    async insert(userId: string, name: string, now: Date): Promise<ListRecord | undefined> {
      const [row] = await db
        .insert(lists)
        .values({ owner_id: userId, name, created_at: now, updated_at: now })
        .onConflictDoNothing()
        .returning(listColumns);
      return row;
    },

    /** The renamed list, or undefined when another list of the owner has that name (without case). */
    async rename(userId: string, id: number, name: string, now: Date): Promise<ListRecord | undefined> {
      try {
        const [row] = await db
          .update(lists)
          .set({ name, updated_at: now })
          .where(and(eq(lists.id, id), eq(lists.owner_id, userId)))
          .returning(listColumns);
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

    /** The handle this repository runs on, for the tasks' part of a list's deletion in the same transaction. */
    db,
  };
}

export interface ListsRepository extends ReturnType<typeof queries> {
  /** Runs `work` in a transaction with a repository bound to it. */
  transaction<T>(work: (repository: ListsRepository) => Promise<T>): Promise<T>;
}
