import type { Migration } from './types';

/**
 * Stories as the server holds them: the Yjs update log (the document itself) and, per
 * story, a projection read from the document (headline, rubrik, redaktur, penulis, word
 * count) so lists and permission checks never open a document. `change_seq` grows with
 * every change, server-wide: a client's cursor into the changes feed.
 */
export const stories: Migration = {
  id: '20261201_0002_stories',
  sql: `
CREATE SEQUENCE story_change_seq;

CREATE TABLE stories (
  id           text PRIMARY KEY,
  created_by   text NOT NULL REFERENCES users (id),
  headline     text NOT NULL DEFAULT '',
  -- No foreign keys on these two: they come from the document, which may name a rubrik
  -- or user deleted since; the story must still sync.
  rubrik_id    text,
  redaktur_id  text,
  penulis_ids  text[] NOT NULL DEFAULT '{}',
  word_count   integer NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  change_seq   bigint NOT NULL
);
CREATE INDEX stories_by_change ON stories (change_seq);
CREATE INDEX stories_by_rubrik ON stories (rubrik_id);
CREATE INDEX stories_by_redaktur ON stories (redaktur_id);
CREATE INDEX stories_by_creator ON stories (created_by);

CREATE TABLE story_updates (
  id          bigserial PRIMARY KEY,
  story_id    text NOT NULL REFERENCES stories (id),
  update      bytea NOT NULL,
  created_by  text NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL
);
CREATE INDEX story_updates_by_story ON story_updates (story_id, id);
`,
};
