import type { Provider } from '@lexical/yjs';
import { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

type Listener = (arg: never) => void;

/**
 * The "network provider" Lexical's CollaborationPlugin expects, with no network: the story
 * document lives in this window and core is reached through the push queue instead.
 *
 * Pitfalls it exists to avoid (STACK-NOTES "Lexical bound to Yjs, offline"): the stored
 * bytes must be applied only once the binding is listening, so `load` runs inside the
 * first connect(); connect() must report 'sync' true or bootstrap never runs; awareness
 * comes from y-protocols and must be destroyed or its timer keeps running.
 */
export class LocalProvider {
  readonly awareness: Awareness;
  private readonly listeners = new Map<string, Set<Listener>>();
  private loaded = false;

  constructor(
    doc: Y.Doc,
    private readonly load: () => void,
  ) {
    this.awareness = new Awareness(doc);
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  connect(): void {
    if (!this.loaded) {
      this.loaded = true;
      this.load();
    }
    this.emit('status', { status: 'connected' });
    this.emit('sync', true);
  }

  disconnect(): void {
    this.emit('status', { status: 'disconnected' });
  }

  on(type: string, cb: Listener): void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(cb);
  }

  off(type: string, cb: Listener): void {
    this.listeners.get(type)?.delete(cb);
  }

  destroy(): void {
    this.listeners.clear();
    this.awareness.destroy();
  }

  /** The shape @lexical/yjs types; the overloads it declares all land on on/off above. */
  asProvider(): Provider {
    return this as unknown as Provider;
  }

  private emit(type: string, arg: unknown): void {
    for (const cb of [...(this.listeners.get(type) ?? [])]) (cb as (a: unknown) => void)(arg);
  }
}
