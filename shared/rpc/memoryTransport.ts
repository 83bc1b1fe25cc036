import { decodeFrame, encodeFrame } from './frames';
import type { RpcEndpoint, RpcMessage } from './protocol';

/**
 * Two connected in-process endpoints, for tests. Messages are delivered asynchronously
 * (a microtask later) and copied, like a real transport, so no object is shared by reference.
 */
export function createMemoryEndpointPair(): [RpcEndpoint, RpcEndpoint] {
  const listeners: [Set<(m: RpcMessage) => void>, Set<(m: RpcMessage) => void>] = [new Set(), new Set()];
  const closeListeners: [Set<() => void>, Set<() => void>] = [new Set(), new Set()];
  let closed = false;
  const make = (self: 0 | 1): RpcEndpoint => {
    const other = self === 0 ? 1 : 0;
    return {
      send(message) {
        if (closed) return;
        // Round-trip through the WebSocket framing: nothing is shared by reference, as over a real link.
        const copy = decodeFrame(encodeFrame(message));
        if (!copy) throw new Error('message does not survive encoding');
        void Promise.resolve().then(() => {
          if (!closed) for (const l of listeners[other]) l(copy);
        });
      },
      onMessage(listener) {
        listeners[self].add(listener);
        return () => listeners[self].delete(listener);
      },
      onClose(listener) {
        closeListeners[self].add(listener);
        return () => closeListeners[self].delete(listener);
      },
      close() {
        if (closed) return;
        closed = true;
        for (const side of closeListeners) for (const l of side) l();
      },
    };
  };
  return [make(0), make(1)];
}
