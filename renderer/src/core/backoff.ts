/**
 * Delays between reconnect attempts: doubling from `baseMs` up to `maxMs`, with up to
 * `jitter` (a fraction) added so many windows do not hammer a restarting core in step.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 8_000, jitter: 0.2 };

/** attempt 0 is the first retry. `random` is injectable for tests. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(exp * (1 + options.jitter * random()));
}
