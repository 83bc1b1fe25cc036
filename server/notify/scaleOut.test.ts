import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMetaMap } from '../../shared/doc/storyDoc';
import { NOTIFY_CLOSE } from '../../shared/server-api/notify';
import type { DirectoryResponse } from '../../shared/server-api/schemas';
import type { ChangesResponse } from '../../shared/server-api/sync';
import { ClientStory, getJson, loginOver, postSync } from '../testing/httpClient';
import { connectNotify, type TestNotifyClient } from '../testing/notifyClient';
import { startServerProcess, type ServerProcess } from '../testing/serverProcess';
import { createTestStorage, type TestStorage } from '../testing/testStorage';

/**
 * Scale-out: two server processes on one PostgreSQL share nothing but the database. A
 * change made through one reaches a client of the other through NOTIFY; revocations too.
 */
describe.runIf(process.env.DATABASE_URL)('two server processes on one PostgreSQL', () => {
  let storage: TestStorage;
  let a: ServerProcess;
  let b: ServerProcess;
  let dir: DirectoryResponse;
  const sockets: TestNotifyClient[] = [];
  const connect = async (origin: string, token: string) => {
    const client = await connectNotify(origin, token);
    sockets.push(client);
    return client;
  };

  beforeAll(async () => {
    storage = await createTestStorage('postgres');
    a = await startServerProcess(storage, { demo: true });
    b = await startServerProcess(storage, { demo: true });
    dir = await getJson<DirectoryResponse>(a.origin, '/directory', await loginOver(a.origin, 'admin'));
  }, 180_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await storage?.remove();
  }, 60_000);

  const userId = (username: string) => dir.users.find((u) => u.username === username)!.id;
  const rubrikId = (path: string) => dir.rubrik.find((r) => r.path === path)!.id;

  it('a change through one process reaches a client of the other (both ways), with the cursor the other serves', async () => {
    const penulisToken = await loginOver(a.origin, 'penulis1');
    const redakturToken = await loginOver(b.origin, 'redaktur1');
    const penulisOnA = await connect(a.origin, penulisToken);
    const redakturOnB = await connect(b.origin, redakturToken);

    const story = new ClientStory(randomUUID());
    const meta = getMetaMap(story.doc);
    meta.set('headline', 'Sidang kabinet');
    meta.set('rubrikId', rubrikId('Nasional'));
    meta.set('redakturId', userId('redaktur1'));
    meta.set('penulisIds', [userId('penulis1')]);
    const sent = performance.now();
    story.accept((await postSync(a.origin, penulisToken, [story.request()]))[0]);
    const heard = await redakturOnB.next((m) => m.type === 'changed');
    const crossMs = heard.at - sent;
    const feed = await getJson<ChangesResponse>(b.origin, '/changes?since=0', redakturToken);
    expect(feed.stories.map((s) => s.id)).toEqual([story.id]);
    expect(heard.message).toEqual({ type: 'changed', cursor: feed.cursor });

    // The other way: an admin edits through B (a redaktur may edit only once the story is
    // submitted), the penulis on A hears it.
    const adminToken = await loginOver(b.origin, 'admin');
    const redaktur = new ClientStory(story.id);
    redaktur.accept((await postSync(b.origin, adminToken, [redaktur.request()]))[0]);
    getMetaMap(redaktur.doc).set('kicker', 'Politik');
    const from = penulisOnA.messages.length;
    const sentBack = performance.now();
    redaktur.accept((await postSync(b.origin, adminToken, [redaktur.request()]))[0]);
    const back = await penulisOnA.next((m) => m.type === 'changed', { from });
    console.log(`[scale-out] push through A → client on B: ${crossMs.toFixed(1)} ms; through B → client on A: ${(back.at - sentBack).toFixed(1)} ms (push round trip included)`);
    expect(back.message).toEqual({ type: 'changed', cursor: (await getJson<ChangesResponse>(a.origin, '/changes?since=0', penulisToken)).cursor });
  }, 60_000);

  it('an admin revoking sessions through one process closes the user’s socket on the other', async () => {
    const token = await loginOver(a.origin, 'penulis2');
    const onB = await connect(b.origin, token);
    const admin = await loginOver(a.origin, 'admin');
    const res = await fetch(`${a.origin}/admin/users/${userId('penulis2')}/revoke-sessions`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    expect(await onB.closed).toEqual({ code: NOTIFY_CLOSE.sessionEnded, reason: 'session_revoked' });
  }, 60_000);

  it('a process whose listening connection is cut reconnects, tells its clients to resync, and hears later changes', async () => {
    const token = await loginOver(b.origin, 'penulis3');
    const onB = await connect(b.origin, token);
    const control = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await control.connect();
    try {
      const channel = `ruang_changes__${(storage.config as { schema: string }).schema}`;
      const cut = await control.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1', [`LISTEN "${channel}"`]);
      // One listener per process.
      expect(cut.rowCount).toBe(2);
    } finally {
      await control.end();
    }
    await onB.next((m) => m.type === 'resync');
    const story = new ClientStory(randomUUID());
    getMetaMap(story.doc).set('headline', 'Setelah putus');
    const from = onB.messages.length;
    story.accept((await postSync(a.origin, token, [story.request()]))[0]);
    await onB.next((m) => m.type === 'changed', { from });
  }, 60_000);
});
