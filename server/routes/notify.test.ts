import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMetaMap } from '../../shared/doc/storyDoc';
import { NOTIFY_CLOSE, type NotifyMessage } from '../../shared/server-api/notify';
import type { DirectoryResponse } from '../../shared/server-api/schemas';
import type { ChangesResponse, SyncResponse } from '../../shared/server-api/sync';
import { ClientStory } from '../testing/httpClient';
import { connectNotify, type TestNotifyClient } from '../testing/notifyClient';
import { openTestDatabase, startTestApp, type TestApp, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const HEARTBEAT_MS = 250;

describe.each(ENGINES)('notification channel on %s', (engine) => {
  let t: TestDatabase;
  let app: TestApp;
  let origin: string;
  let dir: DirectoryResponse;
  const open: TestNotifyClient[] = [];

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    await t.resetToDemo();
    app = await startTestApp(t.db, { notifyHeartbeatMs: HEARTBEAT_MS });
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;
    dir = (await app.request('GET', '/directory', { token: await app.login('admin') })).json() as DirectoryResponse;
  }, 120_000);
  afterAll(async () => {
    for (const c of open) c.close();
    await t?.close();
  });

  const userId = (username: string) => dir.users.find((u) => u.username === username)!.id;
  const rubrikId = (path: string) => dir.rubrik.find((r) => r.path === path)!.id;
  async function connect(username: string, options?: { autoPong?: boolean }) {
    const token = await app.login(username);
    const client = await connectNotify(origin, token, options);
    open.push(client);
    return { token, client };
  }
  /** `username` pushes a new story (or a change to it); returns its change number. */
  async function push(username: string, token: string, id: string, meta: Record<string, unknown>): Promise<number> {
    const doc = new Y.Doc();
    for (const [k, v] of Object.entries(meta)) getMetaMap(doc).set(k, v);
    const res = await app.request('POST', '/sync', { token, body: { stories: [{ id, update: b64(Y.encodeStateAsUpdate(doc)), stateVector: b64(Y.encodeStateVector(doc)) }] } });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as SyncResponse).stories[0]).toMatchObject({ ok: true });
    const [row] = await t.db.query<{ change_seq: string | number }>('SELECT change_seq FROM stories WHERE id = $1', [id]);
    return Number(row!.change_seq);
  }
  const changedTo = (cursor: number) => (m: NotifyMessage) => m.type === 'changed' && m.cursor === cursor;

  it('refuses the upgrade without a valid session: 401 with the JSON error, no socket', async () => {
    for (const token of [null, 'not-a-token', `rr_${'x'.repeat(43)}`]) {
      const error = (await connectNotify(origin, token).catch((e: unknown) => e)) as { statusCode?: number; body?: string };
      expect(error.statusCode).toBe(401);
      expect(JSON.parse(error.body!)).toMatchObject({ error: { code: expect.stringMatching(/unauthenticated|invalid_token/) } });
    }
    const { token } = await connect('penulis3');
    await app.request('POST', '/auth/logout', { token });
    const revoked = (await connectNotify(origin, token).catch((e: unknown) => e)) as { statusCode?: number; body?: string };
    expect(revoked.statusCode).toBe(401);
    expect(revoked.body).toContain('session_revoked');
  });

  it('tells exactly the users who can see a change, with its cursor, within a second; never the data', async () => {
    const penulis1 = await connect('penulis1');
    const penulis2 = await connect('penulis2');
    const redaktur1 = await connect('redaktur1');
    const redaktur2 = await connect('redaktur2');
    const admin = await connect('admin');
    const hello = penulis1.client.messages[0]!;
    expect(hello).toEqual({ type: 'hello', cursor: expect.any(Number), directoryVersion: dir.version, heartbeatMs: HEARTBEAT_MS });

    const story = randomUUID();
    const started = performance.now();
    const seq = await push('penulis1', penulis1.token, story, {
      headline: 'Banjir rob',
      rubrikId: rubrikId('Megapolitan'),
      redakturId: userId('redaktur1'),
      penulisIds: [userId('penulis1')],
    });
    const delivered = await Promise.all([penulis1, redaktur1, admin].map(({ client }) => client.next(changedTo(seq))));
    const latest = Math.max(...delivered.map((d) => d.at)) - started;
    console.log(`[notify ${engine}] push → last of 3 notifications: ${latest.toFixed(1)} ms`);
    expect(delivered.map((d) => d.message)).toEqual(Array(3).fill({ type: 'changed', cursor: seq }));

    // A change penulis2 and redaktur2 can see comes next: the first thing either hears after
    // the hello is that one, so they were never told about the first story.
    const own = randomUUID();
    const ownSeq = await push('penulis2', penulis2.token, own, { headline: 'Olahraga', rubrikId: rubrikId('Olahraga'), penulisIds: [userId('penulis2')] });
    for (const { client } of [penulis2, redaktur2]) {
      const first = await client.next((m) => m.type !== 'hello');
      expect(first.message).toEqual({ type: 'changed', cursor: ownSeq });
    }
    // penulis1 does not see penulis2's story either.
    await admin.client.next(changedTo(ownSeq));
    expect(penulis1.client.messages.some(changedTo(ownSeq))).toBe(false);
    // The hello of a new socket carries the newest cursor the user can see.
    const later = await connect('penulis1');
    expect(later.client.messages[0]).toMatchObject({ type: 'hello', cursor: seq });
  });

  it('an assignment change is announced, and from then on the redaktur hears about stories of the rubrik newly given to them', async () => {
    const admin = await connect('admin');
    const redaktur2 = await connect('redaktur2');
    const penulis3 = await connect('penulis3');
    const res = await app.request('PUT', `/admin/users/${userId('redaktur2')}/rubrik`, { token: admin.token, body: { rubrikIds: [rubrikId('Nasional')] } });
    expect(res.statusCode, res.body).toBe(200);
    await redaktur2.client.next((m) => m.type === 'directory');
    const story = randomUUID();
    const seq = await push('penulis3', penulis3.token, story, { headline: 'Pemilu', rubrikId: rubrikId('Nasional'), penulisIds: [userId('penulis3')] });
    await redaktur2.client.next(changedTo(seq));
  });

  /** A story kept by the test as a client keeps it, so later meta changes build on what the server has. */
  async function pushStory(token: string, story: ClientStory, meta: Record<string, unknown>): Promise<number> {
    for (const [k, v] of Object.entries(meta)) getMetaMap(story.doc).set(k, v);
    const res = await app.request('POST', '/sync', { token, body: { stories: [story.request()] } });
    expect(res.statusCode, res.body).toBe(200);
    const [answer] = (res.json() as SyncResponse).stories;
    story.accept(answer);
    return (answer as { changeSeq: number }).changeSeq;
  }
  const accessEpochOf = async (token: string, since: number) => ((await app.request('GET', `/changes?since=${since}`, { token })).json() as ChangesResponse).accessEpoch;
  const feedIds = async (token: string) => ((await app.request('GET', '/changes?since=0', { token })).json() as ChangesResponse).stories.map((s) => s.id);

  it('a redaktur the story is taken from (reassigned to another) hears of it at once; their feed then reports a new access epoch', async () => {
    const penulis1 = await connect('penulis1');
    const redaktur2 = await connect('redaktur2');
    const admin = await connect('admin');
    const penulis3 = await connect('penulis3');
    // Megapolitan is redaktur1's rubrik: redaktur2 sees the story only as its assigned redaktur.
    const story = new ClientStory(randomUUID());
    const created = await pushStory(penulis1.token, story, {
      headline: 'Jalan tol baru',
      rubrikId: rubrikId('Megapolitan'),
      redakturId: userId('redaktur2'),
      penulisIds: [userId('penulis1')],
    });
    await redaktur2.client.next(changedTo(created));
    const epochBefore = await accessEpochOf(redaktur2.token, created);
    expect(epochBefore).toEqual(expect.any(Number));

    const started = performance.now();
    const moved = await pushStory(penulis1.token, story, { redakturId: userId('redaktur1') });
    await expect.poll(() => redaktur2.client.messages.some(changedTo(moved)), { timeout: 20_000 }).toBe(true);
    console.log(`[notify ${engine}] reassignment → notice to the redaktur who lost the story: ${(redaktur2.client.arrivals[redaktur2.client.messages.findIndex(changedTo(moved))]! - started).toFixed(1)} ms`);
    // What the notice leads their client to: the feed past their cursor lists nothing, but a new epoch.
    expect(await accessEpochOf(redaktur2.token, moved)).not.toBe(epochBefore);
    expect(await feedIds(redaktur2.token)).not.toContain(story.id);
    // Only those who saw or see it are told: not a penulis who never did.
    await admin.client.next(changedTo(moved));
    await penulis1.client.next(changedTo(moved));
    expect(penulis3.client.messages.some(changedTo(moved))).toBe(false);
  });

  it('a penulis taken out of the byline hears of it at once; their feed then reports a new access epoch', async () => {
    const penulis1 = await connect('penulis1');
    const penulis2 = await connect('penulis2');
    const story = new ClientStory(randomUUID());
    const created = await pushStory(penulis1.token, story, {
      headline: 'Wawancara menteri',
      rubrikId: rubrikId('Wawancara'),
      penulisIds: [userId('penulis1'), userId('penulis2')],
    });
    await penulis2.client.next(changedTo(created));
    const epochBefore = await accessEpochOf(penulis2.token, created);

    const removed = await pushStory(penulis1.token, story, { penulisIds: [userId('penulis1')] });
    await expect.poll(() => penulis2.client.messages.some(changedTo(removed)), { timeout: 20_000 }).toBe(true);
    expect(await accessEpochOf(penulis2.token, removed)).not.toBe(epochBefore);
    expect(await feedIds(penulis2.token)).not.toContain(story.id);
  });

  it('a redaktur whose rubrik the story leaves hears of it at once; their feed then reports a new access epoch', async () => {
    const penulis1 = await connect('penulis1');
    const redaktur1 = await connect('redaktur1');
    const story = new ClientStory(randomUUID());
    // Kupas is redaktur1's rubrik and nobody else's; no redaktur assigned by name.
    const created = await pushStory(penulis1.token, story, { headline: 'Harga beras', rubrikId: rubrikId('Kupas'), penulisIds: [userId('penulis1')] });
    await redaktur1.client.next(changedTo(created));
    const epochBefore = await accessEpochOf(redaktur1.token, created);

    const moved = await pushStory(penulis1.token, story, { rubrikId: rubrikId('Ekonomi') });
    await expect.poll(() => redaktur1.client.messages.some(changedTo(moved)), { timeout: 20_000 }).toBe(true);
    expect(await accessEpochOf(redaktur1.token, moved)).not.toBe(epochBefore);
    expect(await feedIds(redaktur1.token)).not.toContain(story.id);
  });

  it('closes the socket of a session that ends: logout, revocation by an admin, expiry (noticed at the heartbeat)', async () => {
    const loggedOut = await connect('penulis1');
    await app.request('POST', '/auth/logout', { token: loggedOut.token });
    expect(await loggedOut.client.closed).toEqual({ code: NOTIFY_CLOSE.sessionEnded, reason: 'session_revoked' });

    const admin = await connect('admin');
    const lostLaptop = await connect('penulis2');
    const res = await app.request('POST', `/admin/users/${userId('penulis2')}/revoke-sessions`, { token: admin.token });
    expect(res.statusCode).toBe(200);
    expect(await lostLaptop.client.closed).toEqual({ code: NOTIFY_CLOSE.sessionEnded, reason: 'session_revoked' });

    const expiring = await connect('redaktur1');
    app.clock.now += 31 * 24 * 60 * 60 * 1000;
    try {
      expect(await expiring.client.closed).toEqual({ code: NOTIFY_CLOSE.sessionEnded, reason: 'session_expired' });
    } finally {
      app.clock.now -= 31 * 24 * 60 * 60 * 1000;
    }
  });

  it('pings every heartbeat and drops a peer that stops answering', async () => {
    const live = await connect('admin');
    let pings = 0;
    live.client.socket.on('ping', () => pings++);
    await expect.poll(() => pings, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const dead = await connect('admin', { autoPong: false });
    const closed = await dead.client.closed;
    // Terminated without a close frame: the peer sees an abnormal closure.
    expect(closed.code).toBe(1006);
    expect(live.client.socket.readyState).toBe(live.client.socket.OPEN);
  });
});
