// The only IPC channel main listens on: 'core:request-port'. For a trusted request it makes
// a MessageChannelMain, gives one end to core and the other to the page (via the preload).
// Electron objects come in as parameters (types only), so the checks are tested in plain Node.
import type { MessagePortMain, WebContents, WebFrameMain } from 'electron';
import { isAppUrl } from './security';

export const REQUEST_PORT_CHANNEL = 'core:request-port';
export const PORT_CHANNEL = 'core:port';

type FrameIdentity = Pick<WebFrameMain, 'url' | 'processId' | 'routingId'>;

/**
 * A request is trusted only when it comes from our window's main frame (not a subframe,
 * not another WebContents) while that frame shows app:// content.
 */
export function isTrustedPortRequest(
  sender: unknown,
  senderFrame: FrameIdentity | null,
  window: { webContents: unknown; mainFrame: FrameIdentity } | null,
): boolean {
  if (!window || !senderFrame) return false;
  if (sender !== window.webContents) return false;
  const main = window.mainFrame;
  if (senderFrame.processId !== main.processId || senderFrame.routingId !== main.routingId) return false;
  return isAppUrl(senderFrame.url);
}

export interface PortBrokerDeps {
  /** Our window's contents, or null while there is no window. */
  windowContents(): Pick<WebContents, 'mainFrame'> | null;
  /** Hands a port to core; false when core is down. */
  connectCore(port: MessagePortMain): boolean;
  createChannel(): { port1: MessagePortMain; port2: MessagePortMain };
  onRefused?(reason: string): void;
}

type PortRequestEvent = {
  sender: Pick<WebContents, 'postMessage'>;
  senderFrame: FrameIdentity | null;
};

/** The ipcMain.on('core:request-port') listener. */
export function createPortBroker(deps: PortBrokerDeps): (event: PortRequestEvent) => void {
  return (event) => {
    const contents = deps.windowContents();
    const window = contents ? { webContents: contents, mainFrame: contents.mainFrame } : null;
    if (!isTrustedPortRequest(event.sender, event.senderFrame, window)) {
      deps.onRefused?.(`untrusted sender ${event.senderFrame?.url ?? '(no frame)'}`);
      return;
    }
    const { port1, port2 } = deps.createChannel();
    if (!deps.connectCore(port1)) {
      port1.close();
      port2.close();
      deps.onRefused?.('core is not running');
      return;
    }
    event.sender.postMessage(PORT_CHANNEL, null, [port2]);
  };
}
