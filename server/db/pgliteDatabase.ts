import { PGlite } from '@electric-sql/pglite';
import { CHANNEL_SQL } from '../notify/changeEvents';
import { byteaParsers, byteaSerializers } from './pgliteBytea';
import type { Database, Queryable } from './database';
import { SerialQueue } from './serialQueue';

/** PGlite in this process, its files in `dataDir`. Every query and transaction is serialised. */
export async function openPgliteDatabase(dataDir: string): Promise<Database> {
  const pg = await PGlite.create({ dataDir });
  return wrapPglite(pg);
}

export function wrapPglite(pg: PGlite): Database {
  const queue = new SerialQueue();
  const direct: Queryable = {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await pg.query<Row>(sql, params as unknown[], { parsers: byteaParsers, serializers: byteaSerializers });
      return result.rows;
    },
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
        await pg.exec('BEGIN');
        try {
          const value = await work(direct);
          await pg.exec('COMMIT');
          return value;
        } catch (error) {
          await pg.exec('ROLLBACK');
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
