import type { Migration } from './types';

/**
 * Login attempts counted in the database (server/auth/databaseRateLimitStore.ts), so every
 * server process sharing it counts the same attempts and a restart forgets none.
 *
 * One row per counted key (an address, or an address and a username) for its current
 * window: `hits` attempts in the window that ends at `window_ends`. The row keeps the end
 * rather than the start, so whether a window has passed, and how long until it does, need
 * no knowledge of the route's window length, and rows whose window has passed are found
 * by one comparison whatever limit wrote them (they are swept now and then).
 */
export const rateLimitHits: Migration = {
  id: '20261202_0009_rate_limit_hits',
  sql: `
CREATE TABLE rate_limit_hits (
  key          text PRIMARY KEY,
  window_ends  timestamptz NOT NULL,
  hits         integer NOT NULL CHECK (hits > 0)
);
`,
};
