import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMetaMap } from '../../shared/doc/storyDoc';
import type { ChangesResponse, SyncResponse } from '../../shared/server-api/sync';
import { openTestDatabase, startTestApp, type TestApp, type TestDatabase } from '../testing/testServer';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * The changes feed on PostgreSQL, where transactions run concurrently: a reader that
 * follows cursors must never step over a change that commits later. (PGlite runs one
 * transaction at a time, so only PostgreSQL can show this.)
 */
describe.runIf(process.env.DATABASE_URL)('changes feed on PostgreSQL under concurrent writers', () => {
  let t: TestDatabase;
  let app: TestApp;
  let token: string;
  let admin: string;
  let control: pg.Client;
  const schema = () => (t.storage.config as { schema: string }).schema;

  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    await t.resetToDemo();
    app = await startTestApp(t.db);
    token = await app.login('penulis1');
    admin = await app.login('admin');
    control = new pg.Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path=${schema()}` });
    await control.connect();
  }, 120_000);
  afterAll(async () => {
    await control?.end();
    await app?.app.close();
    await t?.close();
  });

  const push = async (id: string, headline: string) => {
    const doc = new Y.Doc();
    getMetaMap(doc).set('headline', headline);
    const res = await app.request('POST', '/sync', { token, body: { stories: [{ id, update: b64(Y.encodeStateAsUpdate(doc)), stateVector: b64(Y.encodeStateVector(doc)) }] } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as SyncResponse).stories[0]).toMatchObject({ ok: true });
  };
  const changes = async (since: number) => {
    const res = await app.request('GET', `/changes?since=${since}&limit=1000`, { token: admin });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ChangesResponse;
  };
  /** Follows the cursor from `since` until nothing more waits; returns every id seen and the last cursor. */
  const follow = async (since: number, seen: Set<string>) => {
    let cursor = since;
    for (;;) {
      const page = await changes(cursor);
      for (const s of page.stories) seen.add(s.id);
      cursor = page.cursor;
      if (!page.more) return cursor;
    }
  };
  /** Requests queued behind a lock on a table (a feed read waiting for the writers in flight). */
  const waitingOnTable = async () =>
    Number((await control.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND locktype = 'relation'")).rows[0]!.n);
  const waitingOnLocks = async () =>
    Number((await control.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND locktype = 'advisory'")).rows[0]!.n);

  it('a change drawn first but committed last is still seen by a reader that already moved past the later one', async () => {
    const slow = randomUUID();
    const fast = randomUUID();
    // The slow story's write stalls inside its transaction, right after the statement that
    // drew its change number, until this test lets it go (an advisory lock the test holds).
    await control.query(`CREATE FUNCTION stall_story() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.id = '${slow}' THEN PERFORM pg_advisory_xact_lock_shared(424242); END IF; RETURN NEW; END $$`);
    await control.query('CREATE TRIGGER stall_story AFTER INSERT OR UPDATE ON stories FOR EACH ROW EXECUTE FUNCTION stall_story()');
    await control.query('SELECT pg_advisory_lock(424242)');
    try {
      const start = (await changes(0)).cursor;
      const slowPush = push(slow, 'Lambat');
      await expect.poll(waitingOnLocks, { timeout: 10_000 }).toBe(1);
      // Writers do not wait for one another: the fast one commits while the slow one is stuck.
      await push(fast, 'Cepat');
      const visibleSeq = async (id: string) =>
        Number((await control.query<{ change_seq: string }>('SELECT change_seq FROM stories WHERE id = $1', [id])).rows[0]?.change_seq ?? 0);
      // Only the fast change is visible yet (its number drawn after the slow one's).
      expect(await visibleSeq(slow)).toBe(0);
      expect(await visibleSeq(fast)).toBeGreaterThan(start);

      // A reader now either reads at once (and must not move past the slow change) or waits
      // until the slow write ends.
      const seen = new Set<string>();
      let cursor = -1;
      const reading = follow(start, seen).then((c) => (cursor = c));
      await expect.poll(async () => cursor !== -1 || (await waitingOnTable()) > 0, { timeout: 10_000 }).toBe(true);
      await control.query('SELECT pg_advisory_unlock(424242)');
      await Promise.all([slowPush, reading]);
      await follow(cursor, seen);
      expect([...seen].sort()).toEqual([slow, fast].sort());
    } finally {
      await control.query('SELECT pg_advisory_unlock_all()');
      await control.query('DROP TRIGGER stall_story ON stories; DROP FUNCTION stall_story()');
    }
  });

  it('a client that only asks (a state vector, no update) is answered while a writer holds the story row', async () => {
    const id = randomUUID();
    await push(id, 'Terkunci');
    await control.query('BEGIN');
    try {
      await control.query('SELECT id FROM stories WHERE id = $1 FOR UPDATE', [id]);
      let answer: SyncResponse | undefined;
      const ask = app.request('POST', '/sync', { token, body: { stories: [{ id, stateVector: b64(Y.encodeStateVector(new Y.Doc())) }] } });
      void ask.then((res) => (answer = res.json() as SyncResponse));
      const waitingOnRows = async () =>
        Number((await control.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND locktype IN ('transactionid', 'tuple')")).rows[0]!.n);
      // Either the answer came (a read takes no lock) or the request queues behind the writer.
      await expect.poll(async () => answer !== undefined || (await waitingOnRows()) > 0, { timeout: 10_000 }).toBe(true);
      expect(answer).toBeDefined();
      const [result] = answer!.stories;
      if (!result?.ok) throw new Error(`sync refused: ${JSON.stringify(result)}`);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Buffer.from(result.update, 'base64'));
      expect(getMetaMap(doc).get('headline')).toBe('Terkunci');
    } finally {
      await control.query('ROLLBACK');
    }
  });

  it('many concurrent writers and a reader following cursors meanwhile: the reader sees every change', async () => {
    const ids = Array.from({ length: 12 }, () => randomUUID());
    const seen = new Set<string>();
    let cursor = (await changes(0)).cursor;
    let writing = true;
    const reader = (async () => {
      while (writing) cursor = await follow(cursor, seen);
    })();
    await Promise.all(ids.map(async (id) => {
      for (let round = 0; round < 4; round++) await push(id, `Berita ${round}`);
    }));
    writing = false;
    await reader;
    cursor = await follow(cursor, seen);
    expect([...seen].sort()).toEqual([...ids].sort());
    const rows = await t.db.query<{ change_seq: string }>('SELECT change_seq FROM stories');
    expect(rows.every((r) => Number(r.change_seq) <= cursor)).toBe(true);
  });
});
