import { RpcError, type RpcEndpoint, type RpcMessage } from '../../../shared/rpc/protocol';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import type { CoreLink, LinkOpener } from './link';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

export interface ConnectionStatus {
  state: ConnectionState;
  /** False until the first successful connection: "cannot reach core" vs "connection lost". */
  everConnected: boolean;
  /** Failed attempts since the last successful connection. */
  failures: number;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ReconnectingEndpoint extends RpcEndpoint {
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  /** Called after every successful (re)connection, after the first too. */
  onConnected(listener: (isReconnect: boolean) => void): () => void;
  status(): ConnectionStatus;
  /** Skip the remaining backoff and try now (e.g. a "retry" button). */
  retryNow(): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * An RpcEndpoint that survives its links: when a link dies, pending calls fail at once
 * (through onClose, so the RPC client rejects them with 'transport_closed' and callers
 * such as the push queue keep their data and retry) and a new link is opened with
 * exponential backoff. Sending while no link is up throws, which the client turns into
 * a rejected call. DOM-free: transports are injected as a LinkOpener.
 */
export function createReconnectingEndpoint(
  open: LinkOpener,
  options: { backoff?: BackoffOptions; timers?: Timers; random?: () => number } = {},
): ReconnectingEndpoint {
  const timers = options.timers ?? realTimers;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const messageListeners = new Set<(m: RpcMessage) => void>();
  const closeListeners = new Set<() => void>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  const connectedListeners = new Set<(isReconnect: boolean) => void>();
  let link: CoreLink | null = null;
  let status: ConnectionStatus = { state: 'connecting', everConnected: false, failures: 0 };
  let retryTimer: unknown = null;
  let disposed = false;
  let attempting = false;

  function setStatus(next: ConnectionStatus): void {
    status = next;
    for (const l of statusListeners) l(status);
  }

  function scheduleRetry(): void {
    if (disposed || retryTimer !== null) return;
    const delay = backoffDelay(Math.max(0, status.failures - 1), backoff, options.random);
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      void attempt();
    }, delay);
  }

  async function attempt(): Promise<void> {
    if (disposed || attempting || link) return;
    attempting = true;
    if (status.state !== 'connecting') setStatus({ ...status, state: 'connecting' });
    let opened: CoreLink;
    try {
      opened = await open();
    } catch {
      attempting = false;
      setStatus({ ...status, state: 'disconnected', failures: status.failures + 1 });
      scheduleRetry();
      return;
    }
    attempting = false;
    if (disposed) {
      opened.close();
      return;
    }
    link = opened;
    const isReconnect = status.everConnected;
    opened.onMessage((m) => {
      for (const l of messageListeners) l(m);
    });
    opened.onClose(() => {
      if (link !== opened) return;
      link = null;
      for (const l of closeListeners) l();
      if (disposed) return;
      setStatus({ ...status, state: 'disconnected', failures: status.failures + 1 });
      scheduleRetry();
    });
    setStatus({ state: 'connected', everConnected: true, failures: 0 });
    for (const l of connectedListeners) l(isReconnect);
  }

  void attempt();

  return {
    send(message) {
      if (!link) throw new RpcError('transport_closed', 'Not connected to core');
      link.send(message);
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close() {
      disposed = true;
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      const current = link;
      link = null;
      current?.close();
      for (const l of closeListeners) l();
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    onConnected(listener) {
      connectedListeners.add(listener);
      return () => connectedListeners.delete(listener);
    },
    status: () => status,
    retryNow() {
      if (link || disposed) return;
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      void attempt();
    },
  };
}
