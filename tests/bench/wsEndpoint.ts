import WebSocket from 'ws';
import { decodeMessage, encodeMessage } from '../../shared/rpc/codec';
import type { RpcEndpoint, RpcMessage } from '../../shared/rpc/protocol';

/**
 * A client RpcEndpoint over web mode's WebSocket, as a second browser tab would connect:
 * token in the URL, Origin of the served page (core refuses anything else).
 */
export async function connectRpc(origin: string, token: string): Promise<RpcEndpoint> {
  const wsUrl = `${origin.replace(/^http/, 'ws')}/rpc?token=${encodeURIComponent(token)}`;
  const socket = new WebSocket(wsUrl, { origin });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket refused: HTTP ${res.statusCode}`)));
  });
  const messageListeners = new Set<(m: RpcMessage) => void>();
  const closeListeners = new Set<() => void>();
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const message = decodeMessage(data.toString());
    if (message) for (const l of messageListeners) l(message);
  });
  socket.on('close', () => {
    for (const l of closeListeners) l();
  });
  return {
    send: (message) => socket.send(encodeMessage(message)),
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close: () => socket.close(),
  };
}
