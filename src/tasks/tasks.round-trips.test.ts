import type { PGlite } from '@electric-sql/pglite';
import { describe, expect, inject, it } from 'vitest';
import { pgliteTestCopy } from '../../test/helpers.ts';
import { openDatabase, rowsOf } from '../db/database.ts';
import { createTasksRepository } from './tasks.repository.ts';
import { listQuery } from './tasks.schemas.ts';
import { createTasksService } from './tasks.service.ts';

/**
 * Records every statement the client runs from now on, as the protocol carries it: a simple Query (exec) by its
 * text, an Execute (query(), named or unnamed) as `execute`. The client's own query() and the named statements
 * Doable's client runs (see pglite-statements.ts) both end in execProtocolStream.
 */
function recordStatements(client: PGlite): string[] {
  const sent: string[] = [];
  const { execProtocolStream } = client;
  client.execProtocolStream = ((message: Uint8Array, ...rest: unknown[]) => {
    const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
    for (let offset = 0; offset < message.length; offset += 1 + view.getInt32(offset + 1)) {
      const type = String.fromCharCode(view.getUint8(offset));
      if (type === 'Q')
        sent.push(
          new TextDecoder().decode(message.subarray(offset + 5, offset + 1 + view.getInt32(offset + 1) - 1)),
        );
      if (type === 'E') sent.push('execute');
    }
    return (execProtocolStream as (...args: unknown[]) => unknown).call(client, message, ...rest);
  }) as PGlite['execProtocolStream'];
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
