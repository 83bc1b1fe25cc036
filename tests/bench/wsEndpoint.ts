import WebSocket from 'ws';
import type { RpcEndpoint } from '../../shared/rpc/protocol';
import { webSocketEndpoint } from '../../electron/core/transport/webSocketEndpoint';

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
  return webSocketEndpoint(socket);
}
