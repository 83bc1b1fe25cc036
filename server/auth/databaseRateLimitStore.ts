import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Database } from '../db/database';
import { ApiError } from '../http/apiError';

/**
 * A store for @fastify/rate-limit that keeps its counters in the server's database (table
 * `rate_limit_hits`, migration 20261202_0009), so every server process sharing the database
 * counts the same attempts and a restart forgets none. The plugin's default store lives in
 * each process's memory: N processes would allow N times the attempts, and every restart
 * would start from zero.
 *
 * It follows the plugin's own stores (LocalStore): the first hit of a key opens a window of
 * `timeWindow` ms; every hit inside it counts one more; the first hit after it has passed
 * opens a new window at 1. With `continueExceeding` a hit over `max` opens a fresh window
 * (the caller stays limited while it keeps trying). `ttl` is what is left of the window.
 * `exponentialBackoff` is not supported (refused when a route asks for it).
 *
 * Time is the server's clock (`now`, which tests move), not the database's: processes on
 * different machines disagree by their clock skew, which is small against a minute.
 *
 * Each hit is one statement (an upsert that counts, or starts the window again, and answers
 * the count), so concurrent attempts through several processes are counted exactly. Rows
 * whose window has passed are deleted now and then (at most once per SWEEP_INTERVAL_MS per
 * process, after a hit): a row is only worth keeping while its window lasts.
 *
 * Only the routes given a rate limit use it (the login routes); the sync path has none, so
 * it runs no statement of this store.
 */
export function databaseRateLimitStore(db: Database, now: () => number): FastifyRateLimitStoreCtor {
  const shared: Shared = { db, now, nextSweepAt: Number.NEGATIVE_INFINITY };
  return class extends DatabaseRateLimitStore {
    constructor(options: object) {
      super(shared, options as StoreOptions, '');
    }
  };
}

/** At most this often (per process) rows whose window has passed are deleted. */
export const RATE_LIMIT_SWEEP_INTERVAL_MS = 60_000;

interface Shared {
  db: Database;
  now: () => number;
  nextSweepAt: number;
}

/** The plugin's options for a store (the plugin's or a route's merged with it); only these matter here. */
interface StoreOptions {
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
  routeInfo?: { method?: string | string[]; url?: string };
}

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * $1 key, $2 now, $3 the end of a window opened now, $4 continueExceeding, $5 max. Every
 * SET expression reads the row as it was before this hit.
 */
const HIT_SQL = `INSERT INTO rate_limit_hits AS h (key, window_ends, hits) VALUES ($1, $3::timestamptz, 1)
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN h.window_ends <= $2::timestamptz THEN 1 ELSE h.hits + 1 END,
  window_ends = CASE WHEN h.window_ends <= $2::timestamptz OR ($4::boolean AND h.hits >= $5::int) THEN excluded.window_ends ELSE h.window_ends END
RETURNING hits, window_ends`;

const READ_SQL = 'SELECT hits, window_ends FROM rate_limit_hits WHERE key = $1 AND window_ends > $2::timestamptz';

const SWEEP_SQL = 'DELETE FROM rate_limit_hits WHERE window_ends <= $1::timestamptz';

class DatabaseRateLimitStore implements FastifyRateLimitStore {
  private readonly continueExceeding: boolean;

  constructor(
    private readonly shared: Shared,
    options: StoreOptions,
    /** Keeps apart the counters of routes that generate the same keys. */
    private readonly keyPrefix: string,
  ) {
    if (options.exponentialBackoff) throw new Error('the database rate-limit store does not support exponentialBackoff');
    this.continueExceeding = options.continueExceeding === true;
  }

  incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    this.hit(this.keyPrefix + key, timeWindow, max).then(
      (result) => callback(null, result),
      (error: unknown) => callback(storeFailure(error)),
    );
  }

  /** The counter as it stands, without counting a hit (the plugin's `{ increment: false }`). */
  read(key: string, callback: Callback): void {
    const at = this.shared.now();
    this.shared.db.query<HitRow>(READ_SQL, [this.keyPrefix + key, new Date(at)]).then(
      ([row]) => callback(null, row ? { current: row.hits, ttl: row.window_ends.getTime() - at } : { current: 0, ttl: 0 }),
      (error: unknown) => callback(storeFailure(error)),
    );
  }

  /**
   * The plugin passes the store's options merged with a route's (its typings call them the
   * route's options; index.js shows what really comes).
   */
  child(routeOptions: object): FastifyRateLimitStore {
    const options = routeOptions as StoreOptions;
    // A route's own limit (its `config.rateLimit`) names the route; a limiter made with
    // createRateLimit has no route, and its keys are its own.
    const { method, url } = options.routeInfo ?? {};
    const prefix = url === undefined ? '' : `${[method ?? ''].flat().join(',')} ${url}|`;
    return new DatabaseRateLimitStore(this.shared, options, this.keyPrefix + prefix);
  }

  private async hit(key: string, timeWindow: number, max: number): Promise<{ current: number; ttl: number }> {
    const at = this.shared.now();
    const [row] = await this.shared.db.query<HitRow>(HIT_SQL, [key, new Date(at), new Date(at + timeWindow), this.continueExceeding, max]);
    if (!row) throw new Error('the rate-limit upsert answered no row');
    await this.sweepWhenDue(at);
    return { current: row.hits, ttl: row.window_ends.getTime() - at };
  }

  private async sweepWhenDue(at: number): Promise<void> {
    if (at < this.shared.nextSweepAt) return;
    this.shared.nextSweepAt = at + RATE_LIMIT_SWEEP_INTERVAL_MS;
    try {
      await this.shared.db.query(SWEEP_SQL, [new Date(at)]);
    } catch (error) {
      // The hit itself was counted; the rows stay for the next sweep.
      console.error('Ruang Redaksi server: deleting old rate-limit rows failed:', error);
    }
  }
}

interface HitRow {
  hits: number;
  window_ends: Date;
}

/**
 * When attempts cannot be counted, the request is refused with 503, not let through
 * (fail closed): an uncounted attempt would make the limit meaningless for as long as the
 * store fails (an attacker would simply keep trying), and a crash would take every other
 * request down with it. 503 says "try again shortly"; clients treat it like a server that
 * is busy or unreachable for now. The cause goes to the server's log with the answer.
 */
function storeFailure(error: unknown): ApiError {
  const failure = new ApiError(503, 'unavailable', 'login attempts cannot be counted right now: try again shortly');
  failure.cause = error;
  return failure;
}
