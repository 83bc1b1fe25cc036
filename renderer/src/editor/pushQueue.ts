import * as Y from 'yjs';
import { backoffDelay, type BackoffOptions } from '../core/backoff';

/** What the save indicator shows (data-state of test id `save-state`). */
export type SaveState = 'saved' | 'saving' | 'error';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PushQueueOptions {
  /** Sends one merged update; resolves once core has persisted it. */
  send(update: Uint8Array): Promise<unknown>;
  /** Minimum time between two sends (batching window). */
  intervalMs?: number;
  retryBackoff?: BackoffOptions;
  clock?: Clock;
  merge?: (updates: Uint8Array[]) => Uint8Array;
  onState?: (state: SaveState) => void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

const RETRY: BackoffOptions = { baseMs: 500, maxMs: 5_000, jitter: 0.1 };

/**
 * Collects a story's local Yjs updates and sends them to core, merged, at most once per
 * `intervalMs` (so a keystroke reaches SQLite well within a second while a burst of
 * typing costs one round trip). One send is in flight at a time. A failed batch is kept
 * (merged in front of newer updates) and retried with backoff: Yjs updates are
 * idempotent, so resending what may already have arrived is safe. DOM-free; the clock
 * is injectable for tests.
 */
export class PushQueue {
  private pending: Uint8Array[] = [];
  private inFlight: Promise<boolean> | null = null;
  private inFlightBatch: Uint8Array | null = null;
  private timer: unknown = null;
  private lastSendAt = -Infinity;
  private failures = 0;
  private state: SaveState = 'saved';
  private disposed = false;
  private readonly send: (update: Uint8Array) => Promise<unknown>;
  private readonly intervalMs: number;
  private readonly retryBackoff: BackoffOptions;
  private readonly clock: Clock;
  private readonly merge: (updates: Uint8Array[]) => Uint8Array;
  private readonly onState: (state: SaveState) => void;

  constructor(options: PushQueueOptions) {
    this.send = options.send;
    this.intervalMs = options.intervalMs ?? 250;
    this.retryBackoff = options.retryBackoff ?? RETRY;
    this.clock = options.clock ?? realClock;
    this.merge = options.merge ?? ((updates) => Y.mergeUpdates(updates));
    this.onState = options.onState ?? (() => {});
  }

  /** Cheap enough for the keystroke path: an array push and, at most, one timer. */
  add(update: Uint8Array): void {
    if (this.disposed) return;
    this.pending.push(update);
    this.refreshState();
    this.schedule();
  }

  get saveState(): SaveState {
    return this.state;
  }

  get hasUnsent(): boolean {
    return this.pending.length > 0 || this.inFlight !== null;
  }

  /** Everything not yet acknowledged (in flight included), merged, for stashing on page exit; null when none. */
  unsentUpdate(): Uint8Array | null {
    const all = this.inFlightBatch ? [this.inFlightBatch, ...this.pending] : this.pending;
    return all.length > 0 ? this.mergeAll(all) : null;
  }

  /**
   * Sends whatever is pending now, skipping the batching window and any retry wait, and
   * resolves true once everything added before the call is persisted, false if a send
   * failed (the data stays queued and retries continue).
   */
  async flush(): Promise<boolean> {
    let attempted = false;
    for (;;) {
      if (this.inFlight) {
        const ok = await this.inFlight;
        if (attempted) return ok;
        continue;
      }
      if (this.pending.length === 0) return true;
      if (attempted) return false;
      attempted = true;
      this.cancelTimer();
      this.sendNow();
    }
  }

  /** After a reconnect: try at once instead of waiting out the backoff. */
  retryNow(): void {
    if (this.disposed || this.inFlight || this.pending.length === 0) return;
    this.cancelTimer();
    this.sendNow();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
  }

  private schedule(): void {
    if (this.disposed || this.inFlight || this.timer !== null || this.pending.length === 0) return;
    const delay =
      this.failures > 0
        ? backoffDelay(this.failures - 1, this.retryBackoff)
        : Math.max(0, this.lastSendAt + this.intervalMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.sendNow();
    }, delay);
  }

  private sendNow(): void {
    if (this.inFlight || this.pending.length === 0) return;
    const batch = this.mergeAll(this.pending);
    this.pending = [];
    this.lastSendAt = this.clock.now();
    let sent: Promise<unknown>;
    try {
      sent = this.send(batch);
    } catch (error) {
      sent = Promise.reject(error);
    }
    const flight = sent.then(
      () => {
        this.failures = 0;
        return true;
      },
      () => {
        this.failures++;
        this.pending.unshift(batch);
        return false;
      },
    );
    this.inFlight = flight;
    this.inFlightBatch = batch;
    this.refreshState();
    void flight.then(() => {
      if (this.inFlight === flight) {
        this.inFlight = null;
        this.inFlightBatch = null;
      }
      this.refreshState();
      this.schedule();
    });
  }

  private mergeAll(updates: Uint8Array[]): Uint8Array {
    return updates.length === 1 ? updates[0]! : this.merge(updates);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private refreshState(): void {
    const next: SaveState =
      this.pending.length === 0 && !this.inFlight ? 'saved' : this.failures > 0 ? 'error' : 'saving';
    if (next !== this.state) {
      this.state = next;
      this.onState(next);
    }
  }
}
