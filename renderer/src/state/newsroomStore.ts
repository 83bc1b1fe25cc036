import { create } from 'zustand';
import { EMPTY_DIRECTORY, type AccountStatus, type Directory, type SyncStatus } from '../../../shared/domain/newsroom';
import { rpcErrorCode } from '../../../shared/rpc/errors';
import type { CoreClient } from '../core/connection';
import { core } from '../core/coreContext';

/**
 * The newsroom as core reports it: who is logged in, how sync is doing, and the directory
 * (users, rubrik tree) cached for offline pickers. Filled on every (re)connect and kept live
 * by core's events; null means "not known yet" (core not reached since the page loaded).
 */
interface NewsroomState {
  account: AccountStatus | null;
  sync: SyncStatus | null;
  directory: Directory;
}

export const useNewsroom = create<NewsroomState>(() => ({ account: null, sync: null, directory: EMPTY_DIRECTORY }));

const set = useNewsroom.setState;

/** What the login form shows after a refused attempt. */
export type LoginFailure = 'login_failed' | 'server_unreachable' | 'profile_owned' | 'invalid_input' | 'other';

/** Whether the login screen is shown; the user can leave it for offline work at any time. */
interface LoginUiState {
  /** The user chose to work offline (kept across reloads in this browser profile). */
  dismissed: boolean;
  /** Opened from the header or the "log in again" banner. */
  requested: boolean;
  submitting: boolean;
  failure: LoginFailure | null;
}

const DISMISSED_KEY = 'ruang:login-dismissed';

function readDismissed(): boolean {
  try {
    return globalThis.localStorage?.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

function writeDismissed(dismissed: boolean): void {
  try {
    if (dismissed) globalThis.localStorage?.setItem(DISMISSED_KEY, '1');
    else globalThis.localStorage?.removeItem(DISMISSED_KEY);
  } catch {
    // Private mode or storage full: the choice lasts for this page only.
  }
}

export const useLoginUi = create<LoginUiState>(() => ({
  dismissed: readDismissed(),
  requested: false,
  submitting: false,
  failure: null,
}));

/** The login screen shows when asked for, or when nobody is logged in and the user has not chosen offline work. */
export function loginVisible(account: AccountStatus | null, ui: Pick<LoginUiState, 'dismissed' | 'requested'>): boolean {
  if (ui.requested) return true;
  return account?.state === 'logged_out' && !ui.dismissed;
}

export function applyAccountChanged(account: AccountStatus): void {
  set({ account });
  // Logged in (here or in another window): the form has done its job.
  if (account.state === 'logged_in') useLoginUi.setState({ requested: false, failure: null });
}

export function applySyncStatusChanged(sync: SyncStatus): void {
  set({ sync });
}

/** Counts directoryChanged events, so a directory.get reply they overtook is not applied over them. */
let directoryEvents = 0;

/** Core's event is the truth, whatever its version (another server, or the cache emptied at logout). */
export function applyDirectoryChanged(directory: Directory): void {
  directoryEvents++;
  set({ directory });
}

/** Listens to core's newsroom events; returns the unsubscribe. */
export function followNewsroomEvents(client: CoreClient): () => void {
  const offs = [
    client.on('accountChanged', applyAccountChanged),
    client.on('syncStatusChanged', applySyncStatusChanged),
    client.on('directoryChanged', applyDirectoryChanged),
  ];
  return () => offs.forEach((off) => off());
}

const SYNC_REFRESH_MS = 500;
let syncRefreshTimer: ReturnType<typeof setTimeout> | null = null;

/**
 * A story changed here: its pending count may have moved. Core reports it with
 * syncStatusChanged once its sync engine runs; asking again (at most twice a second) keeps
 * the indicator right with a core that does not send that event for local edits.
 */
export function refreshSyncSoon(): void {
  if (syncRefreshTimer) return;
  syncRefreshTimer = setTimeout(() => {
    syncRefreshTimer = null;
    core().client.services.sync.status({}).then(applySyncStatusChanged, () => {});
  }, SYNC_REFRESH_MS);
}

async function fetchDirectory(): Promise<void> {
  const eventsBefore = directoryEvents;
  try {
    const directory = await core().client.services.directory.get({});
    if (directoryEvents === eventsBefore) set({ directory });
  } catch {
    // Keep what is shown; the next connect or event brings it.
  }
}

/** On every (re)connect: account, sync status and directory, each on its own (one failing leaves the others). */
export async function loadNewsroom(): Promise<void> {
  const services = core().client.services;
  await Promise.all([
    services.account.status({}).then(applyAccountChanged, () => {}),
    services.sync.status({}).then(applySyncStatusChanged, () => {}),
    fetchDirectory(),
  ]);
}

function loginFailure(error: unknown): LoginFailure {
  const code = rpcErrorCode(error);
  if (code === 'login_failed' || code === 'server_unreachable' || code === 'profile_owned' || code === 'invalid_input') return code;
  // The link to core dropped or core timed out: the server was never asked, say it is not reachable.
  if (code === 'transport_closed' || code === 'timeout') return 'server_unreachable';
  return 'other';
}

/** Logs in through core; resolves true on success, else leaves the failure for the form to show. */
export async function login(input: { serverUrl: string; username: string; password: string }): Promise<boolean> {
  if (useLoginUi.getState().submitting) return false;
  useLoginUi.setState({ submitting: true, failure: null });
  try {
    const account = await core().client.services.account.login({
      serverUrl: input.serverUrl.trim(),
      username: input.username.trim(),
      password: input.password,
    });
    applyAccountChanged(account);
    useLoginUi.setState({ submitting: false, requested: false, failure: null });
    return true;
  } catch (error) {
    useLoginUi.setState({ submitting: false, failure: loginFailure(error) });
    return false;
  }
}

export async function logout(): Promise<void> {
  try {
    applyAccountChanged(await core().client.services.account.logout({}));
    // Logged out on purpose: show the login screen again (offline work stays one click away).
    writeDismissed(false);
    useLoginUi.setState({ dismissed: false });
  } catch {
    // Core unreachable: nothing changed; the menu stays as it is.
  }
}

export async function syncNow(): Promise<void> {
  try {
    applySyncStatusChanged(await core().client.services.sync.now({}));
  } catch {
    // The status event (or the next reconnect) tells the truth.
  }
}

/** Leave the login screen and write offline; the header's login button brings it back. */
export function workOffline(): void {
  writeDismissed(true);
  useLoginUi.setState({ dismissed: true, requested: false, failure: null });
}

export function openLogin(): void {
  useLoginUi.setState({ requested: true, failure: null });
}
