/**
 * The notification channel (issue 7): `GET /notify` upgraded to a WebSocket, authenticated
 * like every other route (`Authorization: Bearer <token>` on the upgrade request; 401 with
 * the usual JSON error when it is missing or no longer valid). The server only says
 * "something you can see changed, sync now"; the data always comes through
 * `GET /changes` and `POST /sync`. Server → client text frames, one JSON message each;
 * anything a client sends is ignored.
 */
export const NOTIFY_PATH = '/notify';

export type NotifyMessage =
  /**
   * First message after connecting. `cursor`: the newest change number among the stories
   * the caller can see (0 when none); sync when it is past the client's own cursor.
   * The server pings every `heartbeatMs`; a client that hears nothing (no ping, no message)
   * for two of those should treat the link as dead and reconnect.
   */
  | { type: 'hello'; cursor: number; directoryVersion: number; heartbeatMs: number }
  /** A story the caller can see changed; `cursor` is its change number. Call /changes with your own cursor. */
  | { type: 'changed'; cursor: number }
  /** Users, the rubrik tree or assignments changed: fetch /directory (assignments may also change what /changes lists). */
  | { type: 'directory'; directoryVersion: number }
  /** The server may have missed changes (its database link was lost and is back): sync now. */
  | { type: 'resync' };

/** Close codes beside the standard ones (1001 when the server stops). */
export const NOTIFY_CLOSE = {
  /** The session ended (logout, revoked, expired, user deactivated): log in again; do not reconnect with this token. */
  sessionEnded: 4401,
} as const;
