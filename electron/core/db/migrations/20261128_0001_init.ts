import type { Migration } from './types';

/**
 * The first local store. Photos, outbox and directory cache tables come with
 * the issues that need them, as new migrations.
 */
export const init: Migration = {
  id: '20261128_0001_init',
  sql: `
-- List projection of every local story. The Y.Doc (doc_snapshots + doc_updates) is the
-- source of truth; these columns are derived from it so the list never opens a document.
CREATE TABLE stories (
  row_id      INTEGER PRIMARY KEY,            -- also the FTS rowid
  id          TEXT    NOT NULL UNIQUE,        -- uuid, the id every other process sees
  headline    TEXT    NOT NULL DEFAULT '',
  status      TEXT    NOT NULL DEFAULT 'draft',
  created_at  INTEGER NOT NULL,               -- ms since epoch
  updated_at  INTEGER NOT NULL,
  word_count  INTEGER NOT NULL DEFAULT 0,
  deleted_at  INTEGER,                        -- set while in the trash
  dirty       INTEGER NOT NULL DEFAULT 0,     -- has local changes the server has not acknowledged
  index_stale INTEGER NOT NULL DEFAULT 0      -- word count / FTS lag behind the document (refreshed on start)
);
CREATE INDEX stories_live_by_updated ON stories (deleted_at, updated_at DESC);
CREATE INDEX stories_status_by_updated ON stories (status, deleted_at, updated_at DESC);
CREATE INDEX stories_index_stale ON stories (index_stale) WHERE index_stale = 1;

-- Yjs update log per story, appended on every push; compacted into doc_snapshots.
CREATE TABLE doc_updates (
  story_row_id INTEGER NOT NULL REFERENCES stories (row_id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  data         BLOB    NOT NULL,
  synced       INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (story_row_id, seq)
) WITHOUT ROWID;

-- The compacted state of a story: every update with seq <= up_to_seq, merged.
CREATE TABLE doc_snapshots (
  story_row_id INTEGER PRIMARY KEY REFERENCES stories (row_id) ON DELETE CASCADE,
  state        BLOB    NOT NULL,
  up_to_seq    INTEGER NOT NULL,
  created_at   INTEGER NOT NULL
);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL                          -- JSON
);

-- Full-text index over headline and body text; rowid = stories.row_id.
-- unicode61 with diacritics removed, so "resume" finds "résumé"; prefix indexes keep
-- type-ahead prefix queries fast.
CREATE VIRTUAL TABLE stories_fts USING fts5 (
  headline,
  body,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
`,
};
