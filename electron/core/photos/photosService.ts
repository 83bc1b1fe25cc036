import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type Database from 'better-sqlite3';
import {
  PHOTO_EXTENSIONS,
  PHOTO_MEGABYTE,
  type AttachedPhoto,
  type PhotoMime,
  type PhotoVariant,
} from '../../../shared/domain/photo';
import type { PhotosService } from '../../../shared/rpc/contract';
import { RpcError } from '../../../shared/rpc/protocol';
import { loadSettings } from '../settings/settingsService';
import { removeTempFiles, writeFileAtomic } from './atomicFile';
import { originalPhotoPath, PHOTOS_DIR, RENDITION_FORMAT, RENDITIONS_DIR, renditionPath } from './photoFiles';
import { readPhotoPrefill } from './photoMetadata';
import { PhotoRows, type PhotoRow } from './photoRows';
import { imageHeader, makeThumbRendition, makeWebRendition, UndecodablePhotoError } from './renditions';
import { sniffPhotoMime } from './sniffPhoto';

type RenditionVariant = Exclude<PhotoVariant, 'original'>;

/**
 * The seam through which photos this profile lacks are fetched (from the newsroom server, by
 * the uploader of issue 8): the bytes of that variant, or null when they cannot be had now.
 * Core checks what comes back (an original must hash to its sha256) and caches it.
 */
export type FetchMissingPhoto = (request: { sha256: string; variant: PhotoVariant }) => Promise<Uint8Array | null>;

/** Without a server to ask: a photo this profile does not hold is unavailable. */
export const refuseMissingPhoto: FetchMissingPhoto = async () => null;

export interface PhotosServiceOptions {
  db: Database.Database;
  profileDir: string;
  now?: () => number;
  /** The size limit of one photo in bytes, asked at each attach (default: the `maxPhotoMegabytes` setting). */
  maxPhotoBytes?: () => number;
  /** Where missing photos come from (default: nowhere, `refuseMissingPhoto`). */
  fetchMissing?: FetchMissingPhoto;
  /** Upload progress (the uploader's); until it exists, the call refuses clearly. */
  uploads?: PhotosService['uploads'];
  /** A photo's original was stored (new or repaired): the uploader's cue. */
  onPhotoStored?: (photo: AttachedPhoto) => void;
  /** Failures that do not fail the call (a rendition cache that cannot be written). */
  onInternalError?: (method: string, error: unknown) => void;
}

/**
 * The local photo store (issue 8): originals content addressed in `photos/`, their renditions
 * made once and cached in `photos/renditions/` (photoFiles.ts), one `photos` row per original.
 */
