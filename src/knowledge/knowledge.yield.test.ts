import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers.ts';
import {
  createKnowledgeRepository,
  type KnowledgeRepository,
  MAX_QUERY_STEMS,
} from './knowledge.repository.ts';
import { CHUNKS_PER_STATEMENT, createKnowledgeService } from './knowledge.service.ts';

/**
 * On the embedded database every statement runs on the event loop's thread, so a large ingest or a question
 * matching most passages must be cut into pieces with turns of the loop between them. These tests count the
 * pieces and check that other work runs meanwhile; the times are measured by `npm run bench:worst`.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** The repository of the test database, counting the chunk inserts made through it and its transactions. */
function countingRepository() {
  const counts = { insertChunks: 0 };
  const wrap = (repository: KnowledgeRepository): KnowledgeRepository => ({
    ...repository,
    insertChunks: (...args) => {
      counts.insertChunks++;
      return repository.insertChunks(...args);
    },
    transaction: (work) => repository.transaction((tx) => work(wrap(tx))),
  });
  return { repository: wrap(createKnowledgeRepository(t.database.db)), counts };
}

const paragraph = (i: number) => `Paragraph ${i} tells how Doable keeps tasks and documents.\n\n`;
/** A document of `sections` sections, each one passage. */
const document = (path: string, sections: number) => ({
  path,
  content: Array.from({ length: sections }, (_, i) => `## Part ${i}\n\n${paragraph(i)}`).join(''),
});

describe('large ingests yield the event loop', () => {
  it('writes a document in batches of chunks, and lets a timer run before a large ingest is done', async () => {
    const { repository, counts } = countingRepository();
    const service = createKnowledgeService({ repository, clock: () => new Date() });
    const sections = CHUNKS_PER_STATEMENT * 3 + 1;
    const order: string[] = [];
    const ingest = service
      .ingest([document('yield/a.md', sections), document('yield/b.md', 2)])
      .then((result) => {
        order.push('ingest');
        return result;
      });
    setTimeout(() => order.push('timer'), 0);
    const [a, b] = await ingest;
    expect(order).toEqual(['timer', 'ingest']);
    expect(a).toMatchObject({ status: 'created', chunks: sections });
    expect(b).toMatchObject({ status: 'created', chunks: 2 });
    expect(counts.insertChunks).toBe(4 + 1);
    // Batches keep the document's order: the positions run on from one statement to the next.
    const stored = await t.database.db.execute(
      `select position, start_line from knowledge_chunks c join knowledge_documents d on d.id = c.document_id
       where d.path = 'yield/a.md' order by position`,
    );
    const rows = (stored as unknown as { rows: Array<{ position: number; start_line: number }> }).rows;
    expect(rows.map((row) => row.position)).toEqual(Array.from({ length: sections }, (_, i) => i));
    expect(rows.map((row) => row.start_line)).toEqual(
      [...rows.map((row) => row.start_line)].sort((x, y) => x - y),
    );
  });
});

describe('a question is bounded work', () => {
  it(`searches only a question's first ${MAX_QUERY_STEMS} stems`, async () => {
    const service = createKnowledgeService({
      repository: createKnowledgeRepository(t.database.db),
      clock: () => new Date(),
    });
    await service.ingest([
      { path: 'stems/docker.md', content: '# Docker\n\nBuild the image with docker build.' },
    ]);
    const filler = Array.from({ length: MAX_QUERY_STEMS }, (_, i) => `zyx${i}qv`).join(' ');
    const first = await service.search(`docker image ${filler}`, { limit: 5 });
    expect(first.map((r) => r.passage.path)).toEqual(['stems/docker.md']);
    expect(await service.search(`${filler} docker image`, { limit: 5 })).toEqual([]);
  });

  it('scores a question matching many passages in slices, with the ranking of one statement', async () => {
    const repository = createKnowledgeRepository(t.database.db);
    const service = createKnowledgeService({ repository, clock: () => new Date() });
    // Passages that all hold "ledger", some more often, so that the ranking has something to order.
    const sections = Array.from(
      { length: 60 },
      (_, i) => `## Entry ${i}\n\nThe ledger ${'ledger '.repeat(i % 7)}keeps entry ${i} of the books.\n\n`,
    ).join('');
    await service.ingest([{ path: 'slices/ledger.md', content: sections }]);
    const query = 'which ledger entry keeps the books';
    const whole = await repository.lexicalSearch(query, 'bm25', 20, Number.POSITIVE_INFINITY);
    const order: string[] = [];
    const sliced = repository.lexicalSearch(query, 'bm25', 20, 7).then((result) => {
      order.push('search');
      return result;
    });
    setTimeout(() => order.push('timer'), 0);
    expect(await sliced).toEqual(whole);
    expect(whole).toHaveLength(20);
    expect(order).toEqual(['timer', 'search']);
  });
});
