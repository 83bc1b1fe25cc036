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
  const waitingOnLocks = async () =>
    Number((await control.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND locktype = 'advisory'")).rows[0]!.n);

  it('a change drawn first but committed last is still seen by a reader that already moved past the later one', async () => {
    const slow = randomUUID();
    const fast = randomUUID();
    // The slow story's write stalls inside its transaction, after it has drawn its change
    // number, until this test lets it go (an advisory lock the test holds).
    await control.query(`CREATE FUNCTION stall_story() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.story_id = '${slow}' THEN PERFORM pg_advisory_xact_lock_shared(424242); END IF; RETURN NEW; END $$`);
    await control.query('CREATE TRIGGER stall_story BEFORE INSERT ON story_updates FOR EACH ROW EXECUTE FUNCTION stall_story()');
    await control.query('SELECT pg_advisory_lock(424242)');
    const start = (await changes(0)).cursor;

    const slowPush = push(slow, 'Lambat');
    await expect.poll(waitingOnLocks, { timeout: 10_000 }).toBe(1);
    const fastPush = push(fast, 'Cepat');
    let fastDone = false;
    void fastPush.then(() => (fastDone = true));
    // The fast one either committed already (the bug) or waits its turn (the fix).
    await expect.poll(async () => fastDone || (await waitingOnLocks()) === 2, { timeout: 10_000 }).toBe(true);

    const seen = new Set<string>();
    const cursor = await follow(start, seen);
    await control.query('SELECT pg_advisory_unlock(424242)');
    await Promise.all([slowPush, fastPush]);
    await follow(cursor, seen);
    expect([...seen].sort()).toEqual([slow, fast].sort());

    await control.query('DROP TRIGGER stall_story ON story_updates; DROP FUNCTION stall_story()');
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
