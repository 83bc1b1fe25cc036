import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMetaMap, readMeta } from '../../shared/doc/storyDoc';
import { readStoryBody, writeStoryBody } from '../../shared/editor/headless';
import type { DirectoryResponse } from '../../shared/server-api/schemas';
import type { SyncResponse, SyncStoryResult } from '../../shared/server-api/sync';
import { b64, ClientStory } from '../testing/httpClient';
import { openTestDatabase, startTestApp, type TestApp, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';

const EMPTY_SV = b64(Y.encodeStateVector(new Y.Doc()));

interface StoredRow {
  doc_state: Uint8Array | null;
  doc_state_vector: Uint8Array | null;
  doc_catch_up: Uint8Array | null;
  change_seq: string | number;
  word_count: number;
}

const view = (bytes: Uint8Array) => new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function docOf(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc({ gc: false });
  Y.applyUpdate(doc, update);
  return doc;
}

type Ranges = Map<number, Array<[number, number]>>;

/** Sorted, joined [start, end) ranges per client. */
function joined(ranges: Ranges): Ranges {
  const out: Ranges = new Map();
  for (const [client, list] of [...ranges].sort(([a], [b]) => a - b)) {
    const merged: Array<[number, number]> = [];
    for (const [start, end] of [...list].sort(([a], [b]) => a - b)) {
      const last = merged.at(-1);
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    out.set(client, merged);
  }
  return out;
}

/** Which ids an update holds (structs, gaps left out) and which it deletes: its content, however its bytes are laid out. */
function contentOf(update: Uint8Array): { structs: Ranges; deletes: Ranges } {
  const { structs, ds } = Y.decodeUpdate(update);
  const held: Ranges = new Map();
  for (const s of structs) {
    if (s instanceof Y.Skip) continue;
    held.set(s.id.client, [...(held.get(s.id.client) ?? []), [s.id.clock, s.id.clock + s.length]]);
  }
  const deletes: Ranges = new Map();
  for (const [client, items] of ds.clients) deletes.set(client, items.map((d) => [d.clock, d.clock + d.len]));
  return { structs: joined(held), deletes: joined(deletes) };
}

/** A document's state vector as a map (its encoding lists clients in no fixed order). */
const stateOf = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));

/** Same content, same deletions, same parts waiting for their dependencies, same state vector. */
function expectSameDocument(actual: Y.Doc, expected: Y.Doc): void {
  expect(stateOf(actual)).toEqual(stateOf(expected));
  expect(Y.equalSnapshots(Y.snapshot(actual), Y.snapshot(expected))).toBe(true);
  expect(actual.store.pendingStructs?.missing ?? null).toEqual(expected.store.pendingStructs?.missing ?? null);
  expect(readMeta(actual)).toEqual(readMeta(expected));
  expect(readStoryBody(actual)).toEqual(readStoryBody(expected));
}

/**
 * The merged document each story keeps beside its update log (stories.doc_state, migration
 * 20261201_0003): whatever sequence of writes made it, it holds exactly what merging the
 * log holds, it is written in the same transaction as the log, and stories written before
 * it existed are still read from their log.
 */