export function createPhotosService(options: PhotosServiceOptions): PhotosService {
  const { db, profileDir } = options;
  const now = options.now ?? Date.now;
  const maxPhotoBytes = options.maxPhotoBytes ?? (() => loadSettings(db).maxPhotoMegabytes * PHOTO_MEGABYTE);
  const fetchMissing = options.fetchMissing ?? refuseMissingPhoto;
  const onInternalError = options.onInternalError ?? ((method, error) => console.error(`[core] ${method} failed:`, error));
  const rows = new PhotoRows(db);

  // A write killed mid-way (crash, power cut) leaves only a temporary file: the final names
  // only ever hold complete files. This core holds the profile alone, so none is in use now.
  mkdirSync(join(profileDir, RENDITIONS_DIR), { recursive: true });
  removeTempFiles(join(profileDir, PHOTOS_DIR));
  removeTempFiles(join(profileDir, RENDITIONS_DIR));

  // One job per photo (attach) and per rendition at a time: thirty thumbnails asked for at
  // once by a story opening, or the same photo dropped twice, do the work once.
  const attaching = new Map<string, Promise<AttachedPhoto>>();
  const rendering = new Map<string, Promise<Buffer>>();

  async function attachStored(sha256: string, name: string, mime: PhotoMime, original: Buffer): Promise<AttachedPhoto> {
    const existing = rows.get(sha256);
    if (existing?.hasOriginal && (await localOriginal(existing)).state === 'intact') {
      return { ...attachedFrom(existing), alreadyStored: true };
    }

    // Everything that can refuse the file runs before anything is written.
    let decoded;
    try {
      decoded = await makeWebRendition(original);
    } catch (error) {
      if (!(error instanceof UndecodablePhotoError)) throw error;
      throw new RpcError(
        'photo_invalid',
        mime === 'image/heic'
          ? `${name} is a HEIC photo, which this computer cannot decode; export it as JPEG and attach that.`
          : `${name} is damaged or incomplete and cannot be read as a ${KIND_NAMES[mime]} photo (${error.message}). Nothing was attached.`,
      );
    }
    const prefill = await readPhotoPrefill(original, mime);

    const row: Omit<PhotoRow, 'hasOriginal'> = {
      sha256,
      mime,
      ext: PHOTO_EXTENSIONS[mime],
      byteSize: original.byteLength,
      width: decoded.width,
      height: decoded.height,
      prefill,
      createdAt: existing?.createdAt ?? now(),
    };
    // The file first, then the row: a row never names bytes that are not on disk.
    await writeFileAtomic(originalPhotoPath(profileDir, sha256, row.ext), original);
    rows.putStored(row);

    // Renditions are a cache (rebuilt on demand): failing to write one does not undo the attach.
    const thumb = await makeThumbRendition(decoded.web).catch((error: unknown) => {
      onInternalError('photos.attach (thumb)', error);
      return null;
    });
    await cacheRendition(sha256, 'web', decoded.web);
    if (thumb) await cacheRendition(sha256, 'thumb', thumb);

    const attached: AttachedPhoto = { ...attachedFrom({ ...row, hasOriginal: true }), alreadyStored: false };
    options.onPhotoStored?.(attached);
    return attached;
  }

  async function cacheRendition(sha256: string, variant: RenditionVariant, bytes: Buffer): Promise<void> {
    try {
      await writeFileAtomic(renditionPath(profileDir, sha256, variant), bytes);
    } catch (error) {
      onInternalError(`photos.rendition (cache ${variant})`, error);
    }
  }

  /** The stored original, checked against its sha256 (bytes changed on disk must never pass for the photo). */
  async function localOriginal(row: PhotoRow | null): Promise<{ state: 'intact'; bytes: Buffer } | { state: 'missing' | 'damaged' }> {
    if (!row?.hasOriginal) return { state: 'missing' };
    const bytes = await readIfPresent(originalPhotoPath(profileDir, row.sha256, row.ext));
    if (!bytes) return { state: 'missing' };
    return sha256Of(bytes) === row.sha256 ? { state: 'intact', bytes } : { state: 'damaged' };
  }

  /** The original's bytes: local, else fetched (and stored, repairing a damaged file). */
  async function originalBytes(sha256: string): Promise<{ mime: PhotoMime; bytes: Buffer }> {
    const row = rows.get(sha256);
    const local = await localOriginal(row);
    if (local.state === 'intact') return { mime: row!.mime, bytes: local.bytes };

    const fetched = await fetchMissing({ sha256, variant: 'original' });
    if (fetched && sha256Of(fetched) === sha256) {
      const bytes = toBuffer(fetched);
      const mime = sniffPhotoMime(bytes);
      if (mime) {
        const meta = await imageHeader(bytes).catch(() => null);
        if (meta) {
          const ext = PHOTO_EXTENSIONS[mime];
          await writeFileAtomic(originalPhotoPath(profileDir, sha256, ext), bytes);
          rows.putStored({
            sha256,
            mime,
            ext,
            byteSize: bytes.byteLength,
            width: meta.autoOrient.width,
            height: meta.autoOrient.height,
            prefill: row?.prefill ?? (await readPhotoPrefill(bytes, mime)),
            createdAt: row?.createdAt ?? now(),
          });
          return { mime, bytes };
        }
      }
    }
    if (local.state === 'damaged') {
      throw new RpcError(
        'photo_unavailable',
        `The stored file of photo ${short(sha256)} is damaged (its bytes no longer match the photo); it is left as it is. Attach the photo again to repair it.`,
      );
    }
    throw new RpcError('photo_unavailable', `Photo ${short(sha256)} is not on this computer and could not be fetched now.`);
  }

  /** A rendition: cached, else made from what this profile holds, else fetched, else made from a fetched original. */
  async function renditionBytes(sha256: string, variant: RenditionVariant): Promise<Buffer> {
    const cached = await readIfPresent(renditionPath(profileDir, sha256, variant));
    if (cached && cached.byteLength > 0) return cached;

    if (variant === 'thumb') {
      const web = await readIfPresent(renditionPath(profileDir, sha256, 'web'));
      if (web && web.byteLength > 0) return thumbFrom(sha256, web);
    }
    const row = rows.get(sha256);
    const local = await localOriginal(row);
    if (local.state === 'intact') {
      const web = await webFrom(sha256, local.bytes);
      return variant === 'web' ? web : thumbFrom(sha256, web);
    }

    if (local.state === 'missing') {
      const fetched = await fetchMissing({ sha256, variant });
      if (fetched && (await imageHeader(fetched).then(() => true, () => false))) {
        const bytes = toBuffer(fetched);
        await cacheRendition(sha256, variant, bytes);
        return bytes;
      }
    }
    // The thumbnail from the web rendition (fetched: smaller than the original), the web one from the original.
    if (variant === 'thumb') return thumbFrom(sha256, await renditionOnce(sha256, 'web'));
    const original = await originalBytes(sha256);
    return webFrom(sha256, original.bytes);
  }

  async function webFrom(sha256: string, original: Buffer): Promise<Buffer> {
    let web: Buffer;
    try {
      ({ web } = await makeWebRendition(original));
    } catch (error) {
      if (!(error instanceof UndecodablePhotoError)) throw error;
      throw new RpcError('photo_invalid', `Photo ${short(sha256)} cannot be decoded on this computer (${error.message}).`);
    }
    await cacheRendition(sha256, 'web', web);
    return web;
  }

  async function thumbFrom(sha256: string, web: Buffer): Promise<Buffer> {
    let thumb: Buffer;
    try {
      thumb = await makeThumbRendition(web);
    } catch (error) {
      if (!(error instanceof UndecodablePhotoError)) throw error;
      throw new RpcError('photo_invalid', `The web rendition of photo ${short(sha256)} cannot be decoded (${error.message}).`);
    }
    await cacheRendition(sha256, 'thumb', thumb);
    return thumb;
  }

  function renditionOnce(sha256: string, variant: RenditionVariant): Promise<Buffer> {
    const key = `${sha256}.${variant}`;
    let job = rendering.get(key);
    if (!job) {
      job = renditionBytes(sha256, variant).finally(() => rendering.delete(key));
      rendering.set(key, job);
    }
    return job;
  }

  return {
    async attach({ fileName, bytes }) {
      const name = displayName(fileName);
      if (bytes.byteLength === 0) throw new RpcError('photo_invalid', `${name} is empty (0 bytes). Nothing was attached.`);
      const limit = maxPhotoBytes();
      if (bytes.byteLength > limit) {
        throw new RpcError(
          'photo_too_large',
          `${name} is ${megabytes(bytes.byteLength)} MB; a photo may be at most ${megabytes(limit)} MB. Nothing was attached.`,
        );
      }
      const mime = sniffPhotoMime(bytes);
      if (!mime) throw new RpcError('photo_invalid', `${name} is not a JPEG, PNG, WebP or HEIC photo. Nothing was attached.`);

      const original = toBuffer(bytes);
      const sha256 = sha256Of(original);
      const running = attaching.get(sha256);
      if (running) {
        // The same bytes are being stored right now: this call stores nothing more.
        const photo = await running;
        return { ...photo, alreadyStored: true };
      }
      const job = attachStored(sha256, name, mime, original).finally(() => attaching.delete(sha256));
      attaching.set(sha256, job);
      return job;
    },

    async rendition({ sha256, variant }) {
      if (variant === 'original') {
        const { mime, bytes } = await originalBytes(sha256);
        return { sha256, mime, bytes: plainBytes(bytes) };
      }
      const bytes = await renditionOnce(sha256, variant);
      return { sha256, mime: RENDITION_FORMAT[variant].mime as 'image/webp' | 'image/jpeg', bytes: plainBytes(bytes) };
    },

    uploads: options.uploads ?? (() => Promise.reject(new RpcError('unknown_method', 'photo uploads are not available in this build yet'))),
  };
}

