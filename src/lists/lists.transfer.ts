import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { elements } from '../db/json-rows.ts';
import { createListsRepository } from './lists.repository.ts';
import { lists } from './lists.tables.ts';

/**
 * What an export and an import of an account read and write of the lists feature's table, on the handle given, so
 * that the export feature runs it in its own transaction.
 */
export function createListsTransfer(db: Db) {
  return {
    /** The user's lists, the Inbox first. */
    lists: (userId: string) => createListsRepository(db).all(userId),

    /**
     * The ids of the user's lists of these names (compared without case), the ones missing made first; the Inbox
     * is the account's own. Returns the id by lower-cased name, and the Inbox's id.
     */
    async ensure(userId: string, names: string[]): Promise<{ byName: Map<string, number>; inbox: number }> {
      if (names.length > 0)
        await db.execute(sql`
          insert into ${lists} (owner_id, name)
          select distinct on (lower(value)) ${userId}, value from ${elements(names)} order by lower(value)
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
