import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DirectoryResponse } from '../../../shared/server-api/schemas';
import type { ChangesResponse, SyncRequest } from '../../../shared/server-api/sync';
import { fetchDirectory, loginSession, ManualSessionSource, startNewsroomServer, type NewsroomServer } from '../testing/syncServer';
import {
  createStory,
  editStory,
  openSyncCore,
  paragraph,
  readDoc,
  setHeadline,
  setMeta,
  storyText,
  writeParagraphs,
  type SyncCore,
} from '../testing/syncCore';
import { tempProfile } from '../testing/tempProfile';
import type { ServerSession } from './session';
import type { FetchLike } from './serverHttp';

/** A request body as the server reads it (the engine gzips the larger ones). */
function sentText(body: string | Uint8Array | undefined): string {
  if (body === undefined) throw new Error('a POST without a body');
  return typeof body === 'string' ? body : gunzipSync(body).toString('utf8');
}

let server: NewsroomServer;
let directory: DirectoryResponse;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  server = await startNewsroomServer();
  directory = await fetchDirectory(await loginSession(server.url, 'admin'));
}, 60_000);

// The server drains for up to 10 s on SIGTERM; on a loaded machine its stop alone can pass the default hook timeout.
afterAll(async () => {
  await server?.stop();
}, 60_000);

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function rubrikId(path: string): string {
  const r = directory.rubrik.find((x) => x.path === path);
  if (!r) throw new Error(`no rubrik ${path}`);
  return r.id;
}
function userId(username: string): string {
  return directory.users.find((u) => u.username === username)!.id;
}

async function core(session: ServerSession | null, options: Parameters<typeof openSyncCore>[2] = {}): Promise<SyncCore & { sessions: ManualSessionSource; dir: string }> {
  const profile = tempProfile('rr-sync-');
  const sessions = new ManualSessionSource(session);
  const c = openSyncCore(profile.dir, sessions, options);
  cleanups.push(() => profile.remove());
  cleanups.push(() => c.close());
  return Object.assign(c, { sessions, dir: profile.dir });
}

function rowOf(c: SyncCore, id: string) {
  return c.db.prepare('SELECT dirty, acked_sv, conflict_of, sync_refused, rubrik_id, redaktur_id, penulis_ids FROM stories WHERE id = ?').get(id) as {
    dirty: number;
    acked_sv: Buffer | null;
    conflict_of: string | null;
    sync_refused: string | null;
  };
}

async function changesSince(session: ServerSession, since: number): Promise<ChangesResponse> {
  const res = await fetch(new URL(`/changes?since=${since}`, session.serverUrl), { headers: { authorization: `Bearer ${session.token}` } });
  return (await res.json()) as ChangesResponse;
}

/** A penulis's story in Nasional, assigned to redaktur1, synced once. */
async function assignedStory(penulis: SyncCore, words: string[]): Promise<string> {
  const id = createStory(penulis);
  editStory(penulis, id, (doc) => {
    setHeadline(doc, 'Banjir di Jakarta Utara');
    writeParagraphs(doc, words);
    setMeta(doc, { rubrikId: rubrikId('Nasional'), redakturId: userId('redaktur1') });
  });
  const status = await penulis.engine.syncNow();
  expect(status).toMatchObject({ state: 'online', pending: 0, problem: null });
  return id;
}

async function submitStory(session: ServerSession, id: string): Promise<void> {
  const res = await fetch(`${session.serverUrl}/stories/${id}/commands`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: randomUUID(), command: 'submit', issuedAt: Date.now() }),
  });
  expect(res.status, await res.text()).toBe(200);
}

