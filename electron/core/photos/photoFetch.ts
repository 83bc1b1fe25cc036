import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PHOTO_EXTENSIONS, type PhotoMime, type PhotoVariant } from '../../../shared/domain/photo';
import { photoFilePath } from '../../../shared/server-api/photos';
import type { SessionSource } from '../sync/session';
import { originalPhotoPath, renditionPath } from './photoFiles';

export interface PhotoFetcherOptions {
  profileDir: string;
  sessions: SessionSource;
  /** Longest wait for the whole answer (default 60 s, like a sync request). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** A file came from the server and is cached now (core tells windows: the photo's state moved). */
  onFetched?: (request: { sha256: string; variant: PhotoVariant }) => void;
}

export interface FetchedPhoto {
  bytes: Uint8Array;
  mime: PhotoMime;
  /** Where it was cached in the profile (photoFiles.ts). */
  path: string;
}

/**
 * Photos this profile lacks (a redaktur opening a story a reporter wrote elsewhere), read from
 * the newsroom server by sha256 with the session's bearer token, checked, and cached where the
 * photo store keeps its own (photoFiles.ts): the original as `photos/<sha256>.<ext>`, the web
 * rendition under `photos/renditions/`. The photo store's `photos.rendition` calls `fetch`
 * when a file is missing locally.
 *
 * `fetch` answers null when the photo cannot be had now (no session, offline, the server
 * lacks it: the uploader has not sent it yet); a thumbnail is never on the server (the photo
 * store makes it from the web rendition).
 */
export function createPhotoFetcher(options: PhotoFetcherOptions) {
  const { profileDir, sessions } = options;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const fetchImpl = options.fetch ?? fetch;

  async function fetchAndCache(request: { sha256: string; variant: PhotoVariant }): Promise<FetchedPhoto | null> {
    const { sha256, variant } = request;
    if (variant === 'thumb') return null;
    const session = sessions.current();
    if (!session) return null;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let bytes: Uint8Array;
    let mime: PhotoMime;
    let etag: string | null;
    try {
      const response = await fetchImpl(new URL(photoFilePath(sha256, variant), session.serverUrl), {
        headers: { authorization: `Bearer ${session.token}` },
        signal: controller.signal,
      });
      if (response.status === 401) {
        sessions.reportRejected(session);
        return null;
      }
      if (response.status !== 200) return null;
      const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
      if (!(type in PHOTO_EXTENSIONS)) return null;
      mime = type as PhotoMime;
      etag = response.headers.get('etag');
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch {
      return null; // offline, reset, timed out: unavailable for now
    } finally {
      clearTimeout(timer);
    }
    // What arrived must be the file asked for: an original hashes to its own name; a
    // rendition to the hash the server recorded for it (its ETag).
    const actual = createHash('sha256').update(bytes).digest('hex');
    const expected = variant === 'original' ? sha256 : etag?.replace(/"/g, '');
    if (actual !== expected) return null;
    const path = variant === 'original' ? originalPhotoPath(profileDir, sha256, PHOTO_EXTENSIONS[mime]) : renditionPath(profileDir, sha256, 'web');
    await writeAtomically(path, bytes);
    try {
      options.onFetched?.(request);
    } catch {
      // Only a notice to windows: the cached file is what matters.
    }
    return { bytes, mime, path };
  }

  return {
    fetchAndCache,
    /** The shape of the photo store's seam for missing photos: the bytes, or null. */
    fetch: async (request: { sha256: string; variant: PhotoVariant }): Promise<Uint8Array | null> => (await fetchAndCache(request))?.bytes ?? null,
  };
}

export type PhotoFetcher = ReturnType<typeof createPhotoFetcher>;

/**
 * Written beside, flushed and renamed over: the final name only ever holds a complete file.
 * The temporary name (`.<name>.<random>.partial`) is the one the photo store clears at start.
 */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
