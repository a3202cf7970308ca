import { and, asc, desc, eq, type SQL, type Subquery, sql } from 'drizzle-orm';
import { accountsWithEmails } from '../auth/index.ts';
import { type Db, rowsOf, transactionOn, violated } from '../db/database.ts';
import { eitherAudience, eventInsert, publishEvent } from '../events/index.ts';
import { listMembers, lists, type MemberRole } from './lists.tables.ts';

/** What a user is to a list they see. */
export type ListRole = 'owner' | MemberRole;

export type ListRecord = typeof lists.$inferSelect;
/** A list as one user sees it: their role, and whether it has members. */
export type SeenList = ListRecord & { role: ListRole; shared: boolean };
export type MemberRecord = typeof listMembers.$inferSelect;

const listColumns = {
  id: lists.id,
  owner_id: lists.owner_id,
  name: lists.name,
  is_inbox: lists.is_inbox,
  created_at: lists.created_at,
  updated_at: lists.updated_at,
};

/**
 * The ids of the lists shared with the user (their active memberships), as SQL of an integer array: an index-only
 * read of list_members (user_id, list_id). A user id is set on a membership exactly when it is active.
 */
export const sharedListIds = (userId: unknown): SQL<number[]> => sql<number[]>`array(${sharedLists(userId)})`;

/**
 * The same as a subquery (`list_id in (…)`), where the planner should know how few rows it gives: it then reads
 * each list's tasks on their index, where an array it cannot see into may be guessed to hold most lists.
 */
export const sharedLists = (userId: unknown): SQL =>
  sql`select ${listMembers.list_id} from ${listMembers} where ${listMembers.user_id} = ${userId}`;

/** SQL selecting the owners of the lists shared with the user (one row each, or none). */
export const sharedListOwners = (userId: unknown): SQL =>
  sql`select distinct ${lists.owner_id} from ${lists} where ${lists.id} = any(${sharedListIds(userId)})`;

/** The ids of the lists shared with the user as an editor. */
export const editableListIds = (userId: unknown): SQL<number[]> =>
  sql<number[]>`array(select ${listMembers.list_id} from ${listMembers}
    where ${listMembers.user_id} = ${userId} and ${listMembers.role} = 'editor')`;

/**
 * Who may see a list, decided here only: its owner and its active members (never a pending invitee). Every
 * reader of a list (these queries, the tasks' visibility through `sharedListIds`) follows it.
 */
const visibleTo = (userId: unknown): SQL =>
  sql`(${lists.owner_id} = ${userId} or ${lists.id} = any(${sharedListIds(userId)}))`;

/** Who may change a list's tasks: its owner and its editors. Renaming, deleting and sharing are the owner's. */
const writableBy = (userId: unknown): SQL =>
  sql`(${lists.owner_id} = ${userId} or ${lists.id} = any(${editableListIds(userId)}))`;

/**
 * The user's role in the list of the row, for a user who sees it. Written with the tables' names: Drizzle leaves
 * the columns of a one-table query unqualified, and `id` in the subquery would be the membership's.
 */
const roleOf = (userId: unknown) =>
  sql<ListRole>`case when ${lists}.owner_id = ${userId} then 'owner'
    else (select m.role from ${listMembers} m where m.list_id = ${lists}.id and m.user_id = ${userId}) end`;

/** Whether the list of the row has an active member. */
const sharedColumn = sql<boolean>`exists (select from ${listMembers} m
  where m.list_id = ${lists}.id and m.status = 'active')`;

/**
 * SQL for the id of the list a task of `actor` goes in: `listId` when the actor may change its tasks (owner or
 * editor), the actor's own Inbox when `listId` is null, and null otherwise (a list they only view, one not theirs,
 * or none). Both may be placeholders; the tasks feature writes it into its insert and update, so that checking the
 * list costs no round trip.
 */
export function writableListId(actor: unknown, listId: unknown): SQL<number | null> {
  return sql<number | null>`(select ${lists.id} from ${lists}
    where case when ${listId}::integer is null then ${lists.owner_id} = ${actor} and ${lists.is_inbox}
      else ${lists.id} = ${listId}::integer and ${writableBy(actor)} end)`;
}

/**
 * SQL for the id of one of the user's own lists: `listId` when the user owns it, their Inbox when `listId` is
 * null, null otherwise. For what a user writes into their own account only (an import).
 */
export function ownListIdFor(userId: unknown, listId: unknown): SQL<number | null> {
  return sql<number | null>`(select ${lists.id} from ${lists} where ${lists.owner_id} = ${userId} and
    case when ${listId}::integer is null then ${lists.is_inbox} else ${lists.id} = ${listId}::integer end)`;
}

/**
 * SQL: whether `userId` may be given a task of list `listId`, that is, is its owner or an active member. Both may
 * be SQL (a column, a placeholder).
 */
