import { createRpcClient, type RpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { messagePortOpener } from './messagePortLink';
import { createReconnectingEndpoint, type ReconnectingEndpoint } from './reconnectingEndpoint';
import { readToken, webSocketOpener, webSocketUrl } from './webSocketLink';

export type CoreClient = RpcClient<CoreServices, CoreEvents>;

export interface CoreConnection {
  client: CoreClient;
  endpoint: ReconnectingEndpoint;
  transport: 'messageport' | 'websocket';
}

/** Thrown when web mode was opened without its secret; the UI explains what to do. */
export class MissingTokenError extends Error {}

/** Picks the transport once at start: Electron's MessagePort when the preload bridge exists, else web mode's WebSocket. */
export function connectToCore(): CoreConnection {
  const shell = window.ruangShell;
  let endpoint: ReconnectingEndpoint;
  let transport: CoreConnection['transport'];
  if (shell) {
    endpoint = createReconnectingEndpoint(messagePortOpener(shell));
    transport = 'messageport';
  } else {
    let storage: Storage | null = null;
    try {
      storage = window.sessionStorage;
    } catch {
      storage = null;
    }
    const firstToken = readToken(window.location, storage);
    if (!firstToken) throw new MissingTokenError('no token in the address');
    const url = () => webSocketUrl(window.location, readToken(window.location, storage) ?? firstToken);
    endpoint = createReconnectingEndpoint(webSocketOpener(url));
    const reconnecting = endpoint;
    window.addEventListener('hashchange', () => reconnecting.retryNow());
    transport = 'websocket';
  }
  return { client: createRpcClient<CoreServices, CoreEvents>(endpoint), endpoint, transport };
}
