import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountStatus, Directory } from '../../../shared/domain/newsroom';
import { createRpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { createMemoryEndpointPair } from '../../../shared/rpc/memoryTransport';
import type { LoginResponse, UserSummary } from '../../../shared/server-api/schemas';
import { openCore, SESSION_FILE, type Core, type OpenCoreOptions } from '../core';
import { createServerClient } from '../net/serverClient';
import { buildServerBundle, startNewsroomServer, type BuiltDist, type RunningServer } from '../testing/newsroomServer';
import { tempProfile } from '../testing/tempProfile';

/**
 * The account against the real newsroom server (one process for this file, PGlite, demo
 * data) and a real core on a real SQLite profile. The only fakes are network faults: a
 * closed port and a server that accepts connections and never answers.
 */
const PASSWORD = 'redaksi123';
/** Under load (CI runs test files in parallel on two cores) answers can take seconds. */
const SLOW = { timeout: 20_000, interval: 50 };
let dist: BuiltDist;
let serverData: string;
let server: RunningServer;

beforeAll(async () => {
  dist = await buildServerBundle();
  serverData = mkdtempSync(join(tmpdir(), 'rr-account-server-'));
  server = await startNewsroomServer(dist.serverScript, serverData);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  dist?.remove();
  rmSync(serverData, { recursive: true, force: true });
});

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

interface Opened {
  core: Core;
  profileDir: string;
  events: { account: AccountStatus[]; directory: Directory[] };
  errors: unknown[];
  reopen(options?: Partial<OpenCoreOptions>): Opened;
}

function open(profileDir = newProfile(), extra: Partial<OpenCoreOptions> = {}): Opened {
  const errors: unknown[] = [];
  const core = openCore({ profileDir, defaultServerUrl: server.url, onInternalError: (_m, e) => errors.push(e), ...extra });
  let closed = false;
  const close = () => {
    if (!closed) core.close();
    closed = true;
  };
  cleanups.push(close);
  const [coreSide, clientSide] = createMemoryEndpointPair();
  core.rpcServer.attach(coreSide);
  const client = createRpcClient<CoreServices, CoreEvents>(clientSide);
  const events = { account: [] as AccountStatus[], directory: [] as Directory[] };
  client.on('accountChanged', (s) => events.account.push(s));
  client.on('directoryChanged', (d) => events.directory.push(d));
  return {
    core,
    profileDir,
    events,
    errors,
    reopen(options = {}) {
      close();
      return open(profileDir, options);
    },
  };
}

function newProfile(): string {
  const profile = tempProfile('rr-account-');
  cleanups.unshift(profile.remove);
  return profile.dir;
}

const login = (core: Core, username: string, password = PASSWORD, serverUrl = server.url) => core.services.account.login({ serverUrl, username, password });

async function serverLogin(username: string): Promise<LoginResponse> {
  const res = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as LoginResponse;
}

const meStatus = async (token: string) => (await fetch(`${server.url}/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status;

function expectUser(user: UserSummary | null, username: string) {
  expect(user).toMatchObject({ username, role: expect.any(String), displayName: expect.any(String), id: expect.any(String) });
}

describe('account against the real newsroom server', () => {
  it('logs in: session kept, owner recorded, directory fetched and announced', async () => {
    const { core, events } = open();
    expect(await core.services.account.status({})).toEqual({ state: 'logged_out', serverUrl: server.url, user: null, owner: null });

    const status = await login(core, 'penulis1');
    expect(status.state).toBe('logged_in');
    expectUser(status.user, 'penulis1');
    expect(status.owner).toEqual(status.user);
    expect(status.serverUrl).toBe(server.url);

    const session = core.account.session.current();
    expect(session?.user).toEqual(status.user);
    expect(await meStatus(session!.token)).toBe(200);
    await expect.poll(() => events.account.at(-1)?.state, SLOW).toBe('logged_in');

    // Fetched right after login, without holding the login's answer back.
    await expect.poll(async () => (await core.services.directory.get({})).version, SLOW).toBeGreaterThan(0);
    const directory = await core.services.directory.get({});
    expect(directory.rubrik.map((r) => r.path)).toContain('Ekonomi › Industri › Otomotif');
    expect(directory.users.map((u) => u.username)).toContain('redaktur2');
    await expect.poll(() => events.directory.at(-1)?.version, SLOW).toBe(directory.version);
  });

  it('wrong password: login_failed, nothing recorded', async () => {
    const opened = open();
    await expect(login(opened.core, 'penulis2', 'salah-sekali')).rejects.toMatchObject({ code: 'login_failed' });
    await expect(login(opened.core, 'Bukan Nama!', 'x')).rejects.toMatchObject({ code: 'login_failed' });
    expect(await opened.core.services.account.status({})).toMatchObject({ state: 'logged_out', user: null, owner: null });
    expect(existsSync(join(opened.profileDir, SESSION_FILE))).toBe(false);
    expect(opened.core.account.session.current()).toBeNull();
  });

  it('unreachable server: server_unreachable for a closed port and for a server that never answers', async () => {
    const closedPort = await freePort();
    const stalled = await stallingServer();
    try {
      const { core } = open(newProfile(), { serverClient: createServerClient({ timeoutMs: 500 }) });
      await expect(login(core, 'penulis1', PASSWORD, `http://127.0.0.1:${closedPort}`)).rejects.toMatchObject({
        code: 'server_unreachable',
        message: expect.stringContaining('ECONNREFUSED'),
      });
      await expect(login(core, 'penulis1', PASSWORD, stalled.url)).rejects.toMatchObject({
        code: 'server_unreachable',
        message: expect.stringContaining('did not answer within 0.5 s'),
      });
      expect(stalled.connections()).toBe(1);
      expect((await core.services.account.status({})).state).toBe('logged_out');
    } finally {
      await stalled.close();
    }
  });

  it('another account on an owned profile: profile_owned, nothing changed; the owner may log in again', async () => {
    const { core, profileDir } = open();
    const first = await login(core, 'penulis2');
    const token = core.account.session.current()!.token;
    const fileBefore = readFileSync(join(profileDir, SESSION_FILE), 'utf8');

    const refused = login(core, 'penulis3');
    await expect(refused).rejects.toMatchObject({ code: 'profile_owned' });
    await expect(refused).rejects.toThrow(/belongs to .*\(penulis2\)/);
    expect(await core.services.account.status({})).toEqual(first);
    expect(core.account.session.current()?.token).toBe(token);
    expect(readFileSync(join(profileDir, SESSION_FILE), 'utf8')).toBe(fileBefore);

    // Logged out, the profile still belongs to penulis2.
    await core.services.account.logout({});
    await expect(login(core, 'penulis3')).rejects.toMatchObject({ code: 'profile_owned' });
    expect(await core.services.account.status({})).toMatchObject({ state: 'logged_out', owner: first.owner });
    expect((await login(core, 'penulis2')).state).toBe('logged_in');
  });

  it('logout: session revoked and forgotten, owner and local stories kept', async () => {
    const { core, profileDir, events } = open();
    const story = await core.services.stories.create({});
    const status = await login(core, 'redaktur1');
    const token = core.account.session.current()!.token;

    const after = await core.services.account.logout({});
    expect(after).toEqual({ state: 'logged_out', serverUrl: server.url, user: null, owner: status.owner });
    expect(core.account.session.current()).toBeNull();
    expect(existsSync(join(profileDir, SESSION_FILE))).toBe(false);
    await expect.poll(() => meStatus(token), SLOW).toBe(401);
    await expect.poll(() => events.account.at(-1)?.state, SLOW).toBe('logged_out');
    expect((await core.services.stories.list({})).items.map((s) => s.id)).toEqual([story.id]);
  });

  it('keeps the token in a 0600 file, sealed (not in plain text), and discards one other users can read', async () => {
    const opened = open();
    await login(opened.core, 'penulis3');
    const { token } = opened.core.account.session.current()!;
    const file = join(opened.profileDir, SESSION_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const onDisk = readFileSync(file);
    expect(onDisk.includes(token)).toBe(false);
    expect(onDisk.includes(Buffer.from(token).toString('base64'))).toBe(false);

    // A restart reads it back: the same session, still logged in.
    const again = opened.reopen();
    await again.core.account.ready;
    expect(again.core.account.session.current()?.token).toBe(token);
    expect((await again.core.services.account.status({})).state).toBe('logged_in');

    // Made readable by others: it may be known, so it is discarded and the user must log in again.
    chmodSync(file, 0o644);
    const third = again.reopen();
    await third.core.account.ready;
    expect(existsSync(file)).toBe(false);
    expect(third.core.account.session.current()).toBeNull();
    expect(await third.core.services.account.status({})).toMatchObject({ state: 'expired', user: { username: 'penulis3' } });
  });

  it('a 401 to the saved token: expired, user kept, edits stay local; logging in again as that user resumes', async () => {
    const { core, events } = open();
    const status = await login(core, 'penulis1');
    const session = core.account.session.current()!;
    const seen: Array<string | null> = [];
    core.account.session.onChange((s) => seen.push(s?.token ?? null));

    // An admin ends every session of this user (a lost laptop).
    const admin = await serverLogin('admin');
    const revoke = await fetch(`${server.url}/admin/users/${status.user!.id}/revoke-sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(revoke.status).toBe(200);

    await core.account.refreshDirectory();
    const expired = await core.services.account.status({});
    expect(expired).toEqual({ ...status, state: 'expired' });
    expect(core.account.session.current()).toBeNull();
    expect(seen).toEqual([null]);
    await expect.poll(() => events.account.at(-1)?.state, SLOW).toBe('expired');

    // Writing goes on.
    const story = await core.services.stories.create({});
    expect((await core.services.stories.get({ id: story.id })).id).toBe(story.id);

    const resumed = await login(core, 'penulis1');
    expect(resumed).toEqual(status);
    expect(core.account.session.current()?.token).not.toBe(session.token);
    expect(seen).toHaveLength(2);

    // The sync engine's way in: reportRejected with a session that is no longer current changes nothing.
    core.account.session.reportRejected(session);
    expect((await core.services.account.status({})).state).toBe('logged_in');
    core.account.session.reportRejected(core.account.session.current()!);
    await expect.poll(async () => (await core.services.account.status({})).state, SLOW).toBe('expired');
  });

  // Last: stops the shared server.
  it('the directory is cached: after a restart, offline, directory.get answers the last one', async () => {
    const opened = open();
    await login(opened.core, 'redaktur2');
    await opened.core.account.refreshDirectory();
    const fetched = await opened.core.services.directory.get({});
    expect(fetched.users.length).toBeGreaterThan(5);

    await server.stop();
    const offline = opened.reopen();
    await offline.core.account.ready;
    expect(await offline.core.services.directory.get({})).toEqual(fetched);
    // Offline is not a refused session: still logged in, nothing reported as a failure.
    await offline.core.account.refreshDirectory();
    expect((await offline.core.services.account.status({})).state).toBe('logged_in');
    expect(offline.errors).toEqual([]);
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/** Accepts TCP connections and never writes a byte: a stalled link. */
async function stallingServer(): Promise<{ url: string; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const tcp: Server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.resume();
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(tcp.address() as { port: number }).port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        tcp.close(() => r());
      }),
  };
}