describe('sync engine against a real server', () => {
  it('a story written before login gets the first user as penulis; the assigned redaktur receives it and their edits flow back', async () => {
    // The desk's edits come from an admin: a redaktur may edit a story only once it is submitted (issue 9).
    const penulisSession = await loginSession(server.url, 'penulis1');
    const penulis = await core(null);
    const id = createStory(penulis);
    editStory(penulis, id, (doc) => {
      setHeadline(doc, 'Harga cabai naik');
      writeParagraphs(doc, ['Harga cabai rawit di pasar induk naik dua kali lipat.']);
      setMeta(doc, { rubrikId: rubrikId('Nasional'), redakturId: userId('redaktur1') });
    });
    expect(penulis.stories.summaryById(id)).toMatchObject({ syncState: 'local', penulisIds: [] });
    expect(penulis.engine.status()).toMatchObject({ state: 'offline', problem: 'not_logged_in', pending: 1 });

    penulis.sessions.set(penulisSession); // logging in starts a sync
    await expect.poll(() => penulis.stories.summaryById(id)?.syncState, { timeout: 20_000 }).toBe('synced');
    expect(storyText(penulis, id).meta.penulisIds).toEqual([penulisSession.user.id]);
    expect(penulis.stories.summaryById(id)).toMatchObject({
      rubrikId: rubrikId('Nasional'),
      redakturId: userId('redaktur1'),
      penulisIds: [penulisSession.user.id],
    });
    await expect.poll(() => penulis.engine.status()).toMatchObject({ state: 'online', pending: 0 });

    const redaktur = await core(await loginSession(server.url, 'admin'));
    await redaktur.engine.syncNow();
    expect(storyText(redaktur, id).body).toBe('Harga cabai rawit di pasar induk naik dua kali lipat.');
    expect(redaktur.stories.summaryById(id)).toMatchObject({ headline: 'Harga cabai naik', syncState: 'synced', penulisIds: [penulisSession.user.id] });

    editStory(redaktur, id, (doc) => paragraph(doc, 0).insert(0, 'JAKARTA - '));
    expect(redaktur.stories.summaryById(id)?.syncState).toBe('pending');
    await redaktur.engine.syncNow();
    expect(redaktur.stories.summaryById(id)?.syncState).toBe('synced');

    // The penulis has the story open in a window: the redaktur's words reach it as a remote update.
    penulis.docs.open(id, { id: 'window-1', detached: false, onDetach: () => () => {} });
    await penulis.engine.syncNow();
    expect(storyText(penulis, id).body).toBe('JAKARTA - Harga cabai rawit di pasar induk naik dua kali lipat.');
    expect(penulis.remoteUpdates.map((u) => [u.storyId, u.holders])).toEqual([[id, ['window-1']]]);
    expect(penulis.stories.summaryById(id)?.syncState).toBe('synced'); // a remote update is not a local change
  });

  for (const order of ['penulis first', 'redaktur first'] as const) {
    it(`two people edit the same paragraph and different meta fields offline, ${order}: identical documents with both people's words`, async () => {
      const penulis = await core(await loginSession(server.url, 'penulis2'));
      const redaktur = await core(await loginSession(server.url, 'admin'));
      const id = await assignedStory(penulis, ['Air setinggi satu meter merendam permukiman warga.']);
      await redaktur.engine.syncNow();
      expect(storyText(redaktur, id).body).toBe('Air setinggi satu meter merendam permukiman warga.');

      // Offline: neither syncs.
      editStory(penulis, id, (doc) => {
        paragraph(doc, 0).insert(3, ' keruh');
        setMeta(doc, { dateline: 'JAKARTA' });
      });
      editStory(redaktur, id, (doc) => {
        paragraph(doc, 0).insert(3, ' bah');
        const lead = doc.getText('meta.lead');
        lead.insert(0, 'Ringkasan redaktur.');
        setMeta(doc, { slug: 'banjir-jakut' });
      });

      const [first, second] = order === 'penulis first' ? [penulis, redaktur] : [redaktur, penulis];
      await first.engine.syncNow();
      await second.engine.syncNow();
      await first.engine.syncNow();

      const a = storyText(penulis, id);
      const b = storyText(redaktur, id);
      expect(a).toEqual(b);
      expect(a.body).toContain('keruh');
      expect(a.body).toContain('bah');
      expect(a.body).toMatch(/^Air( keruh| bah){2} setinggi satu meter merendam permukiman warga\.$/);
      expect(a.meta).toMatchObject({ dateline: 'JAKARTA', slug: 'banjir-jakut', lead: 'Ringkasan redaktur.', headline: 'Banjir di Jakarta Utara' });
      expect(Y.encodeStateVector(readDoc(penulis, id))).toEqual(Y.encodeStateVector(readDoc(redaktur, id)));
      expect(penulis.stories.summaryById(id)?.syncState).toBe('synced');
      expect(redaktur.stories.summaryById(id)?.syncState).toBe('synced');
    });
  }

  it('replayed and duplicated batches change nothing, on the server or locally', async () => {
    const session = await loginSession(server.url, 'penulis3');
    const sent: string[] = [];
    const recording: FetchLike = async (url, init) => {
      if (init.method === 'POST') sent.push(sentText(init.body));
      return fetch(url, init);
    };
    const directoryVersions: number[] = [];
    const penulis = await core(session, { fetch: recording, onDirectoryVersion: (v) => directoryVersions.push(v) });
    const id = createStory(penulis);
    editStory(penulis, id, (doc) => writeParagraphs(doc, ['Kalimat pertama.', 'Kalimat kedua.']));
    await penulis.engine.syncNow();
    expect(directoryVersions).toEqual([directory.version]); // told once, not on every exchange
    const pushed = sent.map((b) => JSON.parse(b) as SyncRequest).find((b) => b.stories.some((s) => s.id === id && s.update));
    expect(pushed).toBeDefined();
    const { cursor } = await changesSince(session, 0);

    for (let i = 0; i < 2; i++) {
      const res = await fetch(new URL('/sync', server.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(pushed),
      });
      expect(res.status).toBe(200);
    }
    // Nothing changed on the server: the changes feed has nothing after the cursor.
    expect((await changesSince(session, cursor)).stories).toEqual([]);

    // The engine's own replay (a story marked dirty again, as after a crash before the answer was recorded).
    const logRows = () => penulis.db.prepare('SELECT count(*) FROM doc_updates').pluck().get() as number;
    const before = logRows();
    penulis.db.prepare('UPDATE stories SET dirty = 1, acked_sv = NULL WHERE id = ?').run(id);
    await penulis.engine.syncNow();
    expect((await changesSince(session, cursor)).stories).toEqual([]);
    expect(logRows()).toBe(before);
    expect(storyText(penulis, id).body).toBe('Kalimat pertama.\n\nKalimat kedua.');
    expect(penulis.stories.summaryById(id)?.syncState).toBe('synced');
  });

  it('the exchange after a push does not ask again about the stories it pushed (their answers carried the change number)', async () => {
    const requests: string[] = [];
    const recording: FetchLike = async (url, init) => {
      requests.push(`${init.method} ${new URL(url).pathname}`);
      return fetch(url, init);
    };
    const penulis = await core(await loginSession(server.url, 'penulis3'), { fetch: recording });
    await penulis.engine.syncNow();
    const id = createStory(penulis);
    editStory(penulis, id, (doc) => writeParagraphs(doc, ['Sekali kirim.']));
    await penulis.engine.syncNow();
    expect(penulis.stories.summaryById(id)?.syncState).toBe('synced');
    requests.length = 0;
    // The feed lists the story for the change the push made; nothing is left to ask.
    expect(await penulis.engine.syncNow()).toMatchObject({ state: 'online', pending: 0 });
    expect(requests).toEqual(['GET /changes']);
  });

  it('a reconnect takes two round trips: the changes feed, then one /sync with the local changes and the stories it listed', async () => {
    const requests: Array<{ method: string; path: string; body?: SyncRequest }> = [];
    const recording: FetchLike = async (url, init) => {
      requests.push({
        method: init.method ?? 'GET',
        path: new URL(url).pathname,
        ...(init.method === 'POST' ? { body: JSON.parse(sentText(init.body)) as SyncRequest } : {}),
      });
      return fetch(url, init);
    };
    const penulisSession = await loginSession(server.url, 'penulis1');
    const penulis = await core(penulisSession, { fetch: recording });
    const redaktur = await core(await loginSession(server.url, 'admin'));
    const shared = await assignedStory(penulis, ['Paragraf dari penulis.']);
    await redaktur.engine.syncNow();

    // Offline, the penulis writes a new story; meanwhile the redaktur edits the shared one.
    penulis.sessions.set(null);
    const written = createStory(penulis);
    editStory(penulis, written, (doc) => writeParagraphs(doc, ['Ditulis tanpa sinyal.']));
    editStory(redaktur, shared, (doc) => paragraph(doc, 0).insert(0, 'Suntingan redaktur. '));
    await redaktur.engine.syncNow();

    requests.length = 0;
    penulis.sessions.set(penulisSession); // the reconnect
    await expect.poll(() => penulis.engine.status(), { timeout: 20_000 }).toMatchObject({ state: 'online', pending: 0 });
    expect(storyText(penulis, shared).body).toBe('Suntingan redaktur. Paragraf dari penulis.');
    expect(penulis.stories.summaryById(written)?.syncState).toBe('synced');
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /changes', 'POST /sync']);
    const sent = requests[1]!.body!.stories;
    expect(sent.find((x) => x.id === written)?.update).toBeDefined(); // the local change, with its diff
    expect(sent.find((x) => x.id === shared)).toMatchObject({ id: shared }); // listed by the feed
    expect(sent.find((x) => x.id === shared)?.update).toBeUndefined();

    // The cursor was saved, and the feed lists the pushed story only for the change the push
    // made (its answer carried that change number): the next exchange asks about nothing.
    requests.length = 0;
    await penulis.engine.syncNow();
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /changes']);
  });

  it('a /sync that fails after the feed was read leaves the cursor where it was: the next exchange still brings what the feed listed', async () => {
    let failSync = false;
    const flaky: FetchLike = async (url, init) => {
      if (failSync && init.method === 'POST') throw new TypeError('fetch failed');
      return fetch(url, init);
    };
    const penulis = await core(await loginSession(server.url, 'penulis1'), { fetch: flaky });
    const redaktur = await core(await loginSession(server.url, 'admin'));
    const id = await assignedStory(penulis, ['Paragraf dari penulis.']);
    await redaktur.engine.syncNow();
    editStory(redaktur, id, (doc) => paragraph(doc, 0).insert(0, 'Suntingan redaktur. '));
    await redaktur.engine.syncNow();

    const cursor = () => penulis.db.prepare('SELECT cursor FROM sync_cursor').pluck().get();
    const before = cursor();
    failSync = true;
    expect(await penulis.engine.syncNow()).toMatchObject({ state: 'offline', problem: 'server_unreachable' });
    expect(cursor()).toBe(before);
    expect(storyText(penulis, id).body).toBe('Paragraf dari penulis.');

    failSync = false;
    expect(await penulis.engine.syncNow()).toMatchObject({ state: 'online', pending: 0 });
    expect(storyText(penulis, id).body).toBe('Suntingan redaktur. Paragraf dari penulis.');
    expect(cursor()).not.toBe(before);
  });

  it('a story the server refuses becomes a salinan konflik holding the local words, pushed as the user\'s own story; the original is not pushed until access comes back', async () => {
    const penulisSession = await loginSession(server.url, 'penulis1');
    const redakturSession = await loginSession(server.url, 'redaktur1');
    const penulis = await core(penulisSession);
    const redaktur = await core(redakturSession);
    const admin = await core(await loginSession(server.url, 'admin'));
    const id = await assignedStory(penulis, ['Paragraf dari penulis.']);
    // Submitted, so its redaktur may edit the text (issue 9); the desk (an admin) moves it.
    editStory(penulis, id, (doc) => setMeta(doc, { dateline: 'JAKARTA' }));
    await penulis.engine.syncNow();
    await submitStory(penulisSession, id);
    await redaktur.engine.syncNow();
    await admin.engine.syncNow();

    // Offline, the redaktur edits; meanwhile the desk moves the story to redaktur2's rubrik.
    editStory(redaktur, id, (doc) => paragraph(doc, 0).insert(0, 'Tambahan redaktur. '));
    editStory(admin, id, (doc) => setMeta(doc, { rubrikId: rubrikId('Ekonomi'), redakturId: userId('redaktur2') }));
    await admin.engine.syncNow();

    await redaktur.engine.syncNow();
    const original = redaktur.stories.summaryById(id)!;
    expect(rowOf(redaktur, id).sync_refused).toBe('forbidden');
    const copies = redaktur.stories.list({ limit: 100, offset: 0 }).items.filter((s) => s.conflictOf === id);
    expect(copies).toHaveLength(1);
    const copy = copies[0]!;
    expect(copy).toMatchObject({ conflictOf: id, headline: 'Banjir di Jakarta Utara' });
    expect(storyText(redaktur, copy.id).body).toBe('Tambahan redaktur. Paragraf dari penulis.');
    expect(storyText(redaktur, copy.id).meta).toEqual(storyText(redaktur, id).meta);
    expect(original.syncState).toBe('local');

    // The copy goes to the server at once, as the redaktur's own new story; the list still marks it.
    await expect.poll(() => rowOf(redaktur, copy.id).acked_sv, { timeout: 20_000 }).not.toBeNull();
    await expect.poll(() => redaktur.engine.status()).toMatchObject({ state: 'online', pending: 0 });
    expect(redaktur.stories.summaryById(copy.id)).toMatchObject({ syncState: 'conflict', conflictOf: id });
    expect((await changesSince(redakturSession, 0)).stories.find((s) => s.id === copy.id)).toMatchObject({ createdBy: redakturSession.user.id, headline: 'Banjir di Jakarta Utara' });

    // Another exchange makes no second copy and does not push the original.
    await redaktur.engine.syncNow();
    expect(redaktur.stories.list({ limit: 100, offset: 0 }).items.filter((s) => s.conflictOf === id)).toHaveLength(1);
    await penulis.engine.syncNow();
    expect(storyText(penulis, id).body).toBe('Paragraf dari penulis.');

    // Access comes back (the story moves back) and the redaktur logs in again: the original is
    // asked about again and its local words, kept all along, reach the penulis.
    await admin.engine.syncNow();
    editStory(admin, id, (doc) => setMeta(doc, { rubrikId: rubrikId('Nasional'), redakturId: userId('redaktur1') }));
    await admin.engine.syncNow();
    redaktur.sessions.set(await loginSession(server.url, 'redaktur1'));
    await expect.poll(() => rowOf(redaktur, id), { timeout: 20_000 }).toMatchObject({ sync_refused: null, dirty: 0 });
    await penulis.engine.syncNow();
    expect(storyText(penulis, id).body).toBe('Tambahan redaktur. Paragraf dari penulis.');
    expect(storyText(redaktur, id).meta).toMatchObject({ rubrikId: rubrikId('Nasional'), redakturId: userId('redaktur1') });
    expect(redaktur.stories.list({ limit: 100, offset: 0 }).items.filter((s) => s.conflictOf === id)).toHaveLength(1);
  });

  it('a refused original with nothing new is asked about again at login and kept refused without a second copy while access stays gone', async () => {
    const penulis = await core(await loginSession(server.url, 'penulis1'));
    const redaktur = await core(await loginSession(server.url, 'redaktur1'));
    const id = await assignedStory(penulis, ['Satu paragraf.']);
    await redaktur.engine.syncNow();
    editStory(redaktur, id, (doc) => paragraph(doc, 0).insert(0, 'Kata redaktur. '));
    editStory(penulis, id, (doc) => setMeta(doc, { rubrikId: rubrikId('Ekonomi'), redakturId: userId('redaktur2') }));
    await penulis.engine.syncNow();
    await redaktur.engine.syncNow();
    expect(rowOf(redaktur, id).sync_refused).toBe('forbidden');
    const asked: string[] = [];
    const spy: FetchLike = (url, init) => {
      if (init.body !== undefined) asked.push(...(JSON.parse(sentText(init.body)) as SyncRequest).stories.filter((s) => s.id === id).map((s) => (s.update ? 'update' : 'state vector')));
      return fetch(url, init);
    };
    await redaktur.close();
    const again = openSyncCore(redaktur.dir, redaktur.sessions, { fetch: spy });
    cleanups.push(() => again.close());
    await again.engine.syncNow();
    expect(asked).toEqual(['state vector']);
    expect(rowOf(again, id)).toMatchObject({ sync_refused: 'forbidden', dirty: 1 });
    expect(again.stories.list({ limit: 100, offset: 0 }).items.filter((s) => s.conflictOf === id)).toHaveLength(1);
    expect(storyText(again, id).body).toBe('Kata redaktur. Satu paragraf.');
  });

  it('a story the feed lists but the server refuses a moment later leaves no empty row behind', async () => {
    const penulis = await core(await loginSession(server.url, 'penulis3'));
    const id = createStory(penulis);
    editStory(penulis, id, (doc) => {
      setHeadline(doc, 'Pindah rubrik');
      writeParagraphs(doc, ['Isi.']);
      setMeta(doc, { rubrikId: rubrikId('Nasional'), redakturId: userId('redaktur1') });
    });
    await penulis.engine.syncNow();
    let moved = false;
    // Between the redaktur's feed and its POST /sync, the penulis moves the story away.
    const racing: FetchLike = async (url, init) => {
      if (init.method === 'POST' && !moved) {
        moved = true;
        editStory(penulis, id, (doc) => setMeta(doc, { rubrikId: rubrikId('Ekonomi'), redakturId: userId('redaktur2') }));
        await penulis.engine.syncNow();
      }
      return fetch(url, init);
    };
    const redaktur = await core(await loginSession(server.url, 'redaktur1'), { fetch: racing });
    await redaktur.engine.syncNow();
    expect(moved).toBe(true);
    expect(redaktur.stories.summaryById(id)).toBeUndefined();
    expect(redaktur.stories.list({ limit: 1000, offset: 0 }).items.filter((s) => s.id === id || s.conflictOf === id)).toEqual([]);
  });

  it('a redaktur given a rubrik gets its older stories; when it is taken away, untouched stories leave the profile and unsynced words become a salinan konflik', async () => {
    const admin = await loginSession(server.url, 'admin');
    const setRubrik = async (username: string, paths: string[]) => {
      const res = await fetch(new URL(`/admin/users/${userId(username)}/rubrik`, server.url), {
        method: 'PUT',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ rubrikIds: paths.map(rubrikId) }),
      });
      expect(res.status, await res.text()).toBe(200);
    };
    // The demo's assignment of redaktur2, put back at the end (other tests rely on it).
    const original = ['Ekonomi', 'Mondial', 'Olahraga', 'Rona', 'Wisata', 'Edisi Weekend'];
    const penulis = await core(await loginSession(server.url, 'penulis2'));
    const redakturSession = await loginSession(server.url, 'redaktur2');
    const redaktur = await core(redakturSession);
    try {
      const older = (headline: string, text: string) => {
        const id = createStory(penulis);
        editStory(penulis, id, (doc) => {
          setHeadline(doc, headline);
          writeParagraphs(doc, [text]);
          setMeta(doc, { rubrikId: rubrikId('Megapolitan'), redakturId: userId('redaktur1') });
        });
        return id;
      };
      const edited = older('Macet di Sudirman', 'Lalu lintas tersendat.');
      const untouched = older('Taman kota dibuka', 'Warga datang sejak pagi.');
      await penulis.engine.syncNow();
      // redaktur2's own newer story puts their cursor past both.
      const own = createStory(redaktur);
      editStory(redaktur, own, (doc) => writeParagraphs(doc, ['Catatan redaktur.']));
      await redaktur.engine.syncNow();
      await redaktur.engine.syncNow(); // the feed lists their story: the cursor moves past both
      const cursor = redaktur.db.prepare('SELECT cursor FROM sync_cursor WHERE user_id = ?').pluck().get(redakturSession.user.id) as number;
      const changes = await changesSince(await loginSession(server.url, 'penulis2'), 0);
      expect(cursor).toBeGreaterThan(Math.max(...changes.stories.filter((c) => c.id === edited || c.id === untouched).map((c) => c.changeSeq)));
      expect(redaktur.stories.summaryById(edited)).toBeUndefined();

      await setRubrik('redaktur2', [...original, 'Megapolitan']);
      await redaktur.engine.syncNow();
      expect(storyText(redaktur, edited).body).toBe('Lalu lintas tersendat.');
      expect(storyText(redaktur, untouched).body).toBe('Warga datang sejak pagi.');
      expect(redaktur.stories.summaryById(untouched)).toMatchObject({ headline: 'Taman kota dibuka', syncState: 'synced' });

      // Offline, redaktur2 edits one; meanwhile Megapolitan is taken from them again.
      redaktur.sessions.set(null);
      editStory(redaktur, edited, (doc) => paragraph(doc, 0).insert(0, 'Sore ini: '));
      await setRubrik('redaktur2', original);
      redaktur.sessions.set(redakturSession);
      await expect.poll(() => redaktur.stories.summaryById(untouched), { timeout: 20_000 }).toBeUndefined();
      await expect.poll(() => redaktur.stories.list({ limit: 1000, offset: 0 }).items.filter((s) => s.conflictOf === edited).length, { timeout: 20_000 }).toBe(1);
      const copy = redaktur.stories.list({ limit: 1000, offset: 0 }).items.find((s) => s.conflictOf === edited)!;
      expect(storyText(redaktur, copy.id).body).toBe('Sore ini: Lalu lintas tersendat.');
      expect(rowOf(redaktur, edited).sync_refused).toBe('forbidden');
      expect(redaktur.stories.summaryById(own)?.syncState).toBe('synced');
    } finally {
      await setRubrik('redaktur2', original);
    }
  });

  it('an exchange retried while the server is unreachable does not decode never-acknowledged stories again to check their byline', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const session = await loginSession(server.url, 'penulis1');
    const penulis = await core(null);
    const ids = [createStory(penulis), createStory(penulis), createStory(penulis)];
    for (const id of ids) editStory(penulis, id, (doc) => writeParagraphs(doc, [`Naskah ${id}.`]));
    let decodes = 0;
    const stateOf = penulis.docs.stateOf.bind(penulis.docs);
    penulis.docs.stateOf = (id: string) => {
      decodes++;
      return stateOf(id);
    };
    penulis.sessions.set({ ...session, serverUrl: `http://127.0.0.1:${port}` });
    expect(await penulis.engine.syncNow()).toMatchObject({ state: 'offline', problem: 'server_unreachable' });
    expect(ids.map((id) => storyText(penulis, id).meta.penulisIds)).toEqual(ids.map(() => [session.user.id]));
    const afterFirst = decodes;
    await penulis.engine.syncNow();
    await penulis.engine.syncNow();
    expect(decodes).toBe(afterFirst);
    // A local edit is checked again (and keeps the byline).
    editStory(penulis, ids[0]!, (doc) => paragraph(doc, 0).insert(0, 'Lagi. '));
    await penulis.engine.syncNow();
    expect(decodes).toBeGreaterThan(afterFirst);
  });

  it('syncing with another server address sends every story again in full (its acknowledged state vectors are from the old one)', async () => {
    const target = new URL(server.url);
    const open = new Set<Socket>();
    const forwarder: Server = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      open.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => forwarder.listen(0, '127.0.0.1', r));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const socket of open) socket.destroy();
          forwarder.close(() => r());
        }),
    );
    const session = await loginSession(server.url, 'penulis3');
    const pushed: string[][] = [];
    const recording: FetchLike = async (url, init) => {
      if (init.method === 'POST') pushed.push((JSON.parse(sentText(init.body)) as SyncRequest).stories.filter((x) => x.update && x.update !== 'AAA=').map((x) => x.id));
      return fetch(url, init);
    };
    const c = await core(session, { fetch: recording });
    const id = createStory(c);
    editStory(c, id, (doc) => writeParagraphs(doc, ['Satu kali saja.']));
    await c.engine.syncNow();
    expect(pushed.flat()).toContain(id);
    pushed.length = 0;
    await c.engine.syncNow();
    expect(pushed.flat()).toEqual([]);

    c.sessions.set({ ...session, serverUrl: `http://127.0.0.1:${(forwarder.address() as { port: number }).port}` });
    await expect.poll(() => pushed.flat(), { timeout: 20_000 }).toContain(id);
    await expect.poll(() => c.stories.summaryById(id)?.syncState, { timeout: 20_000 }).toBe('synced');
  });

  it('stop() aborts the request under way and leaves the store alone, so core can close it at once', async () => {
    const silent: Server = createServer(() => {}); // accepts, never answers
    const open = new Set<Socket>();
    silent.on('connection', (socket) => open.add(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const socket of open) socket.destroy();
          silent.close(() => r());
        }),
    );
    const session = { ...(await loginSession(server.url, 'penulis1')), serverUrl: `http://127.0.0.1:${(silent.address() as { port: number }).port}` };
    const errors: string[] = [];
    const c = await core(null, { requestTimeoutMs: 600_000, onInternalError: (what) => errors.push(what) });
    const id = createStory(c);
    editStory(c, id, (doc) => writeParagraphs(doc, ['Belum terkirim.']));
    c.sessions.set(session);
    await expect.poll(() => open.size).toBeGreaterThan(0);
    expect(c.engine.status().state).toBe('syncing');

    const stopped = c.engine.stop();
    c.docs.closeAll();
    c.db.close();
    await stopped; // long before the 10-minute deadline of the request
    expect(errors).toEqual([]);
  });

  it('a batch is split by size as well as by count (the server limits a body to 16 MiB)', async () => {
    const bodies: SyncRequest[] = [];
    const recording: FetchLike = async (url, init) => {
      if (init.method === 'POST') bodies.push(JSON.parse(sentText(init.body)) as SyncRequest);
      return fetch(url, init);
    };
    const c = await core(await loginSession(server.url, 'penulis2'), { fetch: recording, maxBatchBytes: 900 });
    await c.engine.syncNow();
    bodies.length = 0;
    const ids = [0, 1, 2, 3].map((i) => {
      const id = createStory(c);
      editStory(c, id, (doc) => writeParagraphs(doc, [`Naskah ${i}: ${'kata '.repeat(60)}`]));
      return id;
    });
    await c.engine.syncNow();
    const pushes = bodies.filter((b) => b.stories.some((x) => x.update));
    expect(pushes.length).toBeGreaterThanOrEqual(2);
    expect(pushes.flatMap((b) => b.stories.map((x) => x.id)).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(c.stories.summaryById(id)?.syncState).toBe('synced');
  });

  it('a 401 reports the session rejected and stops until the session changes', async () => {
    const good = await loginSession(server.url, 'penulis2');
    const bad: ServerSession = { ...good, token: 'not-a-token' };
    let requests = 0;
    const counting: FetchLike = async (url, init) => {
      requests++;
      return fetch(url, init);
    };
    const c = await core(null, { fetch: counting, backoffBaseMs: 1 });
    const id = createStory(c);
    editStory(c, id, (doc) => writeParagraphs(doc, ['Tetap di sini.']));
    c.sessions.set(bad);
    await expect.poll(() => c.sessions.rejected.length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => c.engine.status()).toMatchObject({ state: 'error', problem: 'session_expired', pending: 1 });
    const after = requests;
    c.engine.notify();
    await c.engine.syncNow();
    expect(requests).toBe(after);
    expect(storyText(c, id).body).toBe('Tetap di sini.');

    c.sessions.set(good);
    await expect.poll(() => c.stories.summaryById(id)?.syncState, { timeout: 20_000 }).toBe('synced');
    await expect.poll(() => c.engine.status()).toMatchObject({ state: 'online', problem: null, pending: 0 });
  });

  it('a stalled request times out and the exchange is retried with backoff; an unreachable server means offline', async () => {
    // A link that accepts connections and then says nothing, until it is healed.
    let healed = false;
    const sockets = new Set<Socket>();
    const target = new URL(server.url);
    const stall: Server = createServer((client) => {
      sockets.add(client);
      if (!healed) return; // swallow everything: a stall
      const upstream = connect(Number(target.port), target.hostname);
      client.pipe(upstream).pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => stall.listen(0, '127.0.0.1', r));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          stall.close(() => r());
        }),
    );
    const port = (stall.address() as { port: number }).port;
    const session = { ...(await loginSession(server.url, 'penulis3')), serverUrl: `http://127.0.0.1:${port}` };

    const delays: number[] = [];
    const c = await core(null, {
      requestTimeoutMs: 300,
      backoffBaseMs: 200,
      maxBackoffMs: 400,
      random: () => 0.5,
      timers: {
        setTimeout: (fn, ms) => {
          delays.push(ms);
          return setTimeout(fn, ms);
        },
        clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
      },
    });
    const id = createStory(c);
    editStory(c, id, (doc) => writeParagraphs(doc, ['Dikirim lewat jaringan lambat.']));
    c.sessions.set(session);
    await expect.poll(() => c.statuses.some((s) => s.state === 'offline' && s.problem === 'server_unreachable'), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => delays.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    // Backoff with jitter: half to all of base·2^(n-1), capped; random() = 0.5 → three quarters.
    expect(delays.slice(0, 2)).toEqual([150, 300]);
    expect(c.stories.summaryById(id)?.syncState).toBe('local');

    healed = true;
    await expect.poll(() => c.stories.summaryById(id)?.syncState, { timeout: 20_000 }).toBe('synced');
    await expect.poll(() => c.engine.status()).toMatchObject({ state: 'online', pending: 0 });
  });
});
