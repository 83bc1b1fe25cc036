import type { Migration } from './types';

/**
 * Who may read a photo (issue 8): its uploaders, and whoever may see a story whose document
 * references it.
 *
 * - `stories.photo_sha256s`: the sha256 of every photo in the story's `photos` map (the
 *   names of the bytes on the server), written by the same statements that store the
 *   document, so it never lags behind it. A GIN index finds the stories that reference a
 *   photo. It leaves out the stories without photos, so the many syncs of their text add
 *   nothing to it; and it takes each entry at once (`fastupdate = off`) rather than in a
 *   pending list that some later write must merge (on the embedded engine, which runs no
 *   autovacuum, always a sync, in the server's one thread). NULL means "not read yet" (a story written before this column existed): the
 *   server fills those rows at start, before it serves (server/photos/photoLists.ts),
 *   since a Yjs document cannot be read in SQL.
 * - `photo_uploaders`: every user who sent a photo's original (bytes that hash to its
 *   name, so they hold the photo), not only the first (`photos.uploaded_by`): a second
 *   uploader of bytes the server already has is recorded too. A web rendition proves
 *   nothing about the original (any image can be sent as one), so it records no uploader.
 *   Filled from the originals already received.
 */
export const photoAccess: Migration = {
  id: '20261202_0008_photo_access',
  sql: `
ALTER TABLE stories ADD COLUMN photo_sha256s text[];
CREATE INDEX stories_by_photo ON stories USING GIN (photo_sha256s) WITH (fastupdate = off) WHERE photo_sha256s <> '{}';

CREATE TABLE photo_uploaders (
  sha256      text NOT NULL REFERENCES photos (sha256),
  user_id     text NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (sha256, user_id)
);
INSERT INTO photo_uploaders (sha256, user_id, created_at)
  SELECT sha256, uploaded_by, created_at FROM photo_files WHERE variant = 'original';
`,
};
