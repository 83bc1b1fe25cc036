import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { types } from '@electric-sql/pglite';
import { ENGINES } from '../testing/testStorage';
import { openTestDatabase, type TestDatabase } from '../testing/testServer';
import { parseBytea, serializeBytea } from './pgliteBytea';

const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('the bytea codec given to PGlite', () => {
  it('writes what PGlite’s own serializer writes, also for a view into a larger buffer', () => {
    const view = new Uint8Array(everyByte.buffer, 3, 100);
    for (const value of [everyByte, view, new Uint8Array(), Buffer.from([0, 255, 16])]) {
      expect(serializeBytea(value)).toBe(types.serializers[types.BYTEA]!(value));
    }
  });

  it('reads back the same bytes, and reads what PGlite’s own parser reads', () => {
    expect([...parseBytea(serializeBytea(everyByte))]).toEqual([...everyByte]);
    expect([...parseBytea('\\x')]).toEqual([]);
    expect([...parseBytea('\\xDEADbeef')]).toEqual([...(types.parsers[types.BYTEA]!('\\xDEADbeef') as Uint8Array)]);
  });

  it('refuses what is not bytes, as PGlite does', () => {
    expect(() => serializeBytea('abc')).toThrow(/bytea/);
  });
});

describe.each(ENGINES)('bytea through the database (%s)', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
  }, 120_000);
  afterAll(() => t?.close());

  it('stores and returns every byte value, an empty value and a view unchanged', async () => {
    const view = new Uint8Array(everyByte.buffer, 7, 9);
    const rows = await t.db.query<{ a: Uint8Array; b: Uint8Array; c: Uint8Array; same: boolean }>(
      'SELECT $1::bytea AS a, $2::bytea AS b, $3::bytea AS c, $1::bytea = decode($4, $5) AS same',
      [everyByte, new Uint8Array(), view, Buffer.from(everyByte).toString('hex'), 'hex'],
    );
    const [row] = rows;
    expect(row!.same).toBe(true);
    expect([...row!.a]).toEqual([...everyByte]);
    expect([...row!.b]).toEqual([]);
    expect([...row!.c]).toEqual([...view]);
  });
});
