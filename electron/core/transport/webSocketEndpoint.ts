import type { RawData, WebSocket } from 'ws';
import { decodeFrame, encodeFrame } from '../../../shared/rpc/frames';
import type { RpcEndpoint, RpcMessage } from '../../../shared/rpc/protocol';

/**
 * An RPC endpoint over one WebSocket (`ws`; core's side, and Node clients in tests and
 * benchmarks). Frames are shared/rpc/frames.ts; anything that does not decode is dropped,
 * so a misbehaving client cannot crash core.
 */
export function webSocketEndpoint(socket: WebSocket): RpcEndpoint {
  const listeners = new Set<(m: RpcMessage) => void>();
  const closeListeners = new Set<() => void>();

  socket.on('message', (data: RawData, isBinary: boolean) => {
    const message = decodeFrame(isBinary ? rawToBytes(data) : rawToBytes(data).toString('utf8'));
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
      socket.send(encodeFrame(message));
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

function rawToBytes(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}
