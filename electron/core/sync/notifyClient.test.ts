import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { DirectoryResponse } from '../../../shared/server-api/schemas';
import { openCore } from '../core';
import { fetchDirectory, loginSession, ManualSessionSource, startNewsroomServer, DEMO_PASSWORD, type NewsroomServer } from '../testing/syncServer';
import { createStory, editStory, openSyncCore, paragraph, setHeadline, setMeta, storyText, writeParagraphs, type SyncCore } from '../testing/syncCore';
import { tempProfile } from '../testing/tempProfile';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNotifyClient, type NotifyClient, type NotifyClientOptions } from './notifyClient';
import type { ServerSession } from './session';
import type { NotifyMessage } from '../../../shared/server-api/notify';
import type { FetchLike } from './serverHttp';
import type { SyncTimers } from './syncEngine';

// The engines here poll once an hour and push only when asked: a quick sync can only come from the notification channel.
const NO_POLL = 3_600_000;

let server: NewsroomServer;
let serverDir: string;
let directory: DirectoryResponse;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  serverDir = mkdtempSync(join(tmpdir(), 'rr-notify-server-'));
  server = await startNewsroomServer({ dataDir: serverDir });
  directory = await fetchDirectory(await loginSession(server.url, 'admin'));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(serverDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Real timers that remember which are still pending, so a test can see stop() left none. */
function trackedTimers(): SyncTimers & { pending: Set<unknown> } {
  const pending = new Set<unknown>();
  return {
    pending,
    setTimeout(fn, ms) {
      const handle: ReturnType<typeof setTimeout> = setTimeout(() => {
        pending.delete(handle);
        fn();
      }, ms);
      pending.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      pending.delete(handle);
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
}

interface NotifiedCore extends SyncCore {
  sessions: ManualSessionSource;
  notifier: NotifyClient;
  timers: ReturnType<typeof trackedTimers>;
  directoryRefreshes: number;
}

/** A profile wired as core.ts wires it: sync engine plus notification client over one session source. */
function notifiedCore(
  session: ServerSession | null,
  options: Partial<NotifyClientOptions> = {},
  engineOptions: Parameters<typeof openSyncCore>[2] = {},
): NotifiedCore {
  const profile = tempProfile('rr-notify-');
  const sessions = new ManualSessionSource(session);
  const core = openSyncCore(profile.dir, sessions, { pollIntervalMs: NO_POLL, ...engineOptions });
  const timers = trackedTimers();
  const result = Object.assign(core, { sessions, timers, directoryRefreshes: 0 }) as NotifiedCore;
  result.notifier = createNotifyClient({
    sessions,
    engine: core.engine,
    refreshDirectory: () => (result.directoryRefreshes += 1),
    backoffBaseMs: 100,
    maxBackoffMs: 500,
    timers,
    ...options,
  });
  cleanups.push(() => profile.remove());
  cleanups.push(() => core.close());
  cleanups.push(() => result.notifier.stop());
  return result;
}

const rubrikId = (path: string) => directory.rubrik.find((r) => r.path === path)!.id;
const userId = (username: string) => directory.users.find((u) => u.username === username)!.id;

/** A penulis1 story in Nasional assigned to redaktur1 (who may see and edit it), pushed now. */
async function pushAssignedStory(penulis: SyncCore, text: string): Promise<string> {
  const id = createStory(penulis);
  editStory(penulis, id, (doc) => {
    setHeadline(doc, 'Banjir rob di pesisir');
    writeParagraphs(doc, [text]);
    setMeta(doc, { rubrikId: rubrikId('Nasional'), redakturId: userId('redaktur1') });
  });
  expect(await penulis.engine.syncNow()).toMatchObject({ state: 'online', pending: 0, problem: null });
  return id;
}

function bodyOf(core: SyncCore, id: string): string | null {
  return core.stories.summaryById(id) ? storyText(core, id).body : null;
}

describe('notification client against a real server', () => {
  it("a story pushed by the penulis reaches the redaktur's store without waiting for a poll, and each further edit too", async () => {
    const penulis = notifiedCore(await loginSession(server.url, 'penulis1'));
    const redaktur = notifiedCore(await loginSession(server.url, 'redaktur1'));
    await expect.poll(() => redaktur.notifier.state(), { timeout: 20_000 }).toBe('open');
    await expect.poll(() => penulis.notifier.state(), { timeout: 20_000 }).toBe('open');
    // The hello's sync has run; from now on the redaktur's engine waits an hour.
    await expect.poll(() => redaktur.engine.status().state, { timeout: 20_000 }).toBe('online');

    const id = await pushAssignedStory(penulis, 'Air laut masuk ke permukiman warga.');
    await expect.poll(() => bodyOf(redaktur, id), { timeout: 20_000 }).toBe('Air laut masuk ke permukiman warga.');

    editStory(penulis, id, (doc) => paragraph(doc, 0).insert(0, 'JAKARTA - '));
    await penulis.engine.syncNow();
    await expect.poll(() => bodyOf(redaktur, id), { timeout: 20_000 }).toBe('JAKARTA - Air laut masuk ke permukiman warga.');
  }, 60_000);

  it('a story reassigned away from the redaktur leaves their store without waiting for a poll', async () => {
    const penulis = notifiedCore(await loginSession(server.url, 'penulis1'));
    const redaktur = notifiedCore(await loginSession(server.url, 'redaktur1'));
    await expect.poll(() => redaktur.notifier.state(), { timeout: 20_000 }).toBe('open');
    await expect.poll(() => redaktur.engine.status().state, { timeout: 20_000 }).toBe('online');

    // Olahraga is not redaktur1's rubrik: they see the story only as its assigned redaktur.
    const id = createStory(penulis);
    editStory(penulis, id, (doc) => {
      setHeadline(doc, 'Final liga');
      writeParagraphs(doc, ['Pertandingan berakhir imbang.']);
      setMeta(doc, { rubrikId: rubrikId('Olahraga'), redakturId: userId('redaktur1') });
    });
    expect(await penulis.engine.syncNow()).toMatchObject({ state: 'online', pending: 0, problem: null });
    await expect.poll(() => bodyOf(redaktur, id), { timeout: 20_000 }).toBe('Pertandingan berakhir imbang.');

    // The penulis hands it to redaktur2: redaktur1's engine, polling once an hour, drops it at once.
    editStory(penulis, id, (doc) => setMeta(doc, { redakturId: userId('redaktur2') }));
    expect(await penulis.engine.syncNow()).toMatchObject({ state: 'online', pending: 0, problem: null });
    await expect.poll(() => redaktur.stories.summaryById(id), { timeout: 20_000 }).toBeUndefined();
  }, 60_000);

  it("the notification of the engine's own push starts no second exchange; a colleague's change still does", async () => {
    const requests: string[] = [];
    const spy: FetchLike = (url, init) => {
      requests.push(`${init.method} ${new URL(url).pathname}`);
      return fetch(url, init);
    };
    const heard: NotifyMessage[] = [];
    const penulis = notifiedCore(await loginSession(server.url, 'penulis3'), { onMessage: (m) => heard.push(m) }, { fetch: spy });
    await expect.poll(() => heard.some((m) => m.type === 'hello'), { timeout: 20_000 }).toBe(true);
    await penulis.engine.syncNow();

    requests.length = 0;
    heard.length = 0;
    const id = createStory(penulis);
    editStory(penulis, id, (doc) => {
      setHeadline(doc, 'Kabar dari Kupang');
      writeParagraphs(doc, ['Paragraf pertama.']);
    });
    await penulis.engine.syncNow();
    // The server tells every client of penulis3, this one too, of the change the push made.
    await expect.poll(() => heard.some((m) => m.type === 'changed'), { timeout: 20_000 }).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(requests).toEqual(['GET /changes', 'POST /sync']);

    // The same penulis on another profile edits: that change is news, and it arrives.
    const other = notifiedCore(await loginSession(server.url, 'penulis3'));
    await other.engine.syncNow();
    editStory(other, id, (doc) => paragraph(doc, 0).insert(0, 'KUPANG - '));
    await other.engine.syncNow();
    await expect.poll(() => storyText(penulis, id).body, { timeout: 20_000 }).toBe('KUPANG - Paragraf pertama.');
  }, 90_000);

  it('logout closes the link, a new login opens it again; stop() leaves no timer behind', async () => {
    const penulis = notifiedCore(await loginSession(server.url, 'penulis2'));
    await expect.poll(() => penulis.notifier.state(), { timeout: 20_000 }).toBe('open');
    penulis.sessions.set(null);
    expect(penulis.notifier.state()).toBe('idle');
    expect(penulis.timers.pending.size).toBe(0);
    penulis.sessions.set(await loginSession(server.url, 'penulis2'));
    await expect.poll(() => penulis.notifier.state(), { timeout: 20_000 }).toBe('open');
    // While open the dead-link deadline is armed; stop() must cancel it.
    expect(penulis.timers.pending.size).toBe(1);
    penulis.notifier.stop();
    expect(penulis.notifier.state()).toBe('idle');
    expect(penulis.timers.pending.size).toBe(0);
  }, 60_000);

  it('a session revoked by the admin closes the socket (4401): reported rejected once, never presented again', async () => {
    const session = await loginSession(server.url, 'penulis3');
    // A reconnect would wait an hour: only the close code can explain a quick rejection.
    const penulis = notifiedCore(session, { backoffBaseMs: NO_POLL, maxBackoffMs: NO_POLL });
    await expect.poll(() => penulis.notifier.state(), { timeout: 20_000 }).toBe('open');
    const admin = await loginSession(server.url, 'admin');
    const res = await fetch(new URL(`/admin/users/${session.user.id}/revoke-sessions`, server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.ok).toBe(true);
    await expect.poll(() => penulis.sessions.rejected.map((s) => s.token), { timeout: 20_000 }).toEqual([session.token]);
    expect(penulis.notifier.state()).toBe('idle');
    expect(penulis.timers.pending.size).toBe(0);
    // The same token offered again (a listener re-emitting it) is not used.
    penulis.sessions.set(null);
    penulis.sessions.set(session);
    expect(penulis.notifier.state()).toBe('idle');
  }, 60_000);

  it('the server stopped and restarted on the same address: the client reconnects and syncs what waited', async () => {
    const penulis = notifiedCore(await loginSession(server.url, 'penulis1'));
    // An admin edits the draft here: a redaktur may edit only once it is submitted (issue 9).
    const redaktur = notifiedCore(await loginSession(server.url, 'admin'));
    const id = await pushAssignedStory(penulis, 'Pasar terapung dibuka kembali.');
    await expect.poll(() => bodyOf(redaktur, id), { timeout: 20_000 }).toBe('Pasar terapung dibuka kembali.');

    const port = Number(new URL(server.url).port);
    await server.stop();
    await expect.poll(() => redaktur.notifier.state(), { timeout: 20_000 }).not.toBe('open');
    // Written while the server is away; the redaktur's engine pushes only when woken (poll and push wait an hour).
    editStory(redaktur, id, (doc) => paragraph(doc, 0).insert(0, 'BANJARMASIN - '));
    server = await startNewsroomServer({ dataDir: serverDir, port });

    await expect.poll(() => redaktur.notifier.state(), { timeout: 30_000 }).toBe('open');
    // The reconnect's hello woke the redaktur's engine: its edit reached the server, and the
    // penulis (also reconnected) was told.
    await expect.poll(() => bodyOf(penulis, id), { timeout: 30_000 }).toBe('BANJARMASIN - Pasar terapung dibuka kembali.');
  }, 90_000);
});

describe('notification client, link faults', () => {
  it('a link silent for two heartbeats is dropped and reopened; a directory message refreshes the directory', async () => {
    // A stand-in server that says hello with a short heartbeat and then never pings: a link
    // that TCP still thinks is fine but carries nothing.
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const connections: string[] = [];
    wss.on('connection', (socket, request) => {
      connections.push(request.headers.authorization ?? '');
      socket.send(JSON.stringify({ type: 'hello', cursor: 0, directoryVersion: 1, heartbeatMs: 100 }));
      socket.send(JSON.stringify({ type: 'directory', directoryVersion: 2 }));
    });
    cleanups.push(() => new Promise<void>((r) => wss.close(() => r())));
    const address = wss.address() as { port: number };
    const session: ServerSession = { serverUrl: `http://127.0.0.1:${address.port}`, token: 'fake-token', user: { id: 'u', username: 'u', displayName: 'U', role: 'penulis' } };
    const woken: number[] = [];
    const client = notifiedCore(null, { engine: { notify: () => woken.push(Date.now()) } });
    client.sessions.set(session);

    await expect.poll(() => connections.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(connections[0]).toBe('Bearer fake-token');
    await expect.poll(() => woken.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => client.directoryRefreshes, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);

    client.notifier.stop();
    expect(client.timers.pending.size).toBe(0);
    await expect.poll(() => wss.clients.size, { timeout: 10_000 }).toBe(0);
  }, 60_000);

  it('a token the server refuses at the upgrade (401) is reported rejected and not retried', async () => {
    const stale: ServerSession = { ...(await loginSession(server.url, 'redaktur2')), token: 'not-a-real-token' };
    const client = notifiedCore(stale);
    // The engine's own first sync reports the token too; the client's part is to give up on it.
    await expect.poll(() => client.notifier.state(), { timeout: 20_000 }).toBe('idle');
    expect(client.sessions.rejected.map((s) => s.token)).toContain('not-a-real-token');
    expect(client.timers.pending.size).toBe(0);
  }, 60_000);

  it('reconnect delays double per failed attempt up to the ceiling, jittered between half and all of it', async () => {
    // Nothing listens on the port: every attempt fails at once. The timers are held by hand.
    const probe = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => probe.once('listening', r));
    const deadPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const scheduled: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
    const timers: SyncTimers = {
      setTimeout: (fn, ms) => {
        const entry = { fn, ms, cleared: false };
        scheduled.push(entry);
        return entry;
      },
      clearTimeout: (handle) => {
        if (handle) (handle as { cleared: boolean }).cleared = true;
      },
    };
    const randoms = [0, 0.5, 0.75, 0, 0];
    const sessions = new ManualSessionSource({ serverUrl: `http://127.0.0.1:${deadPort}`, token: 't', user: { id: 'u', username: 'u', displayName: 'U', role: 'penulis' } });
    const client = createNotifyClient({
      sessions,
      engine: { notify: () => {} },
      refreshDirectory: () => {},
      backoffBaseMs: 1_000,
      maxBackoffMs: 4_000,
      random: () => randoms.shift() ?? 0,
      timers,
    });
    cleanups.push(() => client.stop());
    const reconnects = () => scheduled.filter((t) => t.ms !== 40_000);
    for (let attempt = 1; attempt <= 5; attempt++) {
      await expect.poll(() => reconnects().length, { timeout: 10_000 }).toBe(attempt);
      expect(client.state()).toBe('waiting');
      reconnects()[attempt - 1]!.fn();
    }
    expect(reconnects().map((t) => t.ms)).toEqual([500, 1_500, 3_500, 2_000, 2_000]);
    await expect.poll(() => reconnects().length, { timeout: 10_000 }).toBe(6);
    client.stop();
    expect(reconnects()[5]!.cleared).toBe(true);
  }, 60_000);
});

describe('core wires the notification client', () => {
  it('an account whose session is revoked becomes expired through the socket, with the engine not polling', async () => {
    const profile = tempProfile('rr-notify-core-');
    const core = openCore({ profileDir: profile.dir, sync: { pollIntervalMs: NO_POLL } });
    cleanups.push(() => profile.remove());
    cleanups.push(() => core.close());
    await core.account.ready;
    const status = await core.services.account.login({ serverUrl: server.url, username: 'penulis2', password: DEMO_PASSWORD });
    expect(status.state).toBe('logged_in');
    await expect.poll(async () => (await core.services.sync.status({})).state, { timeout: 20_000 }).toBe('online');

    const admin = await loginSession(server.url, 'admin');
    const res = await fetch(new URL(`/admin/users/${status.user!.id}/revoke-sessions`, server.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(res.ok).toBe(true);
    await expect.poll(async () => (await core.services.account.status({})).state, { timeout: 20_000 }).toBe('expired');
  }, 60_000);
});
