import type { Provider } from '@lexical/yjs';
import { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

type Listener = (arg: never) => void;

/**
 * The "network provider" Lexical's CollaborationPlugin expects, with no network: the story
 * document lives in this window and core is reached through the push queue instead.
 *
 * Pitfalls it exists to avoid (each seen with Lexical 0.52 bound to Yjs offline): the stored
 * bytes must be applied only once the binding is listening, so they are applied inside
 * connect() (or, when connect() comes first because core has not answered yet, as soon as
 * they are supplied); 'sync' true is reported only after that, so Lexical bootstraps an
 * empty paragraph only into a body that is really empty; awareness comes from y-protocols
 * and must be destroyed or its timer keeps running.
 */
export class LocalProvider {
  readonly awareness: Awareness;
  private readonly listeners = new Map<string, Set<Listener>>();
  private load: (() => boolean) | null = null;
  private loaded = false;
  private connectRequested = false;
  private readonly loadedListeners = new Set<() => void>();

  constructor(doc: Y.Doc) {
    this.awareness = new Awareness(doc);
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * Hands over the function that applies the stored document; runs at once if the editor is
   * already waiting. It returns false when the bytes could not be applied: the provider then
   * never reports 'sync', so the editor stays read-only and Lexical seeds nothing.
   */
  supply(load: () => boolean): void {
    if (this.load || this.loaded) return;
    this.load = load;
    if (this.connectRequested) this.connect();
  }

  /** Called once the stored document is in (and the editor bound to it). */
  onLoaded(listener: () => void): () => void {
    if (this.loaded) {
      listener();
      return () => {};
    }
    this.loadedListeners.add(listener);
    return () => this.loadedListeners.delete(listener);
  }

  connect(): void {
    if (!this.connectRequested) performance.mark('rr:provider-connect');
    this.connectRequested = true;
    if (!this.loaded) {
      if (!this.load) return; // core has not answered yet: supply() finishes the connect
      const load = this.load;
      this.load = null;
      if (!load()) return;
      this.loaded = true;
      for (const l of [...this.loadedListeners]) l();
      this.loadedListeners.clear();
    }
    this.emit('status', { status: 'connected' });
    this.emit('sync', true);
  }

  disconnect(): void {
    this.connectRequested = false;
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
    this.loadedListeners.clear();
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