export function assignableIn(listId: unknown, userId: unknown): SQL<boolean> {
  return sql<boolean>`(exists (select from ${lists} where ${lists.id} = ${listId} and ${lists.owner_id} = ${userId})
    or exists (select from ${listMembers} where ${listMembers.list_id} = ${listId} and ${listMembers.user_id} = ${userId}))`;
}

/**
 * SQL for who is told of a change to the list `listId` (an id or SQL for one): the ids of the users who may see
 * it, as a text[] (empty when there is no such list): its owner and its active members, as `visibleTo` decides.
 * Written into the statement that records the event, at the moment of
 * the change, so that it costs no round trip and a list deleted in the same transaction is still found.
 */
export function listAudienceSql(listId: unknown): SQL<string[]> {
  return sql<string[]>`coalesce((select array[${lists.owner_id}] || array(select ${listMembers.user_id}
      from ${listMembers} where ${listMembers.list_id} = ${lists.id} and ${listMembers.status} = 'active')
    from ${lists} where ${lists.id} = ${listId}::integer), '{}'::text[])`;
}

/** SQL for the accounts whose address has a pending invitation to the list `listId`, as a text[]. */
function inviteesSql(listId: unknown): SQL<string[]> {
  return accountsWithEmails(sql<string[]>`array(select ${listMembers.email} from ${listMembers}
    where ${listMembers.list_id} = ${listId}::integer and ${listMembers.status} = 'invited')`);
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
        // A rename reaches the accounts invited to the list too: their invitation shows its name.
        audience:
          type === 'list.created'
            ? sql<string[]>`array[${written}.owner_id]`
            : eitherAudience(listAudienceSql(sql`${written}.id`), inviteesSql(sql`${written}.id`)),
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
    transaction: (work) => transactionOn(db, createListsRepository, work),
  };
}

