import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { originalPhotoPath, renditionPath } from '../photos/photoFiles';

/**
 * Photos in a profile as the photo store leaves them after an attach (the original at its
 * photoFiles.ts path, the web rendition cached beside, one `photos` row), for tests of the
 * uploader that do not need the store itself.
 */
export interface LocalPhoto {
  sha256: string;
  original: Buffer;
  web: Buffer | null;
}

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Bytes the server takes for a JPEG (its magic number) followed by noise that does not compress: a big photo made in no time. */
export function jpegLike(size: number): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);
}

export function addLocalPhoto(db: Database.Database, profileDir: string, original: Buffer, options: { web?: Buffer | null; ext?: string; mime?: string } = {}): LocalPhoto {
  const sha256 = sha256Of(original);
  const ext = options.ext ?? 'jpg';
  const path = originalPhotoPath(profileDir, sha256, ext);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, original);
  const web = options.web === undefined ? jpegLike(Math.min(200_000, Math.max(1000, Math.floor(original.length / 8)))) : options.web;
  if (web) {
    const webPath = renditionPath(profileDir, sha256, 'web');
    mkdirSync(dirname(webPath), { recursive: true });
    writeFileSync(webPath, web);
  }
  db.prepare(
    `INSERT INTO photos (sha256, mime, ext, byte_size, width, height, metadata_json, has_original, created_at)
     VALUES (?, ?, ?, ?, 1600, 1200, '{}', 1, ?) ON CONFLICT (sha256) DO NOTHING`,
  ).run(sha256, options.mime ?? 'image/jpeg', ext, original.length, Date.now());
  return { sha256, original, web };
}
