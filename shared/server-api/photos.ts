/**
 * Photo uploads between core and the newsroom server (issue 8): the tus resumable protocol
 * for the bytes, plain GET/HEAD by content hash to read them. Both sides import these names.
 *
 * - `POST /photos/uploads` (tus creation) with `Upload-Metadata` keys below, then `PATCH` /
 *   `HEAD` on the upload URL it answers; every request carries `Authorization: Bearer …`.
 * - When the last byte arrives the server checks the received bytes' sha256 against
 *   `fileSha256` (mismatch: 460, the upload is deleted, the client starts again), sniffs the
 *   content (not an image: 415, deleted), stores the file by hash and records it.
 * - `HEAD /photos/:sha256/:variant`: 200 when the server has that file and the caller may
 *   read it (then it is not sent), 404 when not. `GET` the same path: the bytes, with their
 *   type. A caller may read a photo they sent the original of, or one a story they may see
 *   references (its `photos` map); to anyone else it is missing (404), and sending the
 *   original makes them one of its uploaders (the bytes are checked, the copy deduplicated).
 *   A `web` rendition is taken only from someone who may read the original: anyone else gets
 *   403 `forbidden` (at creation, and again when the last byte arrives), nothing is stored.
 * - `PUT /photos/:sha256/:variant`: the same file in one plain request (not resumable; the
 *   same checks). Kept for tools and as the baseline the upload benchmark compares tus with.
 */

/** What a client sends: the web-size rendition (first) and the original file. */
export const UPLOAD_VARIANTS = ['web', 'original'] as const;
export type UploadVariant = (typeof UPLOAD_VARIANTS)[number];

export const PHOTO_UPLOADS_PATH = '/photos/uploads';

/** `Upload-Metadata` keys of a tus upload. */
export interface PhotoUploadMetadata {
  /** sha256 of the photo's original file: names the photo everywhere. */
  sha256: string;
  variant: UploadVariant;
  /** sha256 of the bytes of this upload (for `original` the same as `sha256`). */
  fileSha256: string;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** tus' checksum-extension status: the received bytes are not the ones announced. */
export const STATUS_CHECKSUM_MISMATCH = 460;
/** The received bytes are not a JPEG, PNG, WebP or HEIC image. */
export const STATUS_NOT_AN_IMAGE = 415;

export function photoFilePath(sha256: string, variant: UploadVariant): string {
  return `/photos/${sha256}/${variant}`;
}

/** The checks both ends make on upload metadata; a reason for the first problem, or null. */
export function metadataProblem(metadata: Record<string, string | null | undefined>): string | null {
  const { sha256, variant, fileSha256 } = metadata;
  if (!sha256 || !SHA256_HEX.test(sha256)) return 'Upload-Metadata: sha256 must be 64 lowercase hex digits';
  if (!variant || !(UPLOAD_VARIANTS as readonly string[]).includes(variant)) return 'Upload-Metadata: variant must be web or original';
  if (!fileSha256 || !SHA256_HEX.test(fileSha256)) return 'Upload-Metadata: fileSha256 must be 64 lowercase hex digits';
  if (variant === 'original' && fileSha256 !== sha256) return 'Upload-Metadata: an original is named by its own sha256';
  return null;
}