function queries(db: Db) {
  const seenColumns = (userId: string) => ({ ...listColumns, role: roleOf(userId), shared: sharedColumn });
  async function member(listId: number, memberId: number): Promise<MemberRecord | undefined> {
    const [row] = await db
      .select()
      .from(listMembers)
      .where(and(eq(listMembers.list_id, listId), eq(listMembers.id, memberId)));
    return row;
  }
  return {
    /** The lists the user sees, with their role: the Inbox first, then by name (theirs first on a tie). */
    all(userId: string): Promise<SeenList[]> {
      return db
        .select(seenColumns(userId))
        .from(lists)
        .where(visibleTo(userId))
        .orderBy(
          desc(lists.is_inbox),
          asc(sql`lower(${lists.name})`),
          desc(sql`${lists.owner_id} = ${userId}`),
          asc(lists.id),
        );
    },

    /** The user's own lists, the Inbox first. */
    own(userId: string): Promise<ListRecord[]> {
      return db
        .select(listColumns)
        .from(lists)
        .where(eq(lists.owner_id, userId))
        .orderBy(desc(lists.is_inbox), asc(sql`lower(${lists.name})`), asc(lists.id));
    },

    /** A list the user sees, with their role. With `lock`, the row stays locked until the transaction ends. */
    async find(userId: string, id: number, options: { lock?: boolean } = {}): Promise<SeenList | undefined> {
      const query = db
        .select(seenColumns(userId))
        .from(lists)
        .where(and(eq(lists.id, id), visibleTo(userId)));
      const [row] = options.lock ? await query.for('update', { of: lists }) : await query;
      return row;
    },

    /** How many lists the user owns, the Inbox included. */
    ownCount: (userId: string): Promise<number> => db.$count(lists, eq(lists.owner_id, userId)),

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

    /** The list's members and invitations, in the order they were invited. */
    members(listId: number): Promise<MemberRecord[]> {
      return db
        .select()
        .from(listMembers)
        .where(eq(listMembers.list_id, listId))
        .orderBy(asc(listMembers.created_at), asc(listMembers.id));
    },

    member,

    memberCount: (listId: number): Promise<number> => db.$count(listMembers, eq(listMembers.list_id, listId)),

    /**
     * Invites an address (lower-cased) with a role, or gives the role to the one already invited or a member.
     * Returns the row, and whether it is new.
     */
    async invite(values: {
      list_id: number;
      email: string;
      role: MemberRole;
      invited_by: string;
      now: Date;
    }): Promise<{ member: MemberRecord; created: boolean }> {
      const { now, ...invited } = values;
      const result = await db.execute(sql`
        insert into ${listMembers} (list_id, email, role, invited_by, created_at)
        values (${invited.list_id}, ${invited.email}, ${invited.role}, ${invited.invited_by},
          ${now.toISOString()}::timestamptz)
        on conflict (list_id, email) do update set role = excluded.role
        returning id, (xmax = 0) as created`);
      const [row] = rowsOf<{ id: number; created: boolean }>(result);
      if (!row) throw new Error('invite returned no row');
      const written = await member(invited.list_id, row.id);
      if (!written) throw new Error('invite wrote no row');
      return { member: written, created: row.created };
    },

    async setRole(listId: number, memberId: number, role: MemberRole): Promise<MemberRecord | undefined> {
      const [row] = await db
        .update(listMembers)
        .set({ role })
        .where(and(eq(listMembers.list_id, listId), eq(listMembers.id, memberId)))
        .returning();
      return row;
    },

    async removeMember(listId: number, memberId: number): Promise<MemberRecord | undefined> {
      const [row] = await db
        .delete(listMembers)
        .where(and(eq(listMembers.list_id, listId), eq(listMembers.id, memberId)))
        .returning();
      return row;
    },

    /**
     * The invitations waiting for an address (compared without case), of lists the user does not own (an owner
     * whose address changed to one invited to their own list is not their own member).
     */
    invitationsFor(userId: string, email: string) {
      return db
        .select({
          list_id: listMembers.list_id,
          list_name: lists.name,
          role: listMembers.role,
          invited_by: listMembers.invited_by,
          invited_at: listMembers.created_at,
        })
        .from(listMembers)
        .innerJoin(lists, eq(lists.id, listMembers.list_id))
        .where(
          and(
            sql`lower(${listMembers.email}) = lower(${email})`,
            eq(listMembers.status, 'invited'),
            sql`${lists.owner_id} <> ${userId}`,
          ),
        )
        .orderBy(asc(listMembers.created_at), asc(listMembers.id));
    },

    /**
     * Accepts the user's invitation to the list (by the account's address): the membership becomes active.
     * Undefined when there is none. When the user is already a member (invited again under another address),
     * the invitation is dropped and the membership they have is kept.
     */
    async accept(userId: string, email: string, listId: number): Promise<MemberRecord | undefined> {
      const invited = and(
        eq(listMembers.list_id, listId),
        sql`lower(${listMembers.email}) = lower(${email})`,
        eq(listMembers.status, 'invited'),
        sql`not exists (select from ${lists} where ${lists.id} = ${listId} and ${lists.owner_id} = ${userId})`,
      );
      try {
        const [row] = await db
          .update(listMembers)
          .set({ user_id: userId, status: 'active' })
          .where(invited)
          .returning();
        return row;
      } catch (error) {
        if (!violated(error, '23505')) throw error;
        const [dropped] = await db.delete(listMembers).where(invited).returning();
        if (!dropped) return undefined;
        const [kept] = await db
          .select()
          .from(listMembers)
          .where(and(eq(listMembers.list_id, listId), eq(listMembers.user_id, userId)));
        return kept;
      }
    },

    /**
     * Ends the user's part in a list: their membership, or the invitation to their address (declining it).
     * Returns what was removed, if anything.
     */
    async leave(userId: string, email: string | null, listId: number): Promise<MemberRecord[]> {
      return db
        .delete(listMembers)
        .where(
          and(
            eq(listMembers.list_id, listId),
            email === null
              ? eq(listMembers.user_id, userId)
              : sql`(${listMembers.user_id} = ${userId} or (${listMembers.status} = 'invited'
                  and lower(${listMembers.email}) = lower(${email})))`,
          ),
        )
        .returning();
    },

    /**
     * Records that who is on a list changed (an invitation, a role, someone joining, leaving or removed), for the
     * list's people as they are now and `others` (SQL for a text[]: who left, or the accounts of an address
     * invited), so that every open page concerned reads its lists, members and invitations again.
     */
    async recordMembership(userId: string, listId: number, others?: SQL<string[]>): Promise<void> {
      const audience = others ? eitherAudience(listAudienceSql(listId), others) : listAudienceSql(listId);
      await publishEvent(db, { type: 'list.updated', audience, listId, actorId: userId });
    },

    /**
     * Records the event of a change the user made to a list (live updates), for the people of the list as they
     * are now: call it in the change's transaction, before a deletion, so that it is announced when that commits.
     * A deletion is told to the accounts invited to the list too, whose pages show the invitation (as they were
     * told of it, and of its withdrawal); joining it would now be a 404.
     */
    async recordChange(type: 'list.updated' | 'list.deleted', userId: string, listId: number): Promise<void> {
      const audience =
        type === 'list.deleted'
          ? eitherAudience(listAudienceSql(listId), inviteesSql(listId))
          : listAudienceSql(listId);
      await publishEvent(db, { type, audience, listId, actorId: userId });
    },

    /** The handle this repository runs on, for the tasks' part of a list's deletion in the same transaction. */
    db,
  };
}

export interface ListsRepository extends ReturnType<typeof queries> {
  /** Runs `work` in a transaction with a repository bound to it. */
  transaction<T>(work: (repository: ListsRepository) => Promise<T>): Promise<T>;
}
