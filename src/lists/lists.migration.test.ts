import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { describe, expect, inject, it } from 'vitest';
import { MIGRATIONS_FOLDER, openDatabase, PGLITE_EXTENSIONS } from '../db/database.ts';

describe.skipIf(!inject('pgliteTemplate'))('the migration that brings lists', () => {
  it("gives every existing account an Inbox and puts each task in its owner's", async () => {
    const client = await PGlite.create({
      loadDataDir: new Blob([await readFile(inject('pgliteTemplate') ?? '')]),
      extensions: PGLITE_EXTENSIONS,
    });
    // A database as the version before lists left it: every migration up to 0009.
    await client.exec('drop schema drizzle cascade; drop schema public cascade; create schema public;');
    const older = await mkdtemp(join(tmpdir(), 'doable-lists-migration-'));
    try {
      await cp(MIGRATIONS_FOLDER, older, { recursive: true });
      const journalFile = join(older, 'meta', '_journal.json');
      const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
      journal.entries = journal.entries.filter((entry) => entry.tag < '0010');
      await writeFile(journalFile, JSON.stringify(journal));
      await migrate(drizzle({ client }), { migrationsFolder: older });
    } finally {
      await rm(older, { recursive: true, force: true });
    }
    await client.exec(`
      insert into users (id, email) values ('ann', 'ann@example.com'), ('bob', 'bob@example.com'),
        ('cy', 'cy@example.com');
      insert into tasks (user_id, title) values ('ann', 'one'), ('ann', 'two'), ('bob', 'three');`);

    const database = await openDatabase({ pglite: client });
    await database.migrate();
    const lists = await client.query<{ owner_id: string; name: string; is_inbox: boolean }>(
      'select owner_id, name, is_inbox from lists order by owner_id',
    );
    expect(lists.rows).toEqual([
      { owner_id: 'ann', name: 'Inbox', is_inbox: true },
      { owner_id: 'bob', name: 'Inbox', is_inbox: true },
      { owner_id: 'cy', name: 'Inbox', is_inbox: true },
    ]);
    const tasks = await client.query<{ title: string; owner: string; is_inbox: boolean }>(
      `select t.title, l.owner_id as owner, l.is_inbox from tasks t join lists l on l.id = t.list_id
       order by t.title`,
    );
    expect(tasks.rows).toEqual([
      { title: 'one', owner: 'ann', is_inbox: true },
      { title: 'three', owner: 'bob', is_inbox: true },
      { title: 'two', owner: 'ann', is_inbox: true },
    ]);
    // Sharing (0011) takes the tasks so far as made and last changed by their owners, assigned to nobody.
    const made = await client.query(
      'select distinct user_id = created_by and user_id = updated_by as own, assignee_id from tasks',
    );
    expect(made.rows).toEqual([{ own: true, assignee_id: null }]);
    // An account made after the migration gets its Inbox too, whatever makes the row.
    await client.exec(`insert into users (id, email) values ('dee', 'dee@example.com')`);
    const dee = await client.query('select name from lists where owner_id = $1 and is_inbox', ['dee']);
    expect(dee.rows).toEqual([{ name: 'Inbox' }]);
    // And deleting an account deletes its lists and tasks together.
    await client.exec(`delete from users where id = 'ann'`);
    expect((await client.query(`select from lists where owner_id = 'ann'`)).rows).toHaveLength(0);
    await database.close();
  }, 120_000);
});
