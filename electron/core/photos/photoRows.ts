import type Database from 'better-sqlite3';
import { EMPTY_PREFILL } from './photoMetadata';
import type { PhotoMime, PhotoPrefill } from '../../../shared/domain/photo';

/** One row of `photos` (migration 20261201_0006_photos): a file the store holds or knows of. */
export interface PhotoRow {
  sha256: string;
  mime: PhotoMime;
  ext: string;
  byteSize: number;
  width: number;
  height: number;
  prefill: PhotoPrefill;
  /** The original's bytes are in photos/ (false: known from a synced story, not fetched yet). */
  hasOriginal: boolean;
  createdAt: number;
}

interface RawRow {
  sha256: string;
  mime: string;
  ext: string;
  byte_size: number;
  width: number;
  height: number;
  metadata_json: string;
  has_original: number;
  created_at: number;
}

export class PhotoRows {
  private readonly selectOne;
  private readonly upsertOne;

  constructor(db: Database.Database) {
    this.selectOne = db.prepare('SELECT * FROM photos WHERE sha256 = ?');
    // A row known without its bytes (has_original = 0) becomes a stored photo; created_at stays the first one.
    this.upsertOne = db.prepare(`
      INSERT INTO photos (sha256, mime, ext, byte_size, width, height, metadata_json, has_original, created_at)
      VALUES (@sha256, @mime, @ext, @byteSize, @width, @height, @metadataJson, 1, @createdAt)
      ON CONFLICT (sha256) DO UPDATE SET
        mime = excluded.mime, ext = excluded.ext, byte_size = excluded.byte_size, width = excluded.width,
        height = excluded.height, metadata_json = excluded.metadata_json, has_original = 1`);
  }

  get(sha256: string): PhotoRow | null {
    const raw = this.selectOne.get(sha256) as RawRow | undefined;
    if (!raw) return null;
    return {
      sha256: raw.sha256,
      mime: raw.mime as PhotoMime,
      ext: raw.ext,
      byteSize: raw.byte_size,
      width: raw.width,
      height: raw.height,
      prefill: readPrefill(raw.metadata_json),
      hasOriginal: raw.has_original === 1,
      createdAt: raw.created_at,
    };
  }

  /** Records that the original's bytes are now in photos/ (call only after they are durably there). */
  putStored(row: Omit<PhotoRow, 'hasOriginal'>): void {
    this.upsertOne.run({
      sha256: row.sha256,
      mime: row.mime,
      ext: row.ext,
      byteSize: row.byteSize,
      width: row.width,
      height: row.height,
      metadataJson: JSON.stringify(row.prefill),
      createdAt: row.createdAt,
    });
  }
}

function readPrefill(json: string): PhotoPrefill {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = {};
  }
  const p = (parsed ?? {}) as Partial<Record<keyof PhotoPrefill, unknown>>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    caption: str(p.caption),
    credit: str(p.credit),
    photographer: str(p.photographer),
    source: str(p.source),
    city: str(p.city),
    dateTaken: typeof p.dateTaken === 'string' ? p.dateTaken : EMPTY_PREFILL.dateTaken,
  };
}
