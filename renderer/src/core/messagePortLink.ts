import { isRpcMessage } from '../../../shared/rpc/protocol';
import type { CoreLink, LinkOpener } from './link';

/** What Electron's preload exposes through contextBridge (electron/preload/preload.ts). */
export interface RuangShell {
  platform: string;
  requestCorePort(): void;
}

declare global {
  interface Window {
    ruangShell?: RuangShell;
  }
}

const PORT_MESSAGE = 'ruang:core-port';
const HANDSHAKE_TIMEOUT_MS = 5_000;

/**
 * Electron: ask main for a MessagePort to the core utility process and wait for the
 * preload to forward it as a window message 'ruang:core-port'. Messages travel as
 * structured clones (Uint8Array as is), so no text codec.
 */
export function messagePortOpener(shell: RuangShell): LinkOpener {
  return () =>
    new Promise<CoreLink>((resolve, reject) => {
      const timer = setTimeout(() => {
        window.removeEventListener('message', onWindowMessage);
        reject(new Error('no port from the shell'));
      }, HANDSHAKE_TIMEOUT_MS);
      function onWindowMessage(event: MessageEvent) {
        if (event.data !== PORT_MESSAGE || !event.ports[0]) return;
        clearTimeout(timer);
        window.removeEventListener('message', onWindowMessage);
        resolve(portLink(event.ports[0]));
      }
      window.addEventListener('message', onWindowMessage);
      shell.requestCorePort();
    });
}

function portLink(port: MessagePort): CoreLink {
  let onClose: (() => void) | null = null;
  let closed = false;
  const fireClose = () => {
    if (closed) return;
    closed = true;
    onClose?.();
  };
  let onMessage: ((m: Parameters<CoreLink['send']>[0]) => void) | null = null;
  port.addEventListener('message', (event: MessageEvent) => {
    if (isRpcMessage(event.data)) onMessage?.(event.data);
  });
  // Chromium fires 'close' on a MessagePort whose other end went away (core crashed).
  port.addEventListener('close', fireClose);
  port.start();
  return {
    send: (message) => port.postMessage(message),
    onMessage: (l) => (onMessage = l),
    onClose: (l) => (onClose = l),
    close: () => {
      port.close();
      fireClose();
    },
  };
}
