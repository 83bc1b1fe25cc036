import WebSocket from 'ws';
import { NOTIFY_CLOSE, NOTIFY_PATH, type NotifyMessage } from '../../../shared/server-api/notify';
import type { ServerSession, SessionSource } from './session';
import type { SyncEngine, SyncTimers } from './syncEngine';

export interface NotifyClientOptions {
  sessions: SessionSource;
  /**
   * What a hint wakes: `hello` and `resync` start an exchange at once; `changed` goes to
   * serverChanged when the engine has it (it skips changes it already has, such as the one its
   * own push just caused), else to notify. `directory` wakes it too (assignments change
   * what the feed lists).
   */
  engine: Pick<SyncEngine, 'notify'> & Partial<Pick<SyncEngine, 'serverChanged'>>;
  /** Called on a `directory` message (the account refetches `/directory`). */
  refreshDirectory: () => unknown;
  /** First reconnect delay after the link drops; doubles per failed attempt up to maxBackoffMs (defaults 1 s, 30 s). */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  /**
   * The dead-link deadline before the server's `hello` said its heartbeat (then it is 2×
   * heartbeatMs). Also bounds the opening handshake. Default 40 s (the server pings every 20 s).
   */
  initialDeadlineMs?: number;
  /** In [0, 1): the jitter of reconnect delays. */
  random?: () => number;
  timers?: SyncTimers;
  onInternalError?: (what: string, error: unknown) => void;
  /** Every message understood, after it was acted on (diagnostics and tests). */
  onMessage?: (message: NotifyMessage) => void;
}

export type NotifyLinkState = 'idle' | 'connecting' | 'open' | 'waiting';

export interface NotifyClient {
  /** idle: no session (or its token was ended); waiting: a reconnect is scheduled. */
  state(): NotifyLinkState;
  /** Closes the socket, cancels every timer and stops following the session. Idempotent. */
  stop(): void;
}

const defaultTimers: SyncTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The client side of the server's notification channel (`GET /notify`, protocol in
 * shared/server-api/notify.ts). It carries no data: each hint only makes the sync engine
 * exchange now instead of at its next poll, so an online client sees a colleague's words
 * within a second. The engine keeps polling as a safety net, so a lost link costs latency,
 * never data.
 */
