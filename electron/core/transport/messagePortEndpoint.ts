import { isRpcMessage, type RpcEndpoint, type RpcMessage } from '../../../shared/rpc/protocol';

/**
 * The part of Electron's MessagePortMain core uses, typed here because core never imports
 * electron. Messages travel by structured clone, so Uint8Array arrives as it was sent.
 */
export interface MessagePortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

export function messagePortEndpoint(port: MessagePortLike): RpcEndpoint {
  const listeners = new Set<(m: RpcMessage) => void>();
  const closeListeners = new Set<() => void>();
  let closed = false;

  port.on('message', (event) => {
    const data = event?.data;
    if (!isRpcMessage(data)) return; // not ours: drop
    for (const l of listeners) l(data);
  });
  port.on('close', () => {
    if (closed) return;
    closed = true;
    for (const l of [...closeListeners]) l();
  });
  port.start();

  return {
    send(message) {
      if (!closed) port.postMessage(message);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close() {
      port.close();
      if (!closed) {
        closed = true;
        for (const l of [...closeListeners]) l();
      }
    },
  };
}
