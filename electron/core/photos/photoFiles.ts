import { join } from 'node:path';
import type { PhotoVariant } from '../../../shared/domain/photo';

/**
 * Where a photo's bytes live in the profile: the original as `photos/<sha256>.<ext>`, its
 * renditions (made once, cached) as `photos/renditions/<sha256>.<variant>.<ext>`. One place
 * for these names, so the store, the renditions and the uploader agree.
 */
export const PHOTOS_DIR = 'photos';
export const RENDITIONS_DIR = join(PHOTOS_DIR, 'renditions');

/** Rendition formats: WebP thumbnails (small), JPEG web size (what every newsroom tool reads). */
export const RENDITION_FORMAT: Record<Exclude<PhotoVariant, 'original'>, { ext: string; mime: string; longEdge: number }> = {
  thumb: { ext: 'webp', mime: 'image/webp', longEdge: 320 },
  web: { ext: 'jpg', mime: 'image/jpeg', longEdge: 1600 },
};

export function originalPhotoPath(profileDir: string, sha256: string, ext: string): string {
  return join(profileDir, PHOTOS_DIR, `${sha256}.${ext}`);
}

export function renditionPath(profileDir: string, sha256: string, variant: Exclude<PhotoVariant, 'original'>): string {
  return join(profileDir, RENDITIONS_DIR, `${sha256}.${variant}.${RENDITION_FORMAT[variant].ext}`);
}
