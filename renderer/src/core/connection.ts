import { createRpcClient, type RpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { messagePortOpener } from './messagePortLink';
import { createReconnectingEndpoint, type ReconnectingEndpoint } from './reconnectingEndpoint';
import { addressToken } from './tokenBootstrap';
import { webSocketOpener, webSocketUrl } from './webSocketLink';

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
    // Taken out of the address (and kept for this tab) before anything else ran.
    const firstToken = addressToken.current();
    if (!firstToken) throw new MissingTokenError('no token in the address');
    // Read at every attempt, so a token pasted into this tab later is used at once.
    const url = () => webSocketUrl(window.location, addressToken.current() ?? firstToken);
    endpoint = createReconnectingEndpoint(webSocketOpener(url));
    const reconnecting = endpoint;
    addressToken.onCaptured(() => reconnecting.retryNow());
    transport = 'websocket';
  }
  return { client: createRpcClient<CoreServices, CoreEvents>(endpoint), endpoint, transport };
}
