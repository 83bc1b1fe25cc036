import { beforeEach, describe, expect, it } from 'vitest';
import type { AccountStatus, AccountUser, Directory } from '../../../shared/domain/newsroom';
import { RpcError } from '../../../shared/rpc/protocol';
import { setCore } from '../core/coreContext';
import { settle, standInCore } from '../testing/standInCore';
import {
  followNewsroomEvents,
  loadNewsroom,
  login,
  loginVisible,
  logout,
  openLogin,
  syncNow,
  useLoginUi,
  useNewsroom,
  workOffline,
} from './newsroomStore';

const ratna = { id: 'u-r1', username: 'redaktur1', displayName: 'Ratna Kusumawardani', role: 'redaktur' as const };
const agus = { id: 'u-p1', username: 'penulis1', displayName: 'Agus Prasetyo', role: 'penulis' as const };
const loggedIn = (user: AccountUser = ratna): AccountStatus => ({ state: 'logged_in', serverUrl: 'http://127.0.0.1:8080', user, owner: user });
const directory = (version: number): Directory => ({
  version,
  users: [{ ...ratna, active: true, rubrikIds: [] }],
  rubrik: [{ id: 'r-eko', parentId: null, name: 'Ekonomi', path: 'Ekonomi', position: 0 }],
});

function connect() {
  const fake = standInCore();
  setCore(fake.connection);
  const off = followNewsroomEvents(fake.connection.client);
  return { ...fake, off };
}

beforeEach(() => {
  useNewsroom.setState({ account: null, sync: null, directory: { version: 0, users: [], rubrik: [] } });
  useLoginUi.setState({ dismissed: false, requested: false, submitting: false, failure: null });
});

describe('newsroom state from core', () => {
  it('loads account, sync status and directory at connect, then follows the events live', async () => {
    const fake = connect();
    fake.state.sync = { state: 'offline', pending: 2, lastSyncedAt: null, problem: 'not_logged_in' };
    await loadNewsroom();
    expect(useNewsroom.getState().account?.state).toBe('logged_out');
    expect(useNewsroom.getState().account?.serverUrl).toBe('http://127.0.0.1:9');
    expect(useNewsroom.getState().sync?.pending).toBe(2);

    fake.emit('accountChanged', loggedIn());
    fake.emit('syncStatusChanged', { state: 'syncing', pending: 2, lastSyncedAt: null, problem: null });
    fake.emit('directoryChanged', directory(5));
    await settle();
    expect(useNewsroom.getState().account?.user?.displayName).toBe('Ratna Kusumawardani');
    expect(useNewsroom.getState().sync).toMatchObject({ state: 'syncing', pending: 2 });
    expect(useNewsroom.getState().directory.version).toBe(5);

    // A reply to directory.get that an event overtook does not replace what the event brought ...
    let open: () => void = () => {};
    fake.state.directoryGate = new Promise<void>((r) => (open = r));
    fake.state.directory = directory(5);
    const loading = loadNewsroom();
    await settle();
    fake.emit('directoryChanged', directory(6));
    await settle();
    open();
    await loading;
    expect(useNewsroom.getState().directory.version).toBe(6);
    // ... while an event always does, even with a lower version (the cache emptied, another server).
    fake.emit('directoryChanged', { version: 0, users: [], rubrik: [] });
    await settle();
    expect(useNewsroom.getState().directory.version).toBe(0);

    fake.emit('accountChanged', { ...loggedIn(), state: 'expired' });
    await settle();
    expect(useNewsroom.getState().account?.state).toBe('expired');
    expect(useNewsroom.getState().account?.user?.username).toBe('redaktur1'); // who must log in again
    fake.off();
  });

  it('keeps each login failure apart so the form can say what went wrong', async () => {
    const fake = connect();
    await loadNewsroom();
    const attempt = () => login({ serverUrl: ' http://127.0.0.1:8080 ', username: ' penulis1 ', password: 'salah' });

    fake.state.loginAnswer = new RpcError('login_failed', 'wrong password');
    expect(await attempt()).toBe(false);
    expect(useLoginUi.getState().failure).toBe('login_failed');
    expect(fake.state.loginCalls.at(-1)).toEqual({ serverUrl: 'http://127.0.0.1:8080', username: 'penulis1', password: 'salah' });

    fake.state.loginAnswer = new RpcError('server_unreachable', 'nobody listens');
    expect(await attempt()).toBe(false);
    expect(useLoginUi.getState().failure).toBe('server_unreachable');

    fake.state.loginAnswer = new RpcError('profile_owned', 'owned by another account');
    expect(await attempt()).toBe(false);
    expect(useLoginUi.getState().failure).toBe('profile_owned');

    // Core's own schema refuses a bad address before any server is asked.
    expect(await login({ serverUrl: 'redaksi.local', username: 'penulis1', password: 'x' })).toBe(false);
    expect(useLoginUi.getState().failure).toBe('invalid_input');

    fake.state.loginAnswer = loggedIn(agus);
    openLogin();
    expect(await attempt()).toBe(true);
    expect(useNewsroom.getState().account).toMatchObject({ state: 'logged_in', user: agus });
    expect(useLoginUi.getState()).toMatchObject({ failure: null, requested: false, submitting: false });
    fake.off();
  });

  it('shows the login screen to nobody-logged-in until they choose offline work; the header brings it back; logout shows it again', async () => {
    const fake = connect();
    expect(loginVisible(useNewsroom.getState().account, useLoginUi.getState())).toBe(false); // not known yet: no flash
    await loadNewsroom();
    expect(loginVisible(useNewsroom.getState().account, useLoginUi.getState())).toBe(true);
    workOffline();
    expect(loginVisible(useNewsroom.getState().account, useLoginUi.getState())).toBe(false);
    openLogin();
    expect(loginVisible(useNewsroom.getState().account, useLoginUi.getState())).toBe(true);
    workOffline();

    fake.state.account = loggedIn();
    await loadNewsroom();
    expect(loginVisible(useNewsroom.getState().account, useLoginUi.getState())).toBe(false);
    await logout();
    expect(useNewsroom.getState().account?.state).toBe('logged_out');
    expect(loginVisible(useNewsroom.getState().account, useLoginUi.getState())).toBe(true);

    await syncNow();
    expect(fake.state.syncNowCalls).toBe(1);
    fake.off();
  });
});
