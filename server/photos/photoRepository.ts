import type { Queryable } from '../db/database';
import type { UploadVariant } from '../../shared/server-api/photos';

export interface StoredPhotoFile {
  sha256: string;
  variant: UploadVariant;
  fileSha256: string;
  mime: string;
  byteSize: number;
  storageKey: string;
}

interface FileRow {
  sha256: string;
  variant: UploadVariant;
  file_sha256: string;
  mime: string;
  byte_size: number | string;
  storage_key: string;
}

export async function findPhotoFile(db: Queryable, sha256: string, variant: UploadVariant): Promise<StoredPhotoFile | null> {
  const [row] = await db.query<FileRow>(
    'SELECT sha256, variant, file_sha256, mime, byte_size, storage_key FROM photo_files WHERE sha256 = $1 AND variant = $2',
    [sha256, variant],
  );
  if (!row) return null;
  return { sha256: row.sha256, variant: row.variant, fileSha256: row.file_sha256, mime: row.mime, byteSize: Number(row.byte_size), storageKey: row.storage_key };
}

/**
 * Records a verified file of a photo (and the photo, the first time one of its files
 * arrives). Answers false when that variant was already recorded (a concurrent upload of the
 * same bytes won): the caller then drops its copy.
 */
export async function recordPhotoFile(
  db: Queryable,
  file: StoredPhotoFile & { uploadedBy: string; uploadId: string },
  now: number,
): Promise<boolean> {
  await db.query('INSERT INTO photos (sha256, uploaded_by, created_at) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING', [
    file.sha256,
    file.uploadedBy,
    new Date(now),
  ]);
  const inserted = await db.query(
    `INSERT INTO photo_files (sha256, variant, file_sha256, mime, byte_size, storage_key, uploaded_by, upload_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (sha256, variant) DO NOTHING
     RETURNING sha256`,
    [file.sha256, file.variant, file.fileSha256, file.mime, file.byteSize, file.storageKey, file.uploadedBy, file.uploadId, new Date(now)],
  );
  // Bytes that hash to the photo's name: the sender holds the photo (see recordPhotoUploader).
  if (file.variant === 'original') await recordPhotoUploader(db, file.sha256, file.uploadedBy, now);
  return inserted.length === 1;
}

/**
 * Records that `userId` sent the photo's original (bytes whose sha256 is the photo's name,
 * checked before), so they may read it whatever story it is in, also when the server
 * already had the file from someone else. A web rendition is never recorded here: any
 * image can be sent as the rendition of a photo one only knows the name of.
 */
export async function recordPhotoUploader(db: Queryable, sha256: string, userId: string, now: number): Promise<void> {
  await db.query('INSERT INTO photo_uploaders (sha256, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (sha256, user_id) DO NOTHING', [
    sha256,
    userId,
    new Date(now),
  ]);
}

/** The size of the file a finished tus upload became, or null (unknown upload, or not finished). */
export async function finishedUploadSize(db: Queryable, uploadId: string): Promise<number | null> {
  const [row] = await db.query<{ byte_size: number | string }>('SELECT byte_size FROM photo_files WHERE upload_id = $1', [uploadId]);
  return row ? Number(row.byte_size) : null;
}
