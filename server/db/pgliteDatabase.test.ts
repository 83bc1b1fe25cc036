import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../testing/testStorage';
import { openTestDatabase, type TestDatabase } from '../testing/testServer';
import { toParameter } from './pgliteDatabase';

/**
 * Statements with parameters on PGlite go through one protocol message with parameters
 * serialised by JavaScript type (pgliteDatabase.ts), as `pg` does on PostgreSQL: both
 * engines must read every kind of value the server sends the same way.
 */
describe.each(ENGINES)('parameters and results on %s', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
    await t.db.exec('CREATE TABLE param_probe (id text PRIMARY KEY, tags text[], at timestamptz, n bigint, ok boolean, doc jsonb, bytes bytea)');
  }, 120_000);
  afterAll(() => t?.close());

  const awkward = ['plain', 'with "quotes"', 'back\\slash', 'comma, and {braces}', 'NULL', '', 'ümlaut — dash'];

  it('round-trips text arrays with awkward elements, dates, numbers, booleans, JSON, bytes and NULL', async () => {
    const at = new Date(Date.UTC(2026, 11, 1, 8, 30, 15, 123));
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    await t.db.query('INSERT INTO param_probe (id, tags, at, n, ok, doc, bytes) VALUES ($1, $2::text[], $3, $4, $5, $6, $7)', [
      'a',
      awkward,
      at,
      9_007_199_254_740_991,
      true,
      { kata: 'berita "utama"', n: [1, 2] },
      bytes,
    ]);
    await t.db.query('INSERT INTO param_probe (id, tags, at, n, ok, doc, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7)', ['b', [], null, null, false, null, undefined]);
    const rows = await t.db.query<Record<string, unknown>>('SELECT id, tags, at, n::text AS n, ok, doc, bytes FROM param_probe ORDER BY id');
    expect(rows[0]).toEqual({ id: 'a', tags: awkward, at, n: '9007199254740991', ok: true, doc: { kata: 'berita "utama"', n: [1, 2] }, bytes: expect.anything() });
    expect([...(rows[0]!.bytes as Uint8Array)]).toEqual([...bytes]);
    expect(rows[1]).toEqual({ id: 'b', tags: [], at: null, n: null, ok: false, doc: null, bytes: null });
    // Arrays as parameters of ANY, with an element that needs quoting.
    const found = await t.db.query<{ id: string }>('SELECT id FROM param_probe WHERE $1 = ANY (tags) AND id = ANY ($2::text[])', ['back\\slash', ['a', 'x"y']]);
    expect(found).toEqual([{ id: 'a' }]);
  });

  it('fails a bad statement with its SQLSTATE, rolls its transaction back, and goes on working', async () => {
    const error = await t.db.query('INSERT INTO param_probe (id) VALUES ($1)', ['a']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '23505' });
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query('INSERT INTO param_probe (id) VALUES ($1)', ['c']);
        await tx.query('SELECT $1::int AS n', ['not a number']);
      }),
    ).rejects.toMatchObject({ code: '22P02' });
    expect(await t.db.query('SELECT id FROM param_probe WHERE id = $1', ['c'])).toEqual([]);
    expect(await t.db.query<{ n: number }>('SELECT $1::int + 1 AS n', [41])).toEqual([{ n: 42 }]);
  });

  it("keeps a transaction whole when its first statement fails (PGlite sends BEGIN with it), and a transaction without statements is harmless", async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query('INSERT INTO param_probe (id) VALUES ($1)', ['a']).catch(() => undefined);
        // The failed first statement left the transaction aborted: nothing more may run in it.
        await tx.query('INSERT INTO param_probe (id) VALUES ($1)', ['d']);
      }),
    ).rejects.toMatchObject({ code: '25P02' });
    expect(await t.db.query('SELECT id FROM param_probe WHERE id = $1', ['d'])).toEqual([]);
    await expect(t.db.transaction(async () => 'nothing')).resolves.toBe('nothing');
    // Two statements, the first answering rows: each in the transaction, committed together.
    const rows = await t.db.transaction(async (tx) => {
      const first = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM param_probe');
      await tx.query('INSERT INTO param_probe (id) VALUES ($1)', ['e']);
      return first;
    });
    expect(rows).toEqual([{ n: 2 }]);
    expect(await t.db.query('SELECT id FROM param_probe WHERE id = $1', ['e'])).toEqual([{ id: 'e' }]);
  });
});

describe('statements on PGlite', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    await t.db.exec('CREATE TABLE prepared_probe (id text PRIMARY KEY)');
  }, 120_000);
  afterAll(() => t?.close());

  const preparedCopies = async (text: string) =>
    (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1', [text]))[0]!.n;

  it('parses each statement text once and binds it after, also after a run that failed; a first run that failed is parsed again', async () => {
    const insert = 'INSERT INTO prepared_probe (id) VALUES ($1)';
    for (const id of ['a', 'b']) await t.db.query(insert, [id]);
    await expect(t.db.query(insert, ['a'])).rejects.toMatchObject({ code: '23505' });
    await t.db.query(insert, ['c']);
    await t.db.transaction((tx) => tx.query(insert, ['d']));
    expect(await preparedCopies(insert)).toBe(1);
    expect(await t.db.query('SELECT id FROM prepared_probe ORDER BY id')).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }]);

    const cast = 'SELECT $1::int AS n';
    await expect(t.db.query(cast, ['kosong'])).rejects.toMatchObject({ code: '22P02' });
    expect(await t.db.query(cast, ['7'])).toEqual([{ n: 7 }]);
    expect(await t.db.query(cast, ['8'])).toEqual([{ n: 8 }]);
  });
});

describe('parameters by JavaScript type', () => {
  it('sends bytes as they are, and everything else as the text PostgreSQL reads', () => {
    const bytes = new Uint8Array([0, 1, 2]);
    expect(toParameter(bytes)).toBe(bytes);
    expect([toParameter(null), toParameter(undefined), toParameter(12), toParameter(10n), toParameter(false), toParameter('x')]).toEqual([null, null, '12', '10', 'false', 'x']);
    expect(toParameter(new Date(Date.UTC(2026, 0, 2)))).toBe('2026-01-02T00:00:00.000Z');
    expect(toParameter(['a"b', 'c\\d', null, ['e']])).toBe('{"a\\"b","c\\\\d",NULL,{"e"}}');
    expect(toParameter({ a: 1 })).toBe('{"a":1}');
  });
});
