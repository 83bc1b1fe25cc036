import type { Core } from '../core';
import { messagePortEndpoint, type MessagePortLike } from '../transport/messagePortEndpoint';

/** Electron's process.parentPort in a utilityProcess, described locally (core never imports electron). */
export interface ParentPortMessage {
  data: unknown;
  ports: MessagePortLike[];
}
export interface ParentPortLike {
  on(event: 'message', listener: (message: ParentPortMessage) => void): unknown;
  postMessage(message: unknown): void;
}

/**
 * The utility host's protocol with main: { type: 'connect' } + ports → one RPC client per
 * port; { type: 'flush' } → write pending projections; { type: 'shutdown' } → flush, close
 * the store, exit 0. Tells main { type: 'ready' } once listening.
 */
export function serveParentPort(parentPort: ParentPortLike, core: Core, exit: (code: number) => void): void {
  parentPort.on('message', ({ data, ports }) => {
    const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
    if (type === 'connect') {
      for (const port of ports ?? []) core.rpcServer.attach(messagePortEndpoint(port));
    } else if (type === 'flush') {
      core.flush();
    } else if (type === 'shutdown') {
      try {
        core.close();
      } finally {
        exit(0);
      }
    }
  });
  parentPort.postMessage({ type: 'ready' });
}
