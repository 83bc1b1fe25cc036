// Keeps the core utility process alive: starts it, restarts it when it dies unexpectedly
// (a bounded number of times, so a core that crashes on start does not spin forever),
// hands it MessagePorts, and stops it gracefully at quit. The spawn function is injected
// (utilityProcess.fork in main.ts), so this is tested in plain Node.
import type { MessagePortMain } from 'electron';

/** The part of Electron's UtilityProcess the supervisor uses. */
export interface CoreChild {
  postMessage(message: unknown, transfer?: MessagePortMain[]): void;
  kill(): boolean;
  once(event: 'exit', listener: (code: number) => void): unknown;
}

export interface RestartPolicy {
  /** At most this many restarts ... */
  maxRestarts: number;
  /** ... within this sliding window. */
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 3, windowMs: 60_000 };

export interface SupervisorHooks {
  onRestart?(exitCode: number, restartCount: number): void;
  /** Core died more often than the policy allows; it stays down. */
  onGiveUp?(exitCode: number): void;
  now?(): number;
}

/** The message core's utility entry expects with each port (electron/core/host/utility.ts). */
export const CONNECT_MESSAGE = Object.freeze({ type: 'connect' as const });
/** Core's utility entry flushes and exits on this (electron/core/host/utility.ts). */
export const SHUTDOWN_MESSAGE = Object.freeze({ type: 'shutdown' as const });

export class CoreSupervisor {
  private child: CoreChild | null = null;
  private stopping = false;
  private gaveUp = false;
  private readonly restarts: number[] = [];
  private exitWaiters: Array<() => void> = [];

  constructor(
    private readonly spawn: () => CoreChild,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
    private readonly hooks: SupervisorHooks = {},
  ) {}

  get running(): boolean {
    return this.child !== null;
  }

  start(): void {
    if (this.child || this.stopping) return;
    this.launch();
  }

  /** Hands one end of a MessageChannelMain to core. False when core is down for good. */
  connect(port: MessagePortMain): boolean {
    if (!this.child) return false;
    this.child.postMessage(CONNECT_MESSAGE, [port]);
    return true;
  }

  /**
   * Graceful stop at quit: asks core to flush to SQLite and exit ({ type: 'shutdown' }, the
   * same on every OS); kills it if it has not exited within timeoutMs, so a hung core
   * never blocks quitting. Resolves once it exited (or a second timeout passed).
   */
  stop(timeoutMs = 3_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const killTimer = setTimeout(() => child.kill(), timeoutMs);
      const giveUpTimer = setTimeout(finish, 2 * timeoutMs);
      function finish() {
        clearTimeout(killTimer);
        clearTimeout(giveUpTimer);
        resolve();
      }
      this.exitWaiters.push(finish);
      child.postMessage(SHUTDOWN_MESSAGE);
    });
  }

  private launch(): void {
    const child = this.spawn();
    this.child = child;
    child.once('exit', (code) => this.onExit(child, code));
  }

  private onExit(child: CoreChild, code: number): void {
    if (this.child !== child) return;
    this.child = null;
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    waiters.forEach((resolve) => resolve());
    if (this.stopping || this.gaveUp) return;
    const now = this.hooks.now?.() ?? Date.now();
    while (this.restarts.length > 0 && now - (this.restarts[0] ?? now) > this.policy.windowMs) this.restarts.shift();
    if (this.restarts.length >= this.policy.maxRestarts) {
      this.gaveUp = true;
      this.hooks.onGiveUp?.(code);
      return;
    }
    this.restarts.push(now);
    this.launch();
    this.hooks.onRestart?.(code, this.restarts.length);
  }
}
