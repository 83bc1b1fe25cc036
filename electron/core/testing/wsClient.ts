import WebSocket from 'ws';
import type { RpcEndpoint } from '../../../shared/rpc/protocol';
import { webSocketEndpoint } from '../transport/webSocketEndpoint';

export interface WsConnectResult {
  endpoint?: RpcEndpoint;
  socket?: WebSocket;
  /** HTTP status of a refused upgrade. */
  refusedStatus?: number;
}

/** Opens a client socket as a browser page would (with its Origin), resolving once open or refused. */
export function connectWs(url: string, headers: Record<string, string>): Promise<WsConnectResult> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ socket, endpoint: webSocketEndpoint(socket) }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ refusedStatus: res.statusCode });
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}
