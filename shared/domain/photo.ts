/**
 * Photos attached to stories (issue 8). A photo's bytes live in the local store, content
 * addressed by the sha256 of the original file; what people write about it (caption,
 * credit, photographer, order, featured) lives in the story's Y.Doc `photos` map
 * (shared/doc/photos.ts), so it syncs and merges like text.
 */

/** What core accepts, by sniffed content (never by file name). HEIC only where the platform decodes it. */
export const PHOTO_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic'] as const;
export type PhotoMime = (typeof PHOTO_MIME_TYPES)[number];

/** File extension used for `photos/<sha256>.<ext>`. */
export const PHOTO_EXTENSIONS: Record<PhotoMime, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
};

/** Default size limit of one photo; a setting (`maxPhotoMegabytes`) changes it. */
export const DEFAULT_MAX_PHOTO_MEGABYTES = 50;
/**
 * The highest value the `maxPhotoMegabytes` setting accepts: a photo travels to core as one
 * RPC message, and web mode's socket takes messages up to 64 MiB.
 */
export const MAX_PHOTO_MEGABYTES_CEILING = 60;
/** One "MB" of the size limit (what file managers call a megabyte on most desktops). */
export const PHOTO_MEGABYTE = 1024 * 1024;

/**
 * - `thumb`: small preview for lists and the photo panel (long edge about 320 px, WebP);
 * - `web`: what the editor and the redaktur work with (long edge about 1600 px, JPEG);
 * - `original`: the file as attached.
 */
export const PHOTO_VARIANTS = ['thumb', 'web', 'original'] as const;
export type PhotoVariant = (typeof PHOTO_VARIANTS)[number];

/** `photo-item` `data-upload`. */
export const PHOTO_UPLOAD_STATES = ['pending', 'uploading', 'done', 'error'] as const;
export type PhotoUploadState = (typeof PHOTO_UPLOAD_STATES)[number];

/** Fields read from the file's IPTC, XMP and EXIF metadata; empty strings where the file has none. */
export interface PhotoPrefill {
  caption: string;
  credit: string;
  photographer: string;
  source: string;
  city: string;
  /** ISO 8601 as the camera wrote it (with its offset when known), or null. */
  dateTaken: string | null;
}

/** What `photos.attach` answers: the stored photo and its pre-filled fields. */
export interface AttachedPhoto {
  sha256: string;
  mime: PhotoMime;
  byteSize: number;
  width: number;
  height: number;
  prefill: PhotoPrefill;
  /** True when the same bytes were already in the store (nothing new written). */
  alreadyStored: boolean;
}

/** Upload progress of one photo (web rendition and original together). */
export interface PhotoUploadStatus {
  sha256: string;
  state: PhotoUploadState;
  bytesSent: number;
  bytesTotal: number;
  /** Why the last attempt failed (shown to the user), or null. */
  error: string | null;
}

/** Credit presets offered next to the credit input (the user completes the name). */
export const CREDIT_PRESETS = ['Foto : Istimewa', 'Foto : ANTARA/', 'Foto : Koran Jakarta/'] as const;