const KIND_NAMES: Record<PhotoMime, string> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WebP', 'image/heic': 'HEIC' };

function attachedFrom(row: PhotoRow): Omit<AttachedPhoto, 'alreadyStored'> {
  return { sha256: row.sha256, mime: row.mime, byteSize: row.byteSize, width: row.width, height: row.height, prefill: row.prefill };
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The same memory seen as a Buffer (no copy): sharp and exifr want Buffers. */
function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The same memory as a plain Uint8Array. An answer must never carry a Buffer: JSON.stringify
 * calls Buffer's toJSON before the RPC framing's replacer sees it, so the bytes would cross
 * web mode's socket as `{type: 'Buffer', data: [...]}` instead of binary.
 */
function plainBytes(bytes: Buffer): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function readIfPresent(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The file's own name, quoted, as the user knows it (a dropped file may come with its path), printable and short. */
function displayName(fileName: string): string {
  const name = basename(fileName.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!name) return 'The file';
  return `"${name.length > 80 ? `${name.slice(0, 77)}…` : name}"`;
}

/** One decimal, rounded up: a file just over the limit never reads as exactly the limit. */
function megabytes(bytes: number): string {
  return String(Math.ceil((bytes / PHOTO_MEGABYTE) * 10) / 10);
}

function short(sha256: string): string {
  return sha256.slice(0, 12);
}
