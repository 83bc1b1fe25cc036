import type { RawData, WebSocket } from 'ws';
import { decodeMessage, encodeMessage } from '../../../shared/rpc/codec';
import type { RpcEndpoint, RpcMessage } from '../../../shared/rpc/protocol';

/**
 * An RPC endpoint over one WebSocket (server side, `ws`). Text frames carry
 * encodeMessage(); binary frames and anything that does not decode are dropped, so a
 * misbehaving client cannot crash core.
 */
export function webSocketEndpoint(socket: WebSocket): RpcEndpoint {
  const listeners = new Set<(m: RpcMessage) => void>();
  const closeListeners = new Set<() => void>();

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return;
    const message = decodeMessage(rawToString(data));
    if (!message) return;
    for (const l of listeners) l(message);
  });
  socket.on('close', () => {
    for (const l of [...closeListeners]) l();
  });
  // 'error' is followed by 'close'; without a listener it would throw.
  socket.on('error', () => {});

  return {
    send(message) {
      if (socket.readyState !== socket.OPEN) return;
      socket.send(encodeMessage(message));
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
      socket.close();
    },
  };
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
