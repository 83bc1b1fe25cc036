import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMetaMap, readMeta } from '../../shared/doc/storyDoc';
import { readStoryBody, writeStoryBody } from '../../shared/editor/headless';
import type { DirectoryResponse } from '../../shared/server-api/schemas';
import type { ChangesResponse, SyncResponse, SyncStoryResult } from '../../shared/server-api/sync';
import { b64, ClientStory } from '../testing/httpClient';
import { openTestDatabase, startTestApp, tableCounts, type TestApp, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';

const EMPTY_SV = b64(Y.encodeStateVector(new Y.Doc()));

/** /sync and /changes against a hostile or unlucky network and hostile users, on the real database. */
describe.each(ENGINES)('sync under replays, reordering and attacks on %s', (engine) => {
  let t: TestDatabase;
  let app: TestApp;
  let tokens: Record<string, string>;
  let dir: DirectoryResponse;
  beforeAll(async () => {
    t = await openTestDatabase(engine);
    await t.resetToDemo();
    app = await startTestApp(t.db);
    tokens = {};
    for (const u of ['admin', 'redaktur1', 'redaktur2', 'penulis1', 'penulis2']) tokens[u] = await app.login(u);
    dir = (await app.request('GET', '/directory', { token: tokens.admin })).json() as DirectoryResponse;
  }, 120_000);
  afterAll(async () => t?.close());

  const userId = (username: string) => dir.users.find((u) => u.username === username)!.id;
  const rubrikId = (path: string) => dir.rubrik.find((r) => r.path === path)!.id;
  async function syncRaw(username: string, stories: object[]) {
    const res = await app.request('POST', '/sync', { token: tokens[username], body: { stories } });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as SyncResponse).stories;
  }
  const sync1 = async (username: string, story: object) => (await syncRaw(username, [story]))[0]!;
  /** What the server holds, read by a fresh client as admin. */
  async function serverCopy(id: string): Promise<Y.Doc> {
    const reader = new ClientStory(id);
    reader.accept(await sync1('admin', { id, stateVector: EMPTY_SV }));
    return reader.doc;
  }
  const updateRows = async (id: string) => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM story_updates WHERE story_id = $1', [id]))[0]!.n;
  const occurrences = (text: string, part: string) => text.split(part).length - 1;

  function penulis1Story(): ClientStory {
    const story = new ClientStory(randomUUID());
    const meta = getMetaMap(story.doc);
    meta.set('headline', 'Gempa di Cianjur');
    meta.set('rubrikId', rubrikId('Nasional'));
    meta.set('redakturId', userId('redaktur1'));
    meta.set('penulisIds', [userId('penulis1')]);
    return story;
  }

  it('the same first push five times at once: every answer ok, one story, one stored update', async () => {
    const story = penulis1Story();
    writeStoryBody(story.doc, [{ type: 'paragraph', children: ['CIANJUR - Gempa magnitudo 5,6 mengguncang.'] }]);
    const request = story.request();
    const results = await Promise.all(Array.from({ length: 5 }, () => sync1('penulis1', request)));
    expect(results.map((r) => r.ok)).toEqual(Array(5).fill(true));
    expect(new Set(results.map((r) => (r as Extract<SyncStoryResult, { ok: true }>).stateVector)).size).toBe(1);
    expect(await updateRows(story.id)).toBe(1);
    expect((await t.db.query('SELECT id FROM stories WHERE id = $1', [story.id])).length).toBe(1);
  });

  it('edits sent one by one arrive out of order and some twice: the same document, no text doubled', async () => {
    const story = penulis1Story();
    const sentences = ['Warga mengungsi ke lapangan.', 'Listrik padam di tiga kecamatan.', 'BMKG mencatat 12 gempa susulan.', 'Sekolah diliburkan.'];
    // Each edit is its own update: what a client sends when each push times out before the next.
    const updates: Uint8Array[] = [];
    let before = Y.encodeStateVector(new Y.Doc());
    for (let i = 0; i < sentences.length; i++) {
      writeStoryBody(story.doc, [{ type: 'paragraph', children: [sentences.slice(0, i + 1).join(' ')] }]);
      updates.push(Y.encodeStateAsUpdate(story.doc, before));
      before = Y.encodeStateVector(story.doc);
    }
    const clientSV = b64(Y.encodeStateVector(story.doc));
    const send = (i: number) => sync1('penulis1', { id: story.id, update: b64(updates[i]!), stateVector: clientSV });
    // The first update creates the story; the rest come reordered, with replays mixed in.
    for (const i of [0, 3, 2, 3, 0, 1, 2, 1]) expect(await send(i)).toMatchObject({ ok: true });

    const server = await serverCopy(story.id);
    const text = readStoryBody(server).text;
    expect(text).toBe(readStoryBody(story.doc).text);
    for (const s of sentences) expect(occurrences(text, s)).toBe(1);
    expect(readMeta(server)).toEqual(readMeta(story.doc));
    // Four distinct updates stored; the four replays added nothing.
    expect(await updateRows(story.id)).toBe(4);
    const [row] = await t.db.query<{ word_count: number }>('SELECT word_count FROM stories WHERE id = $1', [story.id]);
    expect(row!.word_count).toBe(sentences.join(' ').split(/\s+/).length);
  });

  it('two people’s requests replayed and shuffled converge to one document with both people’s words once', async () => {
    const penulis = penulis1Story();
    writeStoryBody(penulis.doc, [{ type: 'paragraph', children: ['Awal berita.'] }]);
    penulis.accept(await sync1('penulis1', penulis.request()));
    // An admin may edit a draft beside its penulis (a redaktur may only once it is submitted).
    const redaktur = new ClientStory(penulis.id);
    redaktur.accept(await sync1('admin', redaktur.request()));

    writeStoryBody(penulis.doc, [{ type: 'paragraph', children: ['Awal berita. Tambahan dari penulis.'] }]);
    getMetaMap(redaktur.doc).set('headline', 'Gempa Guncang Cianjur');
    writeStoryBody(redaktur.doc, [{ type: 'paragraph', children: ['Awal berita diperbaiki redaktur.'] }]);
    const requests = [
      ['penulis1', penulis.request()],
      ['admin', redaktur.request()],
    ] as const;
    // Each request three times, interleaved; the answers are thrown away (lost on the way back).
    for (const i of [1, 0, 0, 1, 1, 0]) expect(await sync1(requests[i]![0], requests[i]![1])).toMatchObject({ ok: true });
    // Now the answers arrive.
    penulis.accept(await sync1('penulis1', penulis.request()));
    redaktur.accept(await sync1('admin', redaktur.request()));
    penulis.accept(await sync1('penulis1', penulis.request()));

    const server = await serverCopy(penulis.id);
    for (const doc of [penulis.doc, redaktur.doc]) {
      expect(readStoryBody(doc).text).toBe(readStoryBody(server).text);
      expect(readMeta(doc)).toEqual(readMeta(server));
    }
    const text = readStoryBody(server).text;
    expect(occurrences(text, 'Tambahan dari penulis.')).toBe(1);
    expect(occurrences(text, 'diperbaiki redaktur')).toBe(1);
    expect(readMeta(server).headline).toBe('Gempa Guncang Cianjur');
  });

  it('bad, expired and revoked tokens, malformed, wrongly typed and oversized bodies on /sync and /changes: 4xx, nothing written', async () => {
    const story = penulis1Story();
    writeStoryBody(story.doc, [{ type: 'paragraph', children: ['Tidak boleh tersimpan.'] }]);
    const body = { stories: [story.request()] };
    const revoked = await app.login('penulis1');
    expect((await app.request('POST', '/auth/logout', { token: revoked })).statusCode).toBe(204);
    const expiring = await app.login('penulis1');
    const before = await tableCounts(t.db);

    const cases: [string, number, string, () => Promise<{ statusCode: number; json(): unknown }>][] = [];
    for (const [label, headers, code] of [
      ['no token', {}, 'unauthenticated'],
      ['not a bearer header', { authorization: 'Basic cGVudWxpczE6cmVkYWtzaTEyMw==' }, 'invalid_token'],
      ['malformed token', { authorization: 'Bearer abc' }, 'invalid_token'],
      ['unknown token', { authorization: `Bearer rr_${'A'.repeat(43)}` }, 'invalid_token'],
      ['revoked token', { authorization: `Bearer ${revoked}` }, 'session_revoked'],
    ] as const) {
      cases.push([`/sync, ${label}`, 401, code, () => app.request('POST', '/sync', { body, headers })]);
      cases.push([`/changes, ${label}`, 401, code, () => app.request('GET', '/changes', { headers })]);
    }
    const auth = { authorization: `Bearer ${tokens.penulis1}` };
    cases.push(['malformed JSON', 400, 'invalid_json', () => app.request('POST', '/sync', { rawBody: '{"stories": [', headers: auth })]);
    cases.push(['not JSON', 415, 'unsupported_media_type', () => app.app.inject({ method: 'POST', url: '/sync', payload: 'stories', headers: { ...auth, 'content-type': 'application/octet-stream' } })]);
    cases.push(['text instead of JSON', 400, 'invalid_request', () => app.app.inject({ method: 'POST', url: '/sync', payload: 'stories', headers: { ...auth, 'content-type': 'text/plain' } })]);
    cases.push(['101 stories', 400, 'invalid_request', () => app.request('POST', '/sync', { body: { stories: Array.from({ length: 101 }, () => ({ id: randomUUID(), stateVector: EMPTY_SV })) }, headers: auth })]);
    cases.push(['a story id that is not an id', 400, 'invalid_request', () => app.request('POST', '/sync', { body: { stories: [{ ...story.request(), id: '../../etc/passwd' }] }, headers: auth })]);
    cases.push([
      'over 16 MiB',
      413,
      'body_too_large',
      () => app.request('POST', '/sync', { rawBody: JSON.stringify({ stories: [{ ...story.request(), update: 'A'.repeat(17 * 1024 * 1024) }] }), headers: auth }),
    ]);
    cases.push(['/changes with a bad cursor', 400, 'invalid_request', () => app.request('GET', '/changes?since=1e9', { headers: auth })]);
    for (const [label, status, code, run] of cases) {
      const res = await run();
      expect([label, res.statusCode, (res.json() as { error: { code: string } }).error.code]).toEqual([label, status, code]);
    }

    app.clock.now += 31 * 24 * 60 * 60 * 1000;
    try {
      for (const res of [
        await app.request('POST', '/sync', { token: expiring, body }),
        await app.request('GET', '/changes', { token: expiring }),
      ]) {
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ error: { code: 'session_expired' } });
      }
    } finally {
      app.clock.now -= 31 * 24 * 60 * 60 * 1000;
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a penulis cannot read or push another’s story, nor claim it through the byline; a redaktur sees only their assignment and rubrik', async () => {
    const story = penulis1Story();
    writeStoryBody(story.doc, [{ type: 'paragraph', children: ['Rahasia redaksi.'] }]);
    story.accept(await sync1('penulis1', story.request()));
    const before = await tableCounts(t.db);

    // penulis2 tries to read it, to push into it, and to name themselves in its byline.
    const thief = new ClientStory(story.id);
    getMetaMap(thief.doc).set('penulisIds', [userId('penulis1'), userId('penulis2')]);
    // redaktur2 (not assigned, not editing Nasional) tries to move it into their own rubrik.
    const mover = new ClientStory(story.id);
    getMetaMap(mover.doc).set('rubrikId', rubrikId('Ekonomi'));
    getMetaMap(mover.doc).set('redakturId', userId('redaktur2'));
    for (const [username, attempt] of [
      ['penulis2', { id: story.id, stateVector: EMPTY_SV }],
      ['penulis2', thief.request()],
      ['redaktur2', { id: story.id, stateVector: EMPTY_SV }],
      ['redaktur2', mover.request()],
    ] as const) {
      const result = await sync1(username, attempt);
      expect(result).toEqual({ id: story.id, ok: false, error: { code: 'forbidden', message: expect.any(String) } });
      // A refusal carries nothing of the story.
      expect(JSON.stringify(result)).not.toContain('update');
    }
    expect(await tableCounts(t.db)).toEqual(before);

    const visible = async (username: string) =>
      ((await app.request('GET', '/changes?since=0&limit=1000', { token: tokens[username] })).json() as ChangesResponse).stories.some((s) => s.id === story.id);
    expect({
      penulis1: await visible('penulis1'),
      penulis2: await visible('penulis2'),
      redaktur1: await visible('redaktur1'),
      redaktur2: await visible('redaktur2'),
      admin: await visible('admin'),
    }).toEqual({ penulis1: true, penulis2: false, redaktur1: true, redaktur2: false, admin: true });
    // Unassigned from redaktur1 and still in Nasional (which redaktur1 edits): still visible to them.
    getMetaMap(story.doc).set('redakturId', null);
    story.accept(await sync1('penulis1', story.request()));
    expect(await visible('redaktur1')).toBe(true);
    // Moved to Olahraga, unassigned: redaktur1 loses it, redaktur2 (Olahraga) gains it.
    getMetaMap(story.doc).set('rubrikId', rubrikId('Olahraga'));
    story.accept(await sync1('penulis1', story.request()));
    expect([await visible('redaktur1'), await visible('redaktur2')]).toEqual([false, true]);
    expect(await sync1('redaktur1', { id: story.id, stateVector: EMPTY_SV })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
