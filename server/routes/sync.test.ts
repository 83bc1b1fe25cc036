import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMetaMap, readMeta } from '../../shared/doc/storyDoc';
import { readStoryBody, writeStoryBody } from '../../shared/editor/headless';
import type { DirectoryResponse } from '../../shared/server-api/schemas';
import type { ChangesResponse, SyncResponse } from '../../shared/server-api/sync';
import { b64, ClientStory } from '../testing/httpClient';
import { openTestDatabase, startTestApp, tableCounts, type TestApp, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';

describe.each(ENGINES)('story sync on %s', (engine) => {
  let t: TestDatabase;
  let app: TestApp;
  let tokens: Record<string, string>;
  let dir: DirectoryResponse;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
  }, 120_000);
  afterAll(async () => t?.close());
  beforeEach(async () => {
    await t.resetToDemo();
    app = await startTestApp(t.db);
    tokens = {};
    for (const u of ['admin', 'redaktur1', 'redaktur2', 'penulis1', 'penulis2']) tokens[u] = await app.login(u);
    dir = (await app.request('GET', '/directory', { token: tokens.admin })).json() as DirectoryResponse;
  }, 60_000);

  const userId = (username: string) => dir.users.find((u) => u.username === username)!.id;
  const rubrikId = (path: string) => dir.rubrik.find((r) => r.path === path)!.id;
  async function sync(username: string, stories: object[]) {
    const res = await app.request('POST', '/sync', { token: tokens[username], body: { stories } });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as SyncResponse).stories;
  }

  /** penulis1's new story for redaktur1 in Megapolitan, pushed once. */
  async function newStory(): Promise<ClientStory> {
    const story = new ClientStory(randomUUID());
    const meta = getMetaMap(story.doc);
    meta.set('headline', 'Banjir rob di Jakarta Utara');
    meta.set('rubrikId', rubrikId('Megapolitan'));
    meta.set('redakturId', userId('redaktur1'));
    meta.set('penulisIds', [userId('penulis1')]);
    writeStoryBody(story.doc, [{ type: 'paragraph', children: ['JAKARTA - Air laut pasang merendam permukiman warga.'] }]);
    const [result] = await sync('penulis1', [story.request()]);
    story.accept(result!);
    return story;
  }

  it('a change of what a user may see without a story change gives them a new access epoch; so does losing sight of a story', async () => {
    const story = await newStory(); // Megapolitan, redaktur1
    const feed = async (username: string, since = 0) => (await app.request('GET', `/changes?since=${since}`, { token: tokens[username] })).json() as ChangesResponse;
    const before = await feed('redaktur2');
    expect(before.stories.map((s) => s.id)).not.toContain(story.id);
    const epochs = { redaktur1: (await feed('redaktur1')).accessEpoch, penulis1: (await feed('penulis1')).accessEpoch, penulis2: (await feed('penulis2')).accessEpoch };

    // redaktur2 is given Megapolitan: the old story is below their cursor, so their epoch changes.
    const res = await app.request('PUT', `/admin/users/${userId('redaktur2')}/rubrik`, { token: tokens.admin, body: { rubrikIds: [rubrikId('Ekonomi'), rubrikId('Megapolitan')] } });
    expect(res.statusCode, res.body).toBe(200);
    // A cursor past the story's change, as redaktur2 would hold from any later story of theirs.
    const storySeq = (await feed('penulis1')).stories.find((s) => s.id === story.id)!.changeSeq;
    const after = await feed('redaktur2', storySeq);
    expect(after.stories).toEqual([]);
    expect(after.accessEpoch).not.toBe(before.accessEpoch);
    expect((await feed('redaktur2')).stories.map((s) => s.id)).toContain(story.id);
    // Nobody else's view changed.
    expect((await feed('redaktur1')).accessEpoch).toBe(epochs.redaktur1);
    expect((await feed('penulis1')).accessEpoch).toBe(epochs.penulis1);

    // The penulis moves the story to Ekonomi for redaktur2: redaktur1 lost sight of it.
    getMetaMap(story.doc).set('rubrikId', rubrikId('Ekonomi'));
    getMetaMap(story.doc).set('redakturId', userId('redaktur2'));
    story.accept((await sync('penulis1', [story.request()]))[0]!);
    expect((await feed('redaktur1')).accessEpoch).not.toBe(epochs.redaktur1);
    expect((await feed('redaktur1')).stories.map((s) => s.id)).not.toContain(story.id);
    expect((await feed('penulis1')).accessEpoch).toBe(epochs.penulis1);
    expect((await feed('penulis2')).accessEpoch).toBe(epochs.penulis2);
  });

  it('answers each story with its change number after the sync, the one GET /changes lists', async () => {
    const story = await newStory();
    const seqOf = async () => ((await app.request('GET', '/changes?since=0', { token: tokens.penulis1 })).json() as ChangesResponse).stories.find((s) => s.id === story.id)!.changeSeq;
    const first = await seqOf();
    // A state-vector-only question and a push that adds nothing answer the current number.
    const [asked] = await sync('penulis1', [{ id: story.id, stateVector: b64(Y.encodeStateVector(story.doc)) }]);
    expect(asked).toMatchObject({ ok: true, changeSeq: first });
    getMetaMap(story.doc).set('tags', ['banjir']);
    const [pushed] = await sync('penulis1', [story.request()]);
    const second = await seqOf();
    expect(second).toBeGreaterThan(first);
    expect(pushed).toMatchObject({ ok: true, changeSeq: second });
    const [again] = await sync('penulis1', [{ ...story.request(), update: b64(Y.encodeStateAsUpdate(story.doc)) }]);
    expect(again).toMatchObject({ ok: true, changeSeq: second });
  });

  it('creates a story from its first push, keeps a projection read from the document, and a repeated push writes nothing', async () => {
    const story = await newStory();
    const [row] = await t.db.query<Record<string, unknown>>('SELECT created_by, headline, rubrik_id, redaktur_id, penulis_ids, word_count FROM stories WHERE id = $1', [story.id]);
    expect(row).toEqual({
      created_by: userId('penulis1'),
      headline: 'Banjir rob di Jakarta Utara',
      rubrik_id: rubrikId('Megapolitan'),
      redaktur_id: userId('redaktur1'),
      penulis_ids: [userId('penulis1')],
      // The shared word count: the dateline's dash is not a word.
      word_count: 7,
    });
    const before = await tableCounts(t.db);
    const [seq] = await t.db.query<{ change_seq: string | number }>('SELECT change_seq FROM stories WHERE id = $1', [story.id]);
    // The same request again (a retry after a lost answer): nothing new is stored.
    const full = { id: story.id, update: b64(Y.encodeStateAsUpdate(story.doc)), stateVector: b64(Y.encodeStateVector(story.doc)) };
    for (let i = 0; i < 2; i++) expect((await sync('penulis1', [full]))[0]).toMatchObject({ ok: true });
    expect(await tableCounts(t.db)).toEqual(before);
    expect(await t.db.query('SELECT change_seq FROM stories WHERE id = $1', [story.id])).toEqual([seq]);
  });

  it('two people edit offline (the same paragraph, different meta fields) and converge in either order with both people’s words', async () => {
    const penulis = await newStory();
    const redaktur = new ClientStory(penulis.id);
    redaktur.accept((await sync('admin', [redaktur.request()]))[0]!);
    expect(readMeta(redaktur.doc).headline).toBe('Banjir rob di Jakarta Utara');

    // Offline: the penulis adds a sentence, an admin (who may edit a draft; a redaktur may not
    // before it is submitted) sharpens the headline and names the dateline.
    const text = (doc: Y.Doc) => readStoryBody(doc).text;
    writeStoryBody(penulis.doc, [{ type: 'paragraph', children: ['JAKARTA - Air laut pasang merendam permukiman warga. Ratusan rumah terendam.'] }]);
    getMetaMap(redaktur.doc).set('headline', 'Rob Rendam Ratusan Rumah di Jakarta Utara');
    getMetaMap(redaktur.doc).set('dateline', 'JAKARTA');

    redaktur.accept((await sync('admin', [redaktur.request()]))[0]!);
    penulis.accept((await sync('penulis1', [penulis.request()]))[0]!);
    redaktur.accept((await sync('admin', [redaktur.request()]))[0]!);

    expect(Y.encodeStateVector(penulis.doc)).toEqual(Y.encodeStateVector(redaktur.doc));
    expect(readMeta(penulis.doc)).toEqual(readMeta(redaktur.doc));
    expect(text(penulis.doc)).toBe(text(redaktur.doc));
    expect(text(penulis.doc)).toContain('Ratusan rumah terendam.');
    expect(readMeta(penulis.doc)).toMatchObject({ headline: 'Rob Rendam Ratusan Rumah di Jakarta Utara', dateline: 'JAKARTA' });
    const [row] = await t.db.query<{ headline: string }>('SELECT headline FROM stories WHERE id = $1', [penulis.id]);
    expect(row!.headline).toBe('Rob Rendam Ratusan Rumah di Jakarta Utara');
  });

  it('refuses another penulis and an unassigned redaktur (read and push), writing nothing; a redaktur of a parent rubrik sees it', async () => {
    const story = await newStory();
    const before = await tableCounts(t.db);
    const intruder = new ClientStory(story.id);
    getMetaMap(intruder.doc).set('headline', 'Dibajak');
    for (const username of ['penulis2', 'redaktur2']) {
      const [read] = await sync(username, [{ id: story.id, stateVector: b64(Y.encodeStateVector(new Y.Doc())) }]);
      expect(read).toEqual({ id: story.id, ok: false, error: { code: 'forbidden', message: expect.any(String) } });
      const [push] = await sync(username, [intruder.request()]);
      expect(push).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await tableCounts(t.db)).toEqual(before);

    // Moved to Ekonomi › Industri › Otomotif: redaktur2 edits Ekonomi, which covers it.
    getMetaMap(story.doc).set('rubrikId', rubrikId('Ekonomi › Industri › Otomotif'));
    getMetaMap(story.doc).set('redakturId', userId('redaktur2'));
    story.accept((await sync('penulis1', [story.request()]))[0]!);
    const [read] = await sync('redaktur2', [{ id: story.id, stateVector: b64(Y.encodeStateVector(new Y.Doc())) }]);
    expect(read).toMatchObject({ ok: true });
  });

  it('lists each user’s changed stories after a cursor: own, assigned and rubrik stories only, oldest change first, in pages', async () => {
    const changes = async (username: string, query = '') => {
      const res = await app.request('GET', `/changes${query}`, { token: tokens[username] });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as ChangesResponse;
    };
    const first = await newStory();
    const second = await newStory();
    const start = await changes('penulis1');
    expect(start.stories.map((s) => s.id)).toEqual([first.id, second.id]);
    expect(start.stories[0]).toMatchObject({ headline: 'Banjir rob di Jakarta Utara', createdBy: userId('penulis1'), redakturId: userId('redaktur1'), wordCount: 7 });
    expect(start.more).toBe(false);
    expect(start.directoryVersion).toBe(dir.version);
    expect((await changes('redaktur1')).stories.map((s) => s.id)).toEqual([first.id, second.id]);
    expect((await changes('admin')).stories).toHaveLength(2);
    expect((await changes('penulis2')).stories).toEqual([]);
    expect((await changes('redaktur2')).stories).toEqual([]);

    // Nothing new after the cursor; an edit to the first story brings it back, after the second.
    expect((await changes('redaktur1', `?since=${start.cursor}`)).stories).toEqual([]);
    getMetaMap(first.doc).set('kicker', 'Cuaca');
    first.accept((await sync('penulis1', [first.request()]))[0]!);
    const later = await changes('redaktur1', `?since=${start.cursor}`);
    expect(later.stories.map((s) => s.id)).toEqual([first.id]);
    expect(later.cursor).toBeGreaterThan(start.cursor);

    const page = await changes('penulis1', '?since=0&limit=1');
    expect([page.stories.map((s) => s.id), page.more]).toEqual([[second.id], true]);
    expect((await changes('penulis1', `?since=${page.cursor}&limit=1`)).stories.map((s) => s.id)).toEqual([first.id]);

    for (const bad of ['?since=-1', '?since=abc', '?limit=0', '?limit=5000', '?cursor=1']) {
      expect((await app.request('GET', `/changes${bad}`, { token: tokens.penulis1 })).statusCode).toBe(400);
    }
  });

  it('keeps a rubrik that holds a story from being deleted', async () => {
    await newStory();
    const res = await app.request('DELETE', `/admin/rubrik/${rubrikId('Megapolitan › Jakarta')}`, { token: tokens.admin });
    expect(res.statusCode).toBe(204);
    const megapolitan = rubrikId('Megapolitan');
    for (const child of dir.rubrik.filter((r) => r.parentId === megapolitan && r.path !== 'Megapolitan › Jakarta')) {
      expect((await app.request('DELETE', `/admin/rubrik/${child.id}`, { token: tokens.admin })).statusCode).toBe(204);
    }
    const refused = await app.request('DELETE', `/admin/rubrik/${megapolitan}`, { token: tokens.admin });
    expect(refused.statusCode).toBe(409);
    expect((refused.json() as { error: { message: string } }).error.message).toMatch(/holds 1 stories/);
  });

  it('answers each story of a batch on its own: unknown, unreadable and refused stories do not hold back the others', async () => {
    const story = await newStory();
    const fresh = new ClientStory(randomUUID());
    getMetaMap(fresh.doc).set('headline', 'Berita kedua');
    const before = await tableCounts(t.db);
    const results = await sync('penulis2', [
      { id: story.id, stateVector: b64(Y.encodeStateVector(new Y.Doc())) },
      { id: randomUUID(), stateVector: b64(Y.encodeStateVector(new Y.Doc())) },
      { id: randomUUID(), update: b64(new Uint8Array([1, 2, 3, 4, 5, 6])), stateVector: 'AA==' },
      fresh.request(),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['forbidden', 'not_found', 'invalid_update', 'ok']);
    expect((await tableCounts(t.db)).stories).toBe(before.stories! + 1);
  });

  it('validates the batch: unauthenticated → 401; not base64, an extra property or the same story twice → 400, nothing written', async () => {
    const id = randomUUID();
    const item = { id, update: b64(Y.encodeStateAsUpdate(new Y.Doc())), stateVector: 'AA==' };
    expect((await app.request('POST', '/sync', { body: { stories: [item] } })).statusCode).toBe(401);
    const before = await tableCounts(t.db);
    for (const stories of [[{ ...item, update: 'not base64!' }], [{ ...item, extra: 1 }], [item, item], []]) {
      const res = await app.request('POST', '/sync', { token: tokens.penulis1, body: { stories } });
      expect(res.statusCode).toBe(400);
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
