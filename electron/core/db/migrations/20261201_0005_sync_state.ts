import type { Migration } from './types';

/**
 * What the sync engine keeps between runs (issue 7). Per story: the server's last
 * acknowledged state vector (the push is a Yjs diff against it, so compaction on either
 * side never matters), what tells its sync state (local, pending, synced, conflict: read
 * from these columns, see StoryRepository), and the projection of the ids in
 * its meta map that lists and pickers show. One row of engine state holds the changes-feed
 * cursor per server and account.
 */
export const syncState: Migration = {
  id: '20261201_0005_sync_state',
  sql: `
-- The server's state vector as it last answered for this story (NULL: never acknowledged).
ALTER TABLE stories ADD COLUMN acked_sv BLOB;
-- A salinan konflik: the id of the story whose refused edits it holds.
ALTER TABLE stories ADD COLUMN conflict_of TEXT;
-- The server refused the story (forbidden, not found): the code it gave. Kept as it is and
-- never pushed again; a salinan konflik carries its local edits.
ALTER TABLE stories ADD COLUMN sync_refused TEXT;
-- Counts local changes (every push that changed the document); a sync clears dirty only when
-- this did not move while the request was under way.
ALTER TABLE stories ADD COLUMN local_rev INTEGER NOT NULL DEFAULT 0;
-- Read from the meta map whenever the story is indexed.
ALTER TABLE stories ADD COLUMN rubrik_id TEXT;
ALTER TABLE stories ADD COLUMN redaktur_id TEXT;
ALTER TABLE stories ADD COLUMN penulis_ids TEXT NOT NULL DEFAULT '[]';  -- JSON array of user ids
CREATE INDEX stories_dirty ON stories (dirty) WHERE dirty = 1;

-- The server the acknowledged state vectors above come from. Another server has seen none of
-- it: when the address changes, every story is sent again in full.
CREATE TABLE sync_server (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  server_url TEXT NOT NULL
);

-- The changes-feed cursor, per server address and user (another account or server starts at 0).
CREATE TABLE sync_cursor (
  server_url TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  cursor     INTEGER NOT NULL,
  PRIMARY KEY (server_url, user_id)
);
`,
};
