import type { Migration } from './types';

/**
 * Photos (issue 8). The bytes live in the profile as `photos/<sha256>.<ext>` (content
 * addressed: the same photo attached twice is stored once) with renditions beside them
 * (electron/core/photos/photoFiles.ts); what people write about a photo lives in the story's
 * Y.Doc. `photos` records every file the store holds; `photo_uploads` what the server has
 * acknowledged of it, so an upload resumes from the server's offset after a restart.
 */
export const photos: Migration = {
  id: '20261201_0006_photos',
  sql: `
CREATE TABLE photos (
  sha256        TEXT PRIMARY KEY,                 -- of the original file's bytes
  mime          TEXT NOT NULL,                    -- sniffed from the bytes
  ext           TEXT NOT NULL,
  byte_size     INTEGER NOT NULL,
  width         INTEGER NOT NULL,
  height        INTEGER NOT NULL,
  metadata_json TEXT NOT NULL DEFAULT '{}',       -- PhotoPrefill read from IPTC/XMP/EXIF
  -- 1 once the original's bytes are in photos/ (a photo known from a synced story is fetched lazily)
  has_original  INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL
);

-- One row per photo and variant sent to the server: 'web' (rendition, goes first) and 'original'.
CREATE TABLE photo_uploads (
  sha256      TEXT NOT NULL REFERENCES photos (sha256),
  variant     TEXT NOT NULL CHECK (variant IN ('web', 'original')),
  state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'uploading', 'done', 'error')),
  upload_url  TEXT,                               -- the tus upload URL once created
  bytes_sent  INTEGER NOT NULL DEFAULT 0,         -- the server's offset as last acknowledged
  bytes_total INTEGER NOT NULL DEFAULT 0,
  error       TEXT,
  attempts    INTEGER NOT NULL DEFAULT 0,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (sha256, variant)
);
`,
};
