import * as Y from 'yjs';
import { rpcFailureKind, type RpcFailureKind } from '../../../shared/rpc/errors';
import { RpcError } from '../../../shared/rpc/protocol';
import { backoffDelay, type BackoffOptions } from '../core/backoff';
import { isEmptyUpdate } from './emptyUpdate';

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
  /**
   * Core refused a batch for good (or failed on it `maxBoundedAttempts` times): the queue
   * lets go of it and sends what follows. Must keep the bytes durably before returning:
   * this is the last the queue sees of them.
   */
  onSetAside?(update: Uint8Array, error: unknown): void;
  /** Minimum time between two sends (batching window). */
  intervalMs?: number;
  retryBackoff?: BackoffOptions;
  /**
   * A send that has not settled by then counts as a transient failure and is retried (an
   * answer arriving later is ignored). A guard behind the RPC client's own deadline.
   */
  sendTimeoutMs?: number;
  /** Attempts at one batch while core answers with a failure of its own ('internal'). */
  maxBoundedAttempts?: number;
  classify?: (error: unknown) => RpcFailureKind;
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
const SEND_TIMEOUT_MS = 15_000;
const MAX_BOUNDED_ATTEMPTS = 5; // about 7.5 s of retries with RETRY

/**
 * Collects a story's local Yjs updates and sends them to core, merged, at most once per
 * `intervalMs` (so a keystroke reaches SQLite well within a second while a burst of
 * typing costs one round trip). One send is in flight at a time, and never for longer
 * than `sendTimeoutMs`.
 *
 * A failed batch becomes the queue's *head*: it is retried alone, with backoff, ahead of
 * newer edits (Yjs updates are idempotent, so resending what may already have arrived is
 * safe). How long depends on why it failed (shared/rpc/errors.ts):
 * - transient (link down, deadline passed): until core takes it; nothing is given up.
 * - bounded ('internal', an I/O failure in core): `maxBoundedAttempts` tries, then set aside.
 * - permanent (core refused it: invalid_input, not_found, story_damaged...): set aside at once.
 * A set-aside batch goes to `onSetAside` (which keeps it durably) and newer edits flow
 * again. Those may build on the refused one (Yjs causality); core keeps every update it is
 * given as raw bytes, so they wait there, complete, until the refused part is resolved.
 *
 * A batch that changes nothing (an empty Yjs update) is never sent. DOM-free; the clock
 * is injectable for tests.
 */
export class PushQueue {
  private pending: Uint8Array[] = [];
  /** A batch that failed, retried alone before anything newer. */
  private head: Uint8Array | null = null;
  private headAttempts = 0;
  private inFlight: Promise<boolean> | null = null;
  private inFlightBatch: Uint8Array | null = null;
  private timer: unknown = null;
  private lastSendAt = -Infinity;
  private failures = 0;
  private setAsideCount = 0;
  private state: SaveState = 'saved';
  private disposed = false;
  private readonly send: (update: Uint8Array) => Promise<unknown>;
  private readonly onSetAside: (update: Uint8Array, error: unknown) => void;
  private readonly intervalMs: number;
  private readonly retryBackoff: BackoffOptions;
  private readonly sendTimeoutMs: number;
  private readonly maxBoundedAttempts: number;
  private readonly classify: (error: unknown) => RpcFailureKind;
  private readonly clock: Clock;
  private readonly merge: (updates: Uint8Array[]) => Uint8Array;
  private readonly onState: (state: SaveState) => void;

  constructor(options: PushQueueOptions) {
    this.send = options.send;
    this.onSetAside = options.onSetAside ?? (() => {});
    this.intervalMs = options.intervalMs ?? 250;
    this.retryBackoff = options.retryBackoff ?? RETRY;
    this.sendTimeoutMs = options.sendTimeoutMs ?? SEND_TIMEOUT_MS;
    this.maxBoundedAttempts = options.maxBoundedAttempts ?? MAX_BOUNDED_ATTEMPTS;
    this.classify = options.classify ?? rpcFailureKind;
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
    return this.head !== null || this.pending.length > 0 || this.inFlight !== null;
  }

  /** Batches handed to onSetAside since the queue started. */
  get setAsideBatches(): number {
    return this.setAsideCount;
  }

