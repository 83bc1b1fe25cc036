import type { Migration } from './types';

/**
 * The review workflow (issue 9): each story's status, the history of its transitions (the
 * applied command ids live there, so a command sent twice is applied once), the versions kept
 * at submit, approve and publish (the whole merged document), and comments with the
 * resolve/reopen operations on their threads. Every one of these changes also moves the
 * story's change_seq, so the changes feed carries it.
 */
export const workflow: Migration = {
  id: '20261201_0006_workflow',
  sql: `
ALTER TABLE stories ADD COLUMN status text NOT NULL DEFAULT 'draft'
  CHECK (status IN ('draft', 'submitted', 'in_review', 'revision_requested', 'approved', 'published', 'spiked'));

-- One row per applied command; command_id is the client's id (a repeat answers from here).
CREATE TABLE story_status_history (
  seq          bigserial PRIMARY KEY,
  command_id   text NOT NULL UNIQUE,
  story_id     text NOT NULL REFERENCES stories (id),
  command      text NOT NULL,
  from_status  text NOT NULL,
  to_status    text NOT NULL,
  note         text,
  user_id      text NOT NULL REFERENCES users (id),
  issued_at    timestamptz NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX story_status_history_by_story ON story_status_history (story_id, seq);

CREATE TABLE story_versions (
  seq         bigserial,
  id          text PRIMARY KEY,
  story_id    text NOT NULL REFERENCES stories (id),
  kind        text NOT NULL CHECK (kind IN ('filed', 'edited', 'published')),
  command_id  text NOT NULL,
  state       bytea NOT NULL,
  created_by  text NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL
);
CREATE INDEX story_versions_by_story ON story_versions (story_id, seq);

CREATE TABLE story_comments (
  seq          bigserial,
  id           text PRIMARY KEY,
  story_id     text NOT NULL REFERENCES stories (id),
  thread_id    text NOT NULL,
  author_id    text NOT NULL REFERENCES users (id),
  body         text NOT NULL,
  quote        text NOT NULL,
  created_at   timestamptz NOT NULL,
  received_at  timestamptz NOT NULL
);
CREATE INDEX story_comments_by_story ON story_comments (story_id, seq);

-- Resolve and reopen, in the order the server received them: the last one decides.
CREATE TABLE story_thread_ops (
  seq          bigserial PRIMARY KEY,
  id           text NOT NULL UNIQUE,
  story_id     text NOT NULL REFERENCES stories (id),
  thread_id    text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('resolve', 'reopen')),
  user_id      text NOT NULL REFERENCES users (id),
  created_at   timestamptz NOT NULL,
  received_at  timestamptz NOT NULL
);
CREATE INDEX story_thread_ops_by_story ON story_thread_ops (story_id, seq);
`,
};
