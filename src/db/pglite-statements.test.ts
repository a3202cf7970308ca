import { PGlite, type QueryOptions, types } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedTexts, withNamedStatements } from './pglite-statements.ts';

/** Drizzle's own parsers (drizzle-orm/pglite/session.js): timestamps and dates stay strings. */
const asText = (value: string) => value;
const drizzleOptions: QueryOptions = {
  rowMode: 'array',
  parsers: { [types.TIMESTAMPTZ]: asText, [types.DATE]: asText, [types.TIMESTAMP]: asText },
};

const SELECT = `select id, title, n, big, done, at, day, tags, data from items
  where (id = $1 or $1::int is null) and (title = $2 or $2::text is null) and done = $3 order by id`;

describe('named statements on PGlite', () => {
  let plain: PGlite;
  let named: PGlite;

  beforeAll(async () => {
    plain = await PGlite.create();
    named = withNamedStatements(plain);
    await plain.exec(`
      create table items (
        id int primary key, title text not null unique, n int, big bigint, done boolean not null,
        at timestamptz, day date, tags text[], data jsonb
      );
      create table children (id int primary key, item_id int not null
        constraint children_item_fk references items(id));
      insert into items values
        (1, 'one', 7, 9007199254740993, true, '2026-12-04 10:00:00+00', '2026-12-05', '{a,"b c"}', '{"x": [1, 2]}'),
        (2, 'two', null, null, true, null, null, '{}', null),
        (3, 'three', -1, 0, false, '2026-01-01 00:00:00.123+00', '2026-01-01', null, '"s"');
    `);
  });
  afterAll(async () => {
    await plain.close();
  });

  it('answers as PGlite does, from the second call on with the statement kept prepared', async () => {
    const cases: Array<[unknown[], QueryOptions | undefined]> = [
      [[null, null, true], undefined],
      [[1, null, true], drizzleOptions],
      [[null, 'three', false], undefined],
      [[null, null, false], drizzleOptions],
      [[2, 'two', true], undefined],
    ];
    for (const [params, options] of cases) {
      const expected = await plain.query(SELECT, params, options);
      expect(await named.query(SELECT, params, options)).toEqual(expected);
    }
    expect(preparedTexts(named)).toEqual([SELECT]);
    const [row] = (
      await named.query<{ big: bigint; tags: string[]; data: unknown; at: Date }>(SELECT, [1, null, true])
    ).rows;
    expect(row).toMatchObject({ big: 9007199254740993n, tags: ['a', 'b c'], data: { x: [1, 2] } });
    expect(row?.at).toEqual(new Date('2026-12-04T10:00:00Z'));
  });

  it('serialises parameters by their types: arrays, json, timestamps, bigints, booleans', async () => {
    const insert = `insert into items (id, title, n, big, done, at, day, tags, data)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *`;
    const at = new Date('2026-06-01T12:34:56.789Z');
    for (const id of [10, 11, 12]) {
      const { rows } = await named.query(insert, [
        id,
        `item ${id}`,
        id * 2,
        10n ** 15n + BigInt(id),
        id % 2 === 0,
        at,
        `2026-06-0${id - 9}`,
        ['x', 'y "z"', null],
        { id, list: [true, null] },
      ]);
      expect(rows).toEqual((await plain.query('select * from items where id = $1', [id])).rows);
      expect(rows[0]).toMatchObject({ at, tags: ['x', 'y "z"', null], data: { id, list: [true, null] } });
    }
    expect(preparedTexts(named)).toContain(insert);
    await plain.exec('delete from items where id >= 10');
  });

  it('raises the errors PGlite raises, with code and constraint, and goes on answering', async () => {
    const insert = 'insert into items (id, title, done) values ($1, $2, $3)';
    const child = 'insert into children (id, item_id) values ($1, $2)';
    for (const id of [20, 21]) await named.query(insert, [id, `t${id}`, true]);
    for (const id of [1, 2]) await named.query(child, [id, 1]);
    expect(preparedTexts(named)).toEqual(expect.arrayContaining([insert, child]));

    const caught = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      );
    const duplicate = await caught(named.query(insert, [22, 'one', true]));
    const expected = await caught(plain.query(insert, [22, 'one', true]));
    expect(duplicate).toBeInstanceOf(Error);
    expect(duplicate).toMatchObject({ code: '23505', constraint: 'items_title_key', table: 'items' });
    expect(duplicate).toMatchObject({ ...(expected as object), query: insert, params: [22, 'one', true] });
    expect(await caught(named.query(child, [3, 99]))).toMatchObject({
      code: '23503',
      constraint: 'children_item_fk',
    });
    expect(await caught(named.query(insert, [23, null, true]))).toMatchObject({
      code: '23502',
      column: 'title',
    });

    // The session is usable, named and unnamed, and nothing of the failed statements was written.
    expect((await named.query(SELECT, [null, 'one', true])).rows).toHaveLength(1);
    expect((await plain.query('select count(*)::int as n from children')).rows).toEqual([{ n: 2 }]);
    expect((await named.query(insert, [22, 't22', true])).affectedRows).toBe(1);
    await plain.exec('delete from children; delete from items where id >= 20');
  });

  it('raises a statement that does not parse as PGlite does, named or not', async () => {
    const wrong = 'select nothing from items where id = $1';
    for (let call = 0; call < 3; call++)
      await expect(named.query(wrong, [1])).rejects.toMatchObject({ code: '42703', query: wrong });
    expect(preparedTexts(named)).not.toContain(wrong);
    expect((await named.query(SELECT, [3, null, false])).rows).toHaveLength(1);
  });

  it('closes the least recently used statement beyond its limit', async () => {
    const client = withNamedStatements(plain, 2);
    const texts = [1, 2, 3].map((n) => `select $1::int + ${n} as n`);
    for (const text of [...texts, ...texts]) await client.query(text, [1]);
    expect(preparedTexts(client)).toEqual([texts[1], texts[2]]);
    await client.query(texts[1] as string, [1]);
    await client.query(texts[0] as string, [1]);
    expect(preparedTexts(client)).toEqual([texts[1], texts[0]]);
    const { rows } = await plain.query<{ n: number }>(
      `select count(*)::int as n from pg_prepared_statements where statement like 'select $1::int + %'`,
    );
    expect(rows).toEqual([{ n: 2 }]);
    expect((await client.query(texts[2] as string, [1])).rows).toEqual([{ n: 4 }]);
  });

  it('runs a statement whose table changed under it, unnamed', async () => {
    await plain.exec(
      'create table changing (id int primary key, a text); insert into changing values (1, $$a$$)',
    );
    const text = 'select * from changing where id = $1';
    for (let call = 0; call < 3; call++) await named.query(text, [1]);
    expect(preparedTexts(named)).toContain(text);
    await plain.exec(`alter table changing add column b text default 'b'`);
    expect((await named.query(text, [1])).rows).toEqual([{ id: 1, a: 'a', b: 'b' }]);
    expect((await named.query(text, [1])).rows).toEqual([{ id: 1, a: 'a', b: 'b' }]);
  });

  describe('under Drizzle', () => {
    const things = pgTable('things', { id: integer('id').primaryKey(), name: text('name').notNull() });

    it('leaves transactions as they are: committed writes seen, rolled-back ones not', async () => {
      await plain.exec('create table things (id int primary key, name text not null)');
      const db = drizzle({ client: named });
      const byId = (id: number) => db.select().from(things).where(sql`${things.id} = ${id}`);
      for (let id = 1; id <= 3; id++) {
        await db.transaction(async (tx) => {
          await tx.insert(things).values({ id, name: `thing ${id}` });
          expect(await tx.select().from(things).where(sql`${things.id} = ${id}`)).toHaveLength(1);
        });
        expect(await byId(id)).toEqual([{ id, name: `thing ${id}` }]);
      }
      for (let id = 4; id <= 6; id++) {
        await expect(
          db.transaction(async (tx) => {
            await tx.insert(things).values({ id, name: `thing ${id}` });
            expect(await tx.select().from(things).where(sql`${things.id} = ${id}`)).toHaveLength(1);
            tx.rollback();
          }),
        ).rejects.toThrow();
        expect(await byId(id)).toEqual([]);
      }
      await expect(
        db.transaction(async (tx) => {
          await tx.insert(things).values({ id: 7, name: 'seven' });
          await tx.insert(things).values({ id: 1, name: 'again' });
        }),
      ).rejects.toMatchObject({ cause: { code: '23505' } });
      expect(await byId(7)).toEqual([]);
      expect(preparedTexts(named).filter((text) => text.includes('"things"'))).toHaveLength(1);
      expect(await db.select().from(things).orderBy(things.id)).toEqual(
        [1, 2, 3].map((id) => ({ id, name: `thing ${id}` })),
      );
    });
  });
});
