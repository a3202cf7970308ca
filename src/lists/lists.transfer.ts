import { asc, eq, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/database.ts';
import { elements, json } from '../db/json-rows.ts';
import { createListsRepository } from './lists.repository.ts';
import { INVITATIONS_PER_HOUR, LISTS_PER_ACCOUNT, MEMBERS_PER_LIST } from './lists.service.ts';
import { listMembers, lists, type MemberRole } from './lists.tables.ts';

/**
 * What an export and an import of an account read and write of the lists feature's tables, on the handle given, so
 * that the export feature runs it in its own transaction.
 */
export function createListsTransfer(db: Db) {
  return {
    /** The user's own lists, the Inbox first (lists shared with them are their owners'). */
    lists: (userId: string) => createListsRepository(db).own(userId),

    /** Who the user's lists are shared with (members and invitations alike), by list id, as addresses and roles. */
    async members(userId: string): Promise<Map<number, Array<{ email: string; role: MemberRole }>>> {
      const rows = await db
        .select({ list_id: listMembers.list_id, email: listMembers.email, role: listMembers.role })
        .from(listMembers)
        .innerJoin(lists, eq(lists.id, listMembers.list_id))
        .where(eq(lists.owner_id, userId))
        .orderBy(asc(listMembers.created_at), asc(listMembers.id));
      const byList = new Map<number, Array<{ email: string; role: MemberRole }>>();
      for (const { list_id, ...member } of rows)
        byList.set(list_id, [...(byList.get(list_id) ?? []), member]);
      return byList;
    },

    /**
     * Invites these addresses to the user's own lists, as invitations only: an import never makes anyone a member,
     * they accept as anyone invited does. An address invited already, the user's own, an invitation to the Inbox
     * or beyond a list's cap is skipped, and so is any beyond the hour's budget of invitations, which those the
     * user sent in the last hour (by the share dialog too) count against. Returns how many invitations were made.
     */
    async invite(
      userId: string,
      email: string | null,
      invitations: Array<{ list_id: number; email: string; role: MemberRole }>,
    ): Promise<number> {
      if (invitations.length === 0) return 0;
      const result = await db.execute(sql`
        insert into ${listMembers} (list_id, email, role, invited_by)
        select r.list_id, r.email, r.role, ${userId}
        from (
          select i.*, row_number() over (partition by i.list_id order by i.n) as k
          from jsonb_to_recordset(${json(invitations.map((each, n) => ({ ...each, n })))}::jsonb)
            as i(list_id integer, email text, role text, n integer)
        ) r
        join ${lists} l on l.id = r.list_id and l.owner_id = ${userId} and not l.is_inbox
        where r.email is distinct from lower(${email})
          and r.k + (select count(*) from ${listMembers} m where m.list_id = r.list_id) <= ${MEMBERS_PER_LIST}
          and r.n < ${INVITATIONS_PER_HOUR} - (select count(*) from ${listMembers} m
            where m.invited_by = ${userId} and m.created_at > now() - interval '1 hour')
        on conflict (list_id, email) do nothing
        returning id`);
      return rowsOf(result).length;
    },

    /**
     * The ids of the user's lists of these names (compared without case), the ones missing made first, as many as
     * the account may still own (a name beyond gets no list: its tasks go to the Inbox); the Inbox is the account's
     * own. Returns the id by lower-cased name, and the Inbox's id.
     */
    async ensure(userId: string, names: string[]): Promise<{ byName: Map<string, number>; inbox: number }> {
      if (names.length > 0)
        await db.execute(sql`
          insert into ${lists} (owner_id, name)
          select ${userId}, value from (
            select distinct on (lower(value)) value from ${elements(names)}
            where not exists (select from ${lists} l where l.owner_id = ${userId} and lower(l.name) = lower(value))
            order by lower(value)) missing
          limit greatest(0, ${LISTS_PER_ACCOUNT} - (select count(*) from ${lists} l where l.owner_id = ${userId}))
          on conflict do nothing`);
      const rows = await db
        .select({ id: lists.id, name: lists.name, is_inbox: lists.is_inbox })
        .from(lists)
        .where(eq(lists.owner_id, userId));
      const inbox = rows.find((row) => row.is_inbox);
      if (!inbox) throw new Error('the account has no Inbox');
      return { byName: new Map(rows.map((row) => [row.name.toLowerCase(), row.id])), inbox: inbox.id };
    },
  };
}
