import type { PGlite } from '@electric-sql/pglite';
import { describe, expect, inject, it } from 'vitest';
import { pgliteTestCopy } from '../../test/helpers.ts';
import { openDatabase, rowsOf } from '../db/database.ts';
import { createTasksRepository } from './tasks.repository.ts';
import { listQuery } from './tasks.schemas.ts';
import { createTasksService } from './tasks.service.ts';

/** Records every statement the client sends from now on. */
function recordStatements(client: PGlite): string[] {
  const sent: string[] = [];
  const { query, exec } = client;
  client.query = ((text: string, ...rest: unknown[]) => {
    sent.push(text);
    return (query as (...args: unknown[]) => unknown).call(client, text, ...rest);
  }) as PGlite['query'];
  client.exec = ((text: string, ...rest: unknown[]) => {
    sent.push(text);
    return (exec as (...args: unknown[]) => unknown).call(client, text, ...rest);
  }) as PGlite['exec'];
  return sent;
}

// The hot paths' shape, the same on both engines; counted on PGlite, whose client the test can wrap.
describe.skipIf(!inject('pgliteTemplate'))('round trips to the database', () => {
  it('creates a task with new and known tags in one statement, and lists a page with its total in one', async () => {
    const client = await pgliteTestCopy();
    const database = await openDatabase({ pglite: client });
    try {
      const [user] = rowsOf<{ id: string }>(
        await database.db.execute('insert into users (email) values (null) returning id'),
      );
      const userId = user?.id ?? '';
      const service = createTasksService({
        repository: createTasksRepository(database.db),
        clock: () => new Date(),
      });
      await service.createTask(userId, { title: 'First', tags: ['Work'] });

      const sent = recordStatements(client);
      const created = await service.createTask(userId, { title: 'Second', tags: ['work', 'garden'] });
      expect(created.tags).toEqual(['Work', 'garden']);
      expect(sent).toHaveLength(1);

      sent.length = 0;
      const page = await service.list(userId, listQuery.parse({}));
      expect(page.total).toBe(2);
      expect(page.tasks.map((task) => task.tags)).toEqual([['Work', 'garden'], ['Work']]);
      expect(sent).toHaveLength(1);
    } finally {
      await database.close();
    }
  });
});
