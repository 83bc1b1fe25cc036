import type { Migration } from './types';

/**
 * Who uses this profile with the newsroom server, and the directory last fetched from it.
 * One row each (id = 1). The session token itself is not here: it is kept encrypted in
 * its own owner-only file (electron/core/account/secretStore.ts); `local_key` is the key of
 * that file when no operating-system keychain seals it, so neither file alone reveals it.
 */
export const account: Migration = {
  id: '20261201_0004_account',
  sql: `
CREATE TABLE account (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  state       TEXT NOT NULL CHECK (state IN ('logged_out', 'logged_in', 'expired')),
  server_url  TEXT,            -- the server last logged in to
  user_json   TEXT,            -- the logged-in (or expired) user: {id, username, displayName, role}; NULL when logged out
  owner_json  TEXT,            -- the account that owns this profile since its first login; never cleared by logout
  local_key   BLOB,            -- 32 random bytes for the session file when the OS keychain is not used
  updated_at  INTEGER NOT NULL
);
CREATE TABLE directory_cache (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  server_url  TEXT NOT NULL,
  version     INTEGER NOT NULL,
  body_json   TEXT NOT NULL,   -- GET /directory as the server answered it
  fetched_at  INTEGER NOT NULL
);
`,
};
