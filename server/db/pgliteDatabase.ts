import { PGlite, parse, protocol } from '@electric-sql/pglite';
import { CHANNEL_SQL } from '../notify/changeEvents';
import { byteaParsers } from './pgliteBytea';
import type { Database, Queryable } from './database';
import { SerialQueue } from './serialQueue';

/** PGlite in this process, its files in `dataDir`. Every query and transaction is serialised. */
export async function openPgliteDatabase(dataDir: string): Promise<Database> {
  const pg = await PGlite.create({ dataDir });
  return wrapPglite(pg);
}

/**
 * A query with parameters in one round through PGlite: Bind, Describe, Execute and Sync
 * (and Parse the first time) sent as one message. PGlite's own `query` sends them one at a
 * time, plus a Describe of the statement first so it can serialise each parameter by its
 * inferred type: six passes through the WebAssembly side per statement, which made
 * PGlite's per-statement overhead most of the server's CPU on the sync path. Here
 * parameters are serialised by their JavaScript type instead, the way `pg` does for
 * PostgreSQL (so both engines take the same values): bytes go as binary parameters (no
 * hex text), arrays as array literals, dates as ISO timestamps, other objects as JSON. An
 * error comes back as the same DatabaseError (with its SQLSTATE `code`); Sync ends the
 * failed statement.
 *
 * Each statement text is parsed once, as a named prepared statement of PGlite's one
 * session, and later runs only bind it: parsing and planning a statement again every time
 * cost about as much as running it (a session lookup: 0.26 ms of planning, 0.2 ms of
 * execution). PostgreSQL re-plans a prepared statement by itself when the tables it reads
 * change. The server's statements are fixed texts, so the set stays small; past
 * MAX_PREPARED texts the rest run unnamed, as before.
 */
function fastQuery(pg: PGlite): <Row>(sql: string, params: readonly unknown[], beginFirst?: boolean) => Promise<Row[]> {
  const parsers = { ...pg.parsers, ...byteaParsers };
  const { serialize } = protocol;
  const begin = concatBytes([serialize.parse({ text: 'BEGIN' }), serialize.bind({}), serialize.execute({})]);
  const prepared = new Map<string, string>();
  let nextName = 0;
  return async <Row>(sql: string, params: readonly unknown[], beginFirst = false) => {
    let name = prepared.get(sql);
    const parseFirst = name === undefined;
    if (name === undefined && prepared.size < MAX_PREPARED) name = `rr_${nextName++}`;
    const message = concatBytes([
      ...(beginFirst ? [begin] : []),
      ...(parseFirst ? [serialize.parse({ name: name ?? '', text: sql })] : []),
      serialize.bind({ statement: name ?? '', values: params.map(toParameter) }),
      serialize.describe({ type: 'P' }),
      serialize.execute({}),
      serialize.sync(),
    ]);
    let messages;
    try {
      messages = await pg.execProtocolStream(message, {});
    } catch (error) {
      // A first run that failed is not recorded: whether its Parse took effect is not known,
      // so the next run parses again under a fresh name. A prepared statement that can no
      // longer run as prepared (its result's shape changed, or it is gone) is parsed anew.
      const code = (error as { code?: string }).code;
      if (!parseFirst && (code === '0A000' || code === '26000')) prepared.delete(sql);
      throw error;
    }
    if (parseFirst && name) prepared.set(sql, name);
    // With BEGIN in front, its (empty) result comes first: the statement's is the last.
    return parse.parseResults(messages, parsers).at(-1)!.rows as Row[];
  };
}

/** How many statement texts stay prepared (see fastQuery). */
const MAX_PREPARED = 500;

/** A parameter as PostgreSQL reads it: text, or binary for bytes; null for SQL NULL. */
export function toParameter(value: unknown): string | Uint8Array | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return arrayLiteral(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number | bigint | boolean);
}

function arrayLiteral(values: readonly unknown[]): string {
  const elements = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayLiteral(v);
    const text = toParameter(v);
    if (typeof text !== 'string') throw new Error('bytes inside an array parameter are not supported');
    return `"${text.replace(/[\\"]/g, '\\$&')}"`;
  });
  return `{${elements.join(',')}}`;
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function wrapPglite(pg: PGlite): Database {
  const queue = new SerialQueue();
  const run = fastQuery(pg);
  const direct: Queryable = {
    query: <Row>(sql: string, params: readonly unknown[] = []) => run<Row>(sql, params),
    async exec(sql: string) {
      await pg.exec(sql);
    },
  };
  let closed = false;
  return {
    engine: 'pglite',
    query: (sql, params) => queue.run(() => direct.query(sql, params)),
    exec: (sql) => queue.run(() => direct.exec(sql)),
    transaction: (work) =>
      queue.run(async () => {
        // BEGIN travels with the transaction's first statement (one pass through PGlite
        // instead of two); a transaction that ran no statement has nothing to end.
        let begun = false;
        const tx: Queryable = {
          query: <Row>(sql: string, params: readonly unknown[] = []) => {
            const beginFirst = !begun;
            begun = true;
            return run<Row>(sql, params, beginFirst);
          },
          async exec(sql: string) {
            if (!begun) await run('BEGIN', []);
            begun = true;
            await pg.exec(sql);
          },
        };
        try {
          const value = await work(tx);
          if (begun) await run('COMMIT', []);
          return value;
        } catch (error) {
          if (begun) await pg.exec('ROLLBACK');
          throw error;
        }
      }),
    // One process, one database: nothing can be missed, so onGap is never called.
    listen: (onPayload) =>
      queue.run(async () => {
        const [{ channel }] = (await pg.query<{ channel: string }>(`SELECT ${CHANNEL_SQL} AS channel`)).rows as [{ channel: string }];
        const unlisten = await pg.listen(channel, onPayload);
        return () => queue.run(() => (closed ? Promise.resolve() : unlisten()));
      }),
    close: () =>
      queue.run(async () => {
        if (closed) return;
        closed = true;
        await pg.close();
      }),
  };
}
