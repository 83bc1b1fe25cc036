import type { DirectoryResponse, Role } from '../server-api/schemas';

/**
 * What core tells the renderer about the newsroom: who is logged in on this profile, how
 * sync is doing, and the directory (users, rubrik tree) cached for offline pickers.
 */

export interface AccountUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

export interface AccountStatus {
  /**
   * - `logged_out`: nobody has logged in on this profile yet, or the user logged out.
   * - `logged_in`: a saved session; sync runs whenever the server answers.
   * - `expired`: the server refused the saved session (expired, revoked, user deactivated).
   *   Every edit stays local until the same user logs in again.
   */
  state: 'logged_out' | 'logged_in' | 'expired';
  /** The server this profile syncs with (the last one used, or the host's default). */
  serverUrl: string | null;
  /** The logged-in user (kept while `expired`, so the UI can say who must log in again). */
  user: AccountUser | null;
  /**
   * The account this profile belongs to since the first login. Logging in as anyone else
   * on the same profile is refused (`profile_owned`).
   */
  owner: AccountUser | null;
}

/** `sync-status` data-state in the UI. */
export type SyncState = 'online' | 'offline' | 'syncing' | 'error';

/** Why sync is not `online`, for the message next to the indicator. */
export type SyncProblem = 'not_logged_in' | 'session_expired' | 'server_unreachable' | 'server_error';

export interface SyncStatus {
  state: SyncState;
  /** Stories with local changes the server has not acknowledged (`sync-status` data-pending). */
  pending: number;
  /** Milliseconds since the epoch of the last exchange that completed, if any. */
  lastSyncedAt: number | null;
  problem: SyncProblem | null;
  /** Photos of this profile not yet wholly on the server (absent where no uploader runs). */
  photosPending?: number;
  /** Bytes of those photos still to send. */
  photoBytesPending?: number;
}

/**
 * A story's place in sync, as the list shows it:
 * - `local`: never sent (written before any login, or never synced yet);
 * - `pending`: has changes the server has not acknowledged;
 * - `synced`: the server has everything this profile has;
 * - `conflict`: a "salinan konflik": local edits the server refused, kept as the user's own copy.
 */
export type StorySyncState = 'local' | 'pending' | 'synced' | 'conflict';

/** The directory as last fetched from the server; empty (version 0) before the first sync. */
export type Directory = DirectoryResponse;

export const EMPTY_DIRECTORY: Directory = { version: 0, users: [], rubrik: [] };
