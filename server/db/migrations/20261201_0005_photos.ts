import type { Migration } from './types';

/**
 * Photos the server holds (issue 8), by the sha256 of the original file. `photo_files` has
 * one row per variant received (`web` rendition, `original`), written only after the bytes'
 * sha256 was checked and their content sniffed; `storage_key` says where the store keeps it
 * (a path under the photo directory, or an object key in S3). Who uploaded each is kept.
 */
export const photos: Migration = {
  id: '20261201_0005_photos',
  sql: `
CREATE TABLE photos (
  sha256       text PRIMARY KEY,
  uploaded_by  text NOT NULL REFERENCES users (id),
  created_at   timestamptz NOT NULL
);

CREATE TABLE photo_files (
  sha256       text NOT NULL REFERENCES photos (sha256),
  variant      text NOT NULL CHECK (variant IN ('web', 'original')),
  file_sha256  text NOT NULL,
  mime         text NOT NULL,
  byte_size    bigint NOT NULL,
  storage_key  text NOT NULL,
  uploaded_by  text NOT NULL REFERENCES users (id),
  -- The tus upload that brought it: a client whose last answer was lost asks about that upload
  -- again and learns it is complete instead of sending the file again.
  upload_id    text,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (sha256, variant)
);
CREATE UNIQUE INDEX photo_files_by_upload ON photo_files (upload_id) WHERE upload_id IS NOT NULL;
`,
};
