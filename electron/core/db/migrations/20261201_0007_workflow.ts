import type { Migration } from './types';

/**
 * The review workflow on this profile (issue 9): the durable outbox of commands and comment
 * operations made here (sent with the next sync, removed only once the server answered
 * them), the last review the server gave per story (shown offline), and the version
 * documents fetched once (offline diffs).
 */
export const workflow: Migration = {
  id: '20261201_0007_workflow',
  sql: `
CREATE TABLE workflow_outbox (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  id         TEXT    NOT NULL UNIQUE,
  story_id   TEXT    NOT NULL,
  kind       TEXT    NOT NULL CHECK (kind IN ('command', 'comment')),
  body_json  TEXT    NOT NULL,  -- the WorkflowCommandRequest or CommentOp as sent
  created_at INTEGER NOT NULL
);
CREATE INDEX workflow_outbox_by_story ON workflow_outbox (story_id, seq);

CREATE TABLE story_reviews (
  story_id      TEXT PRIMARY KEY,
  -- GET /stories/:id/review as last answered (NULL: never fetched).
  review_json   TEXT,
  -- Who created the story, as the changes feed says (NULL: not known here).
  created_by    TEXT,
  -- The server's refusal of this profile's last command, until the user dismisses it.
  refusal_json  TEXT,
  -- The changes feed listed the story since its review was fetched.
  stale         INTEGER NOT NULL DEFAULT 0,
  fetched_at    INTEGER
);

CREATE TABLE story_version_states (
  version_id  TEXT PRIMARY KEY,
  story_id    TEXT NOT NULL,
  state       BLOB NOT NULL
);
`,
};
