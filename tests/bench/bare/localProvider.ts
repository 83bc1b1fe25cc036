import type { Provider, ProviderAwareness } from '@lexical/yjs';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';

/**
 * A Lexical collaboration provider with no network: connect() applies the stored bytes
 * (after the binding listens, or the editor shows nothing) and reports 'sync'.
 */
export function createLocalProvider(doc: Y.Doc, stored: Uint8Array): Provider & { destroy(): void } {
  const awareness = new Awareness(doc);
  const listeners = new Map<string, Set<(arg: unknown) => void>>();
  const emit = (type: string, arg: unknown) => {
    for (const l of listeners.get(type) ?? []) l(arg);
  };
  return {
    awareness: awareness as unknown as ProviderAwareness,
    connect() {
      Y.applyUpdate(doc, stored, 'load');
      emit('sync', true);
    },
    disconnect() {},
    on(type: string, cb: (arg: never) => void) {
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      set.add(cb as (arg: unknown) => void);
    },
    off(type: string, cb: (arg: never) => void) {
      listeners.get(type)?.delete(cb as (arg: unknown) => void);
    },
    destroy() {
      awareness.destroy();
    },
  } as Provider & { destroy(): void };
}
