import { decodeFrame, encodeFrame } from '../../../shared/rpc/frames';
import type { CoreLink, LinkOpener } from './link';

const OPEN_TIMEOUT_MS = 5_000;

export function webSocketUrl(location: Location, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/rpc?token=${encodeURIComponent(token)}`;
}

/**
 * Web mode: one WebSocket to core carrying text-encoded RPC messages. The URL is read at
 * every attempt: core restarted on the profile's same address and token is reached again
 * by this very tab, and after a new token (--new-token), pasting the new address into the
 * tab (a hash change, no reload) lets the next attempt through and the queued edits flow.
 */
export function webSocketOpener(url: () => string): LinkOpener {
  return () =>
    new Promise<CoreLink>((resolve, reject) => {
      const ws = new WebSocket(url());
      ws.binaryType = 'arraybuffer';
      let opened = false;
      let onMessage: ((m: Parameters<CoreLink['send']>[0]) => void) | null = null;
      let onClose: (() => void) | null = null;
      const timer = setTimeout(() => {
        if (!opened) ws.close();
      }, OPEN_TIMEOUT_MS);
      ws.addEventListener('open', () => {
        opened = true;
        clearTimeout(timer);
        resolve({
          send: (message) => ws.send(encodeFrame(message)),
          onMessage: (l) => (onMessage = l),
          onClose: (l) => (onClose = l),
          close: () => ws.close(),
        });
      });
      ws.addEventListener('message', (event: MessageEvent) => {
        const data: unknown = event.data;
        const message =
          typeof data === 'string' ? decodeFrame(data) : data instanceof ArrayBuffer ? decodeFrame(new Uint8Array(data)) : null;
        if (message) onMessage?.(message);
      });
      ws.addEventListener('close', () => {
        clearTimeout(timer);
        if (!opened) reject(new Error('core unreachable'));
        else onClose?.();
      });
    });
}
