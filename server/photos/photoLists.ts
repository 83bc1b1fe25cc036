import type { Database } from '../db/database';
import { photoSha256sOf } from '../stories/projection';
import { loadServerDoc, type StoredDocumentColumns } from '../stories/storyState';

const BATCH = 50;

interface UnlistedRow extends Pick<StoredDocumentColumns, 'doc_state'> {
  id: string;
}

/**
 * Fills `stories.photo_sha256s` for the stories written before it existed (NULL), read from
 * their stored documents: without it their photos would be readable by their uploaders only
 * until the story's next write, and clients do not push a story again that has no new edits.
 * A Yjs document cannot be read in SQL, so this runs at start, before the server serves.
 * Several servers starting together on one PostgreSQL do no harm: a row is written only
 * while still NULL, so a list stored meanwhile by a sync (always current) is never replaced.
 * A document that does not load is left NULL (its photos stay with their uploaders) and
 * reported; the next start tries again. Answers how many stories were filled.
 */
export async function fillMissingPhotoLists(db: Database, log: (message: string) => void = (m) => console.error(m)): Promise<number> {
  let filled = 0;
  let after = '';
  for (;;) {
    const rows = await db.query<UnlistedRow>(
      'SELECT id, doc_state FROM stories WHERE photo_sha256s IS NULL AND id > $1 ORDER BY id LIMIT $2',
      [after, BATCH],
    );
    if (rows.length === 0) return filled;
    for (const row of rows) {
      after = row.id;
      let list: string[];
      try {
        const doc = await loadServerDoc(db, row.id, row);
        try {
          list = photoSha256sOf(doc);
        } finally {
          doc.destroy();
        }
      } catch (error) {
        log(`Ruang Redaksi server: the photos of story ${row.id} could not be read (${error instanceof Error ? error.message : String(error)}); they stay readable by their uploaders only`);
        continue;
      }
      const written = await db.query('UPDATE stories SET photo_sha256s = $2::text[] WHERE id = $1 AND photo_sha256s IS NULL RETURNING id', [row.id, list]);
      filled += written.length;
    }
  }
}