describe.each(ENGINES)('the stored document of a story on %s', (engine) => {
  let t: TestDatabase;
  let app: TestApp;
  let tokens: Record<string, string>;
  let dir: DirectoryResponse;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
    await t.resetToDemo();
    app = await startTestApp(t.db);
    tokens = {};
    for (const u of ['admin', 'redaktur1', 'penulis1']) tokens[u] = await app.login(u);
    dir = (await app.request('GET', '/directory', { token: tokens.admin })).json() as DirectoryResponse;
  }, 120_000);
  afterAll(async () => t?.close());

  const userId = (username: string) => dir.users.find((u) => u.username === username)!.id;
  const rubrikId = (path: string) => dir.rubrik.find((r) => r.path === path)!.id;
  async function syncOne(username: string, story: object): Promise<SyncStoryResult> {
    const res = await app.request('POST', '/sync', { token: tokens[username], body: { stories: [story] } });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as SyncResponse).stories[0]!;
  }
  const storedRow = async (id: string) =>
    (await t.db.query<StoredRow>('SELECT doc_state, doc_state_vector, doc_catch_up, change_seq, word_count FROM stories WHERE id = $1', [id]))[0]!;
  const logRows = async (id: string) => (await t.db.query<{ update: Uint8Array }>('SELECT update FROM story_updates WHERE story_id = $1 ORDER BY id', [id])).map((r) => view(r.update));
  /** The story as merging its whole log gives it: what every sync read before doc_state. */
  const fromLog = async (id: string) => docOf(Y.mergeUpdates(await logRows(id)));
  /** What a new reader gets from the server. */
  async function readerCopy(id: string): Promise<ClientStory> {
    const reader = new ClientStory(id);
    reader.accept(await syncOne('admin', { id, stateVector: EMPTY_SV }));
    return reader;
  }
  /**
   * The stored document holds exactly what the log holds, and its state vector claims
   * only what it holds without gaps. (While parts wait for their dependencies, Yjs may
   * use more of them when it loads everything at once than when they came one by one:
   * the state vectors of the two may differ then, their bytes' content may not.)
   */
  async function expectStoredMatchesLog(id: string): Promise<void> {
    const row = await storedRow(id);
    expect(row.doc_state).not.toBeNull();
    const state = view(row.doc_state!);
    const log = Y.mergeUpdates(await logRows(id));
    expect(contentOf(state)).toEqual(contentOf(log));
    const held = contentOf(state).structs;
    for (const [client, clock] of Y.decodeStateVector(view(row.doc_state_vector!))) {
      expect(held.get(client)?.[0]).toEqual([0, expect.toSatisfy((end: number) => end >= clock)]);
    }
    const stored = docOf(state);
    const merged = docOf(log);
    expectSameDocument(stored, merged);
    if (!merged.store.pendingStructs && !merged.store.pendingDs) expect(Y.decodeStateVector(view(row.doc_state_vector!))).toEqual(stateOf(merged));
    // The catch-up answer is what a diff of the whole document gives a client holding
    // exactly the stored state vector: the deletions, and the parts still waiting.
    expect(row.doc_catch_up).not.toBeNull();
    expect(contentOf(view(row.doc_catch_up!))).toEqual(contentOf(Y.diffUpdate(state, view(row.doc_state_vector!))));
  }

  function penulis1Story(): ClientStory {
    const story = new ClientStory(randomUUID());
    const meta = getMetaMap(story.doc);
    meta.set('headline', 'Banjir rob di Jakarta Utara');
    meta.set('rubrikId', rubrikId('Megapolitan'));
    meta.set('redakturId', userId('redaktur1'));
    meta.set('penulisIds', [userId('penulis1')]);
    return story;
  }

  it('after many syncs by two people, with deletions and parts sent out of order, holds exactly what merging the log holds', async () => {
    const penulis = penulis1Story();
    const sentences = ['JAKARTA - Air laut pasang merendam permukiman warga.'];
    writeStoryBody(penulis.doc, [{ type: 'paragraph', children: [sentences[0]!] }]);
    penulis.accept(await syncOne('penulis1', penulis.request()));
    // The second writer is an admin: a redaktur may edit a story only once it is submitted.
    const redaktur = new ClientStory(penulis.id);
    redaktur.accept(await syncOne('admin', redaktur.request()));

    for (let round = 0; round < 12; round++) {
      sentences.push(`Kalimat tambahan nomor ${round} dari penulis.`);
      // Every third round the penulis also removes an earlier sentence: deletions.
      if (round % 3 === 2) sentences.splice(1, 1);
      writeStoryBody(penulis.doc, sentences.map((s) => ({ type: 'paragraph' as const, children: [s] })));
      getMetaMap(redaktur.doc).set('kicker', `Cuaca ${round}`);
      penulis.accept(await syncOne('penulis1', penulis.request()));
      redaktur.accept(await syncOne('admin', redaktur.request()));
      await expectStoredMatchesLog(penulis.id);
    }

    // Three edits whose updates arrive last-first: the first two wait for their dependencies.
    const parts: Uint8Array[] = [];
    let before = Y.encodeStateVector(penulis.doc);
    for (const extra of ['Pertama.', 'Kedua.', 'Ketiga.']) {
      sentences.push(extra);
      writeStoryBody(penulis.doc, sentences.map((s) => ({ type: 'paragraph' as const, children: [s] })));
      parts.push(Y.encodeStateAsUpdate(penulis.doc, before));
      before = Y.encodeStateVector(penulis.doc);
    }
    const svBeforeParts = (await storedRow(penulis.id)).doc_state_vector!;
    const clientSV = b64(Y.encodeStateVector(penulis.doc));
    for (const i of [2, 1]) {
      expect(await syncOne('penulis1', { id: penulis.id, update: b64(parts[i]!), stateVector: clientSV })).toMatchObject({ ok: true });
      await expectStoredMatchesLog(penulis.id);
      // Held, but not acknowledged: the server cannot claim parts it cannot use yet.
      expect(view((await storedRow(penulis.id)).doc_state_vector!)).toEqual(view(svBeforeParts));
      const answer = await syncOne('admin', { id: penulis.id, stateVector: EMPTY_SV });
      if (!answer.ok) throw new Error('refused');
      expect(answer.stateVector).toBe(b64(view(svBeforeParts)));
    }
    // A replay of a part already held changes nothing.
    const seq = (await storedRow(penulis.id)).change_seq;
    expect(await syncOne('penulis1', { id: penulis.id, update: b64(parts[2]!), stateVector: clientSV })).toMatchObject({ ok: true });
    expect((await storedRow(penulis.id)).change_seq).toEqual(seq);
    expect(await syncOne('penulis1', { id: penulis.id, update: b64(parts[0]!), stateVector: clientSV })).toMatchObject({ ok: true });
    await expectStoredMatchesLog(penulis.id);
    expect((await logRows(penulis.id)).length).toBe(1 + 12 * 2 + 3);

    // Everyone converges on it, and the projection was read from it.
    penulis.accept(await syncOne('penulis1', penulis.request()));
    redaktur.accept(await syncOne('redaktur1', redaktur.request()));
    const reader = await readerCopy(penulis.id);
    for (const doc of [penulis.doc, redaktur.doc]) {
      expect(readStoryBody(doc).text).toBe(readStoryBody(reader.doc).text);
      expect(readMeta(doc)).toEqual(readMeta(reader.doc));
    }
    expect(readStoryBody(reader.doc).text).toContain('Pertama.\n\nKedua.\n\nKetiga.');
    expect(readMeta(reader.doc).kicker).toBe('Cuaca 11');
    expect((await storedRow(penulis.id)).word_count).toBe(sentences.join(' ').split(/\s+/).filter((w) => w !== '-').length);
  });

  it('a story written before the stored document existed is read from its log, and its next write stores it', async () => {
    const story = penulis1Story();
    writeStoryBody(story.doc, [{ type: 'paragraph', children: ['Berita lama, dari sebelum pembaruan server.'] }]);
    story.accept(await syncOne('penulis1', story.request()));
    getMetaMap(story.doc).set('kicker', 'Arsip');
    story.accept(await syncOne('penulis1', story.request()));
    // As a database migrated from 20261201_0002 holds it.
    await t.db.query('UPDATE stories SET doc_state = NULL, doc_state_vector = NULL, doc_catch_up = NULL WHERE id = $1', [story.id]);

    const reader = await readerCopy(story.id);
    expectSameDocument(reader.doc, await fromLog(story.id));
    expect(readMeta(reader.doc).kicker).toBe('Arsip');
    expect((await storedRow(story.id)).doc_state).toBeNull();

    writeStoryBody(story.doc, [{ type: 'paragraph', children: ['Berita lama, dari sebelum pembaruan server. Kini diperbarui.'] }]);
    story.accept(await syncOne('penulis1', story.request()));
    await expectStoredMatchesLog(story.id);
    expect(readStoryBody(docOf(view((await storedRow(story.id)).doc_state!))).text).toContain('Kini diperbarui.');
  });

  it('a story written before its catch-up answer existed is answered from its whole document, and its next write stores it', async () => {
    const story = penulis1Story();
    writeStoryBody(story.doc, [{ type: 'paragraph', children: ['Kalimat yang nanti dihapus. Kalimat yang tinggal.'] }]);
    story.accept(await syncOne('penulis1', story.request()));
    const holder = await readerCopy(story.id);
    writeStoryBody(story.doc, [{ type: 'paragraph', children: ['Kalimat yang tinggal.'] }]);
    story.accept(await syncOne('penulis1', story.request()));
    // As a database migrated from 20261201_0006 holds it.
    await t.db.query('UPDATE stories SET doc_catch_up = NULL WHERE id = $1', [story.id]);

    // A reader holding every item but not the deletion gets the deletion all the same.
    const answer = await syncOne('admin', { id: story.id, stateVector: b64(Y.encodeStateVector(holder.doc)) });
    holder.accept(answer);
    expect(readStoryBody(holder.doc).text).toBe('Kalimat yang tinggal.');
    expect((await storedRow(story.id)).doc_catch_up).toBeNull();

    getMetaMap(story.doc).set('kicker', 'Lanjutan');
    story.accept(await syncOne('penulis1', story.request()));
    await expectStoredMatchesLog(story.id);
  });

  it('is written in the same transaction as the log: a write that fails half-way leaves both as they were, and the resend stores both', async () => {
    const story = penulis1Story();
    writeStoryBody(story.doc, [{ type: 'paragraph', children: ['Paragraf pertama.'] }]);
    story.accept(await syncOne('penulis1', story.request()));
    const before = await storedRow(story.id);
    const logBefore = (await logRows(story.id)).length;

    // The story row refuses its next write, which comes after the log row: the database
    // fails between the two writes.
    await t.db.exec(`CREATE FUNCTION refuse_story_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.id = '${story.id}' THEN RAISE EXCEPTION 'disk full (test)'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_story_update AFTER UPDATE ON stories FOR EACH ROW EXECUTE FUNCTION refuse_story_update();`);
    writeStoryBody(story.doc, [{ type: 'paragraph', children: ['Paragraf pertama. Paragraf kedua.'] }]);
    const request = story.request();
    try {
      const res = await app.request('POST', '/sync', { token: tokens.penulis1, body: { stories: [request] } });
      expect(res.statusCode).toBe(500);
    } finally {
      await t.db.exec('DROP TRIGGER refuse_story_update ON stories; DROP FUNCTION refuse_story_update();');
    }
    expect(await storedRow(story.id)).toEqual(before);
    expect((await logRows(story.id)).length).toBe(logBefore);

    // The client never got an answer and sends the same again.
    story.accept(await syncOne('penulis1', request));
    expect((await logRows(story.id)).length).toBe(logBefore + 1);
    await expectStoredMatchesLog(story.id);
    expect(readStoryBody((await readerCopy(story.id)).doc).text).toBe('Paragraf pertama. Paragraf kedua.');
  });
});