export function createNotifyClient(options: NotifyClientOptions): NotifyClient {
  const { sessions, engine } = options;
  const timers = options.timers ?? defaultTimers;
  const random = options.random ?? Math.random;
  const backoffBaseMs = options.backoffBaseMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const initialDeadlineMs = options.initialDeadlineMs ?? 40_000;
  const onInternalError = options.onInternalError ?? ((what, error) => console.error(`[notify] ${what} failed:`, error));

  /** Tokens the server ended (close 4401 or 401 on the upgrade): never presented again. */
  const endedTokens = new Set<string>();
  let stopped = false;
  /** The session the link is for; null when there is none to follow. */
  let target: ServerSession | null = null;
  let socket: WebSocket | null = null;
  let state: NotifyLinkState = 'idle';
  let failedAttempts = 0;
  let reconnectTimer: unknown = null;
  let deadlineTimer: unknown = null;

  const clearReconnect = () => {
    if (reconnectTimer !== null) timers.clearTimeout(reconnectTimer);
    reconnectTimer = null;
  };
  const clearDeadline = () => {
    if (deadlineTimer !== null) timers.clearTimeout(deadlineTimer);
    deadlineTimer = null;
  };

  /** Drops the current socket without reacting to its close (we chose to end it). */
  const dropSocket = () => {
    clearDeadline();
    const old = socket;
    socket = null;
    if (old) {
      old.removeAllListeners();
      // A swallowed late error (the handshake aborted) must not become an unhandled 'error' event.
      old.on('error', () => {});
      // terminate, not close: a polite close arms ws's 30 s close timer, which would keep the process alive.
      old.terminate();
    }
  };

  const follow = (session: ServerSession | null) => {
    if (stopped) return;
    if (session && target && session.token === target.token && session.serverUrl === target.serverUrl) return;
    dropSocket();
    clearReconnect();
    failedAttempts = 0;
    target = session && !endedTokens.has(session.token) ? session : null;
    if (target) connect(target);
    else state = 'idle';
  };

  const scheduleReconnect = (session: ServerSession) => {
    if (stopped || target !== session) return;
    const ceiling = Math.min(maxBackoffMs, backoffBaseMs * 2 ** failedAttempts);
    failedAttempts += 1;
    // Jitter spreads a newsroom's clients over the window after a server restart.
    const delay = Math.round(ceiling * (0.5 + random() * 0.5));
    state = 'waiting';
    reconnectTimer = timers.setTimeout(() => {
      reconnectTimer = null;
      if (!stopped && target === session) connect(session);
    }, delay);
  };

  const sessionEnded = (session: ServerSession) => {
    endedTokens.add(session.token);
    if (target === session) {
      target = null;
      state = 'idle';
    }
    // The account turns `expired` (and tells its listeners, us among them, with null).
    sessions.reportRejected(session);
  };

  const connect = (session: ServerSession) => {
    const url = new URL(NOTIFY_PATH, session.serverUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    state = 'connecting';
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, {
        headers: { authorization: `Bearer ${session.token}` },
        handshakeTimeout: initialDeadlineMs,
        perMessageDeflate: false,
      });
    } catch (error) {
      onInternalError('opening the notification socket', error);
      scheduleReconnect(session);
      return;
    }
    socket = ws;
    let heartbeatMs: number | null = null;
    let upgradeStatus: number | null = null;

    const armDeadline = () => {
      clearDeadline();
      const deadline = heartbeatMs === null ? initialDeadlineMs : 2 * heartbeatMs;
      deadlineTimer = timers.setTimeout(() => {
        deadlineTimer = null;
        // Nothing heard for two heartbeats: the link is dead even if TCP has not noticed.
        if (socket === ws) ws.terminate();
      }, deadline);
    };

    ws.on('unexpected-response', (_request, response) => {
      upgradeStatus = response.statusCode ?? null;
      response.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      if (socket !== ws) return;
      state = 'open';
      armDeadline();
    });
    ws.on('ping', () => {
      if (socket === ws) armDeadline();
    });
    ws.on('message', (data, isBinary) => {
      if (socket !== ws) return;
      armDeadline();
      if (isBinary) return;
      let message: NotifyMessage;
      try {
        message = JSON.parse(data.toString()) as NotifyMessage;
      } catch {
        return; // Not ours to understand; the poll still covers us.
      }
      switch (message.type) {
        case 'hello':
          if (typeof message.heartbeatMs === 'number' && message.heartbeatMs > 0) heartbeatMs = message.heartbeatMs;
          failedAttempts = 0;
          armDeadline();
          // Whatever changed while the link was down is fetched now.
          engine.notify();
          break;
        case 'changed':
          if (engine.serverChanged && typeof message.cursor === 'number' && Number.isSafeInteger(message.cursor)) engine.serverChanged(message.cursor);
          else engine.notify();
          break;
        case 'resync':
          engine.notify();
          break;
        case 'directory':
          // Assignments may have changed what the account sees: the feed says (its access epoch).
          engine.notify();
          try {
            void Promise.resolve(options.refreshDirectory()).catch((error: unknown) => onInternalError('refreshing the directory', error));
          } catch (error) {
            onInternalError('refreshing the directory', error);
          }
          break;
      }
      options.onMessage?.(message);
    });
    // Every failure ends in 'close'; that is where we decide what comes next.
    ws.on('error', () => {});
    ws.on('close', (code) => {
      if (socket !== ws) return;
      socket = null;
      clearDeadline();
      if (stopped) return;
      if (code === NOTIFY_CLOSE.sessionEnded || upgradeStatus === 401) sessionEnded(session);
      else scheduleReconnect(session);
    });
  };

  const unsubscribe = sessions.onChange((session) => follow(session));
  follow(sessions.current());

  return {
    state: () => state,
    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      clearReconnect();
      dropSocket();
      target = null;
      state = 'idle';
    },
  };
}
