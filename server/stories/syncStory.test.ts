import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMetaMap, readMeta } from '../../shared/doc/storyDoc';
import { writeStoryBody } from '../../shared/editor/headless';
import type { DirectoryResponse } from '../../shared/server-api/schemas';
import type { SyncResponse, SyncStoryResult } from '../../shared/server-api/sync';
import type { Database } from '../db/database';
import { parseChangeEvent, type ChangeEvent } from '../notify/changeEvents';
import { b64, ClientStory } from '../testing/httpClient';
import { openTestDatabase, startTestApp, type TestApp, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';
import type { Viewer } from './permissions';
import { syncStories } from './syncStory';

const EMPTY_SV = b64(Y.encodeStateVector(new Y.Doc()));

/** `db`, counting the statements sent outside transactions and the transactions run. */
function counting(db: Database): { db: Database; counts: { queries: number; transactions: number } } {
  const counts = { queries: 0, transactions: 0 };
  return {
    counts,
    db: {
      ...db,
      engine: db.engine,
      query: (sql, params) => {
        counts.queries++;
        return db.query(sql, params);
      },
      transaction: (work) => {
        counts.transactions++;
        return db.transaction(work);
      },
    },
  };
}

describe.each(ENGINES)('syncStories on %s', (engine) => {
  let t: TestDatabase;
  let app: TestApp;
  let tokens: Record<string, string>;
  let dir: DirectoryResponse;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
    await t.resetToDemo();
    app = await startTestApp(t.db);
    tokens = { penulis1: await app.login('penulis1'), penulis2: await app.login('penulis2'), admin: await app.login('admin') };
    dir = (await app.request('GET', '/directory', { token: tokens.admin })).json() as DirectoryResponse;
  }, 120_000);
  afterAll(async () => t?.close());

  const userId = (username: string) => dir.users.find((u) => u.username === username)!.id;
  async function newStory(username: string, headline: string): Promise<ClientStory> {
    const story = new ClientStory(randomUUID());
    getMetaMap(story.doc).set('headline', headline);
    writeStoryBody(story.doc, [{ type: 'paragraph', children: [`${headline}: isi berita.`] }]);
    const res = await app.request('POST', '/sync', { token: tokens[username], body: { stories: [story.request()] } });
    story.accept((res.json() as SyncResponse).stories[0]);
    return story;
  }

  it('reads the stories a request only asks about in one query (a second for those the client lacks parts of), writes each update in its own transaction, answers in request order, each with the change number it is current at', async () => {
    const [a, b, c, d] = [await newStory('penulis1', 'Satu'), await newStory('penulis1', 'Dua'), await newStory('penulis1', 'Tiga'), await newStory('penulis1', 'Empat')];
    const others = await newStory('penulis2', 'Milik orang lain');
    getMetaMap(b.doc).set('kicker', 'Baru');
    const penulis1: Viewer = { id: userId('penulis1'), role: 'penulis', editedRubrikIds: new Set() };
    const heard: ChangeEvent[] = [];
    const stopListening = await t.db.listen((payload) => {
      const event = parseChangeEvent(payload);
      if (event) heard.push(event);
    }, () => undefined);
    const { db, counts } = counting(t.db);
    // `c` is asked for with an empty state vector: its answer must bring the whole story.
    const results = await syncStories(
      db,
      penulis1,
      [
        { id: a.id, stateVector: b64(Y.encodeStateVector(a.doc)) },
        b.request(),
        { id: c.id, stateVector: EMPTY_SV },
        { id: randomUUID(), stateVector: EMPTY_SV },
        { id: others.id, stateVector: EMPTY_SV },
        { id: d.id, stateVector: b64(Y.encodeStateVector(d.doc)) },
      ],
      app.clock.now,
    );
    // `c` (asked with an empty state vector) needs its whole document: the second query.
    expect(counts).toEqual({ queries: 2, transactions: 1 });
    expect(results.map((r) => [r.id, r.ok ? 'ok' : r.error.code])).toEqual([
      [a.id, 'ok'],
      [b.id, 'ok'],
      [c.id, 'ok'],
      [expect.any(String), 'not_found'],
      [others.id, 'forbidden'],
      [d.id, 'ok'],
    ]);
    // Each answer names the change number it is current at: the story's, after the write for `b`.
    const seqOf = async (id: string) => Number((await t.db.query<{ change_seq: string | number }>('SELECT change_seq FROM stories WHERE id = $1', [id]))[0]!.change_seq);
    const answered = (i: number) => (results[i]!.ok ? (results[i] as { changeSeq?: number }).changeSeq : undefined);
    expect([answered(0), answered(1), answered(2), answered(5)]).toEqual([await seqOf(a.id), await seqOf(b.id), await seqOf(c.id), await seqOf(d.id)]);
    expect(answered(1)).toBeGreaterThan(Math.max(await seqOf(others.id), await seqOf(d.id)));
    // The edit was announced with the number it drew, as every change is.
    await expect.poll(() => heard.find((e) => e.kind === 'story' && e.storyId === b.id), { timeout: 10_000 }).toEqual({
      kind: 'story',
      seq: answered(1),
      storyId: b.id,
      createdBy: userId('penulis1'),
      rubrikId: null,
      redakturId: null,
      penulisIds: [],
    });
    await stopListening();
    // The same push again changes nothing and answers the same number.
    const [replay] = await syncStories(t.db, penulis1, [b.request()], app.clock.now);
    expect(replay).toMatchObject({ ok: true, changeSeq: answered(1) });

    const ok = (r: SyncStoryResult | undefined) => (r?.ok ? r : Promise.reject(new Error('refused')));
    const reader = new ClientStory(c.id);
    reader.accept(await ok(results[2]));
    expect(readMeta(reader.doc).headline).toBe('Tiga');
    b.accept(await ok(results[1]));
    const check = new ClientStory(b.id);
    const res = await app.request('POST', '/sync', { token: tokens.admin, body: { stories: [{ id: b.id, stateVector: EMPTY_SV }] } });
    check.accept((res.json() as SyncResponse).stories[0]);
    expect(readMeta(check.doc).kicker).toBe('Baru');
  });

  it('answers the stories a client holds whole from their catch-up value, in one query without documents, with exactly what a diff of the whole document gives, deletions it lacks included', async () => {
    const story = await newStory('penulis1', 'Hapus');
    // A second client of the same story deletes a word: no new item, only a deletion.
    const other = new ClientStory(story.id);
    const first = await app.request('POST', '/sync', { token: tokens.penulis1, body: { stories: [{ id: story.id, stateVector: EMPTY_SV }] } });
    other.accept((first.json() as SyncResponse).stories[0]);
    other.doc.transact(() => getMetaMap(other.doc).delete('headline'));
    const deleted = await app.request('POST', '/sync', { token: tokens.penulis1, body: { stories: [other.request()] } });
    other.accept((deleted.json() as SyncResponse).stories[0]);
    // `story` has every item the server has (the same state vector) but not the deletion.
    expect(Y.encodeStateVector(story.doc)).toEqual(Y.encodeStateVector(other.doc));
    expect(readMeta(story.doc).headline).toBe('Hapus');

    const penulis1: Viewer = { id: userId('penulis1'), role: 'penulis', editedRubrikIds: new Set() };
    const { db, counts } = counting(t.db);
    const [answer] = await syncStories(db, penulis1, [{ id: story.id, stateVector: b64(Y.encodeStateVector(story.doc)) }], app.clock.now);
    expect(counts).toEqual({ queries: 1, transactions: 0 });
    if (!answer?.ok) throw new Error('refused');
    // Exactly the diff of the whole stored document against that state vector.
    const [row] = await t.db.query<{ doc_state: Uint8Array }>('SELECT doc_state FROM stories WHERE id = $1', [story.id]);
    const whole = Y.diffUpdate(new Uint8Array(row!.doc_state), Y.encodeStateVector(story.doc));
    expect(Buffer.from(answer.update!, 'base64')).toEqual(Buffer.from(whole));
    story.accept(answer);
    expect(Y.encodeStateAsUpdate(story.doc)).toEqual(Y.encodeStateAsUpdate(other.doc));
    expect(getMetaMap(story.doc).has('headline')).toBe(false);
  });
});