  /** Everything not yet acknowledged (in flight included), merged, for stashing on page exit; null when none. */
  unsentUpdate(): Uint8Array | null {
    const all: Uint8Array[] = [];
    if (this.inFlightBatch) all.push(this.inFlightBatch);
    if (this.head && this.head !== this.inFlightBatch) all.push(this.head);
    all.push(...this.pending);
    return all.length > 0 ? this.mergeAll(all) : null;
  }

  /**
   * Sends whatever is queued now, skipping the batching window and any retry wait, and
   * resolves true once everything added before the call is persisted (or set aside), false
   * if a send failed and the data is still queued (retries continue).
   */
  async flush(): Promise<boolean> {
    // The head, then what follows it, and one more for edits added meanwhile: bounded, so
    // a flush ends even while typing continues.
    let sends = 0;
    for (;;) {
      if (this.inFlight) {
        await this.inFlight;
        continue;
      }
      if (!this.hasUnsent) return true;
      // A send made by this flush failed and its batch is still queued.
      if ((sends > 0 && this.failures > 0) || sends >= 3 || this.disposed) return false;
      sends++;
      this.cancelTimer();
      this.sendNow();
    }
  }

  /** After a reconnect: try at once instead of waiting out the backoff. */
  retryNow(): void {
    if (this.disposed || this.inFlight || !this.hasUnsent) return;
    this.cancelTimer();
    this.sendNow();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
  }

  private schedule(): void {
    if (this.disposed || this.inFlight || this.timer !== null || !this.hasUnsent) return;
    const delay =
      this.failures > 0
        ? backoffDelay(this.failures - 1, this.retryBackoff)
        : Math.max(0, this.lastSendAt + this.intervalMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.sendNow();
    }, delay);
  }

  /** The next batch: the head alone, else every pending update merged. */
  private takeBatch(): { batch: Uint8Array; isHead: boolean } | null {
    if (this.head) return { batch: this.head, isHead: true };
    while (this.pending.length > 0) {
      const batch = this.mergeAll(this.pending);
      this.pending = [];
      if (!isEmptyUpdate(batch)) return { batch, isHead: false };
    }
    return null;
  }

  private sendNow(): void {
    if (this.inFlight) return;
    const next = this.takeBatch();
    if (!next) {
      this.refreshState();
      return;
    }
    const { batch } = next;
    this.lastSendAt = this.clock.now();
    const flight = this.attempt(batch).then(
      () => {
        this.failures = 0;
        if (this.head === batch) this.clearHead();
        return true;
      },
      (error: unknown) => this.failed(batch, error),
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

  /** One send, bounded by sendTimeoutMs. */
  private attempt(batch: Uint8Array): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(
        () => reject(new RpcError('timeout', `core did not answer a push within ${this.sendTimeoutMs} ms`)),
        this.sendTimeoutMs,
      );
      let sent: Promise<unknown>;
      try {
        sent = this.send(batch);
      } catch (error) {
        sent = Promise.reject(error);
      }
      sent.then(
        (value) => {
          this.clock.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.clock.clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /** Returns whether the batch is out of the way (set aside) rather than still queued. */
  private failed(batch: Uint8Array, error: unknown): boolean {
    const kind = this.classify(error);
    if (this.head !== batch) {
      this.head = batch;
      this.headAttempts = 0;
    }
    this.headAttempts++;
    const giveUp = kind === 'permanent' || (kind === 'bounded' && this.headAttempts >= this.maxBoundedAttempts);
    if (!giveUp) {
      this.failures++;
      return false;
    }
    this.clearHead();
    this.failures = 0;
    this.setAsideCount++;
    try {
      this.onSetAside(batch, error);
    } catch (callbackError) {
      console.error('could not keep a refused batch', callbackError);
    }
    return true;
  }

  private clearHead(): void {
    this.head = null;
    this.headAttempts = 0;
  }

  private mergeAll(updates: Uint8Array[]): Uint8Array {
    return updates.length === 1 ? updates[0]! : this.merge(updates);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private refreshState(): void {
    const next: SaveState = !this.hasUnsent ? 'saved' : this.failures > 0 ? 'error' : 'saving';
    if (next !== this.state) {
      this.state = next;
      this.onState(next);
    }
  }
}
