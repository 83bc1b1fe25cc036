import type { MessagePort } from 'node:worker_threads';
import type { RpcEndpoint, RpcMessage } from '../../../shared/rpc/protocol';
import type { MessagePortLike } from '../transport/messagePortEndpoint';

/** Node's MessagePort shaped like Electron's MessagePortMain ({ data } events): core's side in tests. */
export function electronLikePort(port: MessagePort): MessagePortLike {
  return {
    on(event: 'message' | 'close', listener: (e: { data: unknown }) => void) {
      if (event === 'message') port.on('message', (data: unknown) => listener({ data }));
      else port.on('close', () => (listener as () => void)());
      return this;
    },
    postMessage: (m: unknown) => port.postMessage(m),
    start: () => port.start(),
    close: () => port.close(),
  } as MessagePortLike;
}

/** The renderer's side: a DOM-like port speaking plain structured-clone messages. */
export function rendererPortEndpoint(port: MessagePort): RpcEndpoint {
  const closeListeners = new Set<() => void>();
  port.on('close', () => closeListeners.forEach((l) => l()));
  return {
    send: (m) => port.postMessage(m),
    onMessage(l) {
      const h = (d: RpcMessage) => l(d);
      port.on('message', h);
      return () => port.off('message', h);
    },
    onClose(l) {
      closeListeners.add(l);
      return () => closeListeners.delete(l);
    },
    close: () => port.close(),
  };
}
