import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ClientRequest } from 'node:http';
import type Database from 'better-sqlite3';
import * as tus from 'tus-js-client';
import type { PhotoUploadState, PhotoUploadStatus } from '../../../shared/domain/photo';
import {
  PHOTO_UPLOADS_PATH,
  photoFilePath,
  STATUS_CHECKSUM_MISMATCH,
  type PhotoUploadMetadata,
  type UploadVariant,
} from '../../../shared/server-api/photos';
import type { ServerSession, SessionSource } from '../sync/session';
import { originalPhotoPath, renditionPath } from './photoFiles';
import { PhotoUploadUrlStorage } from './uploadUrlStorage';

/**
 * One PATCH carries this much at most: in practice every photo goes in one PATCH (the
 * server takes files up to 256 MiB by default). Each PATCH costs a round trip and a new
 * request on both ends (measured on loopback: 1 MiB chunks reach about a third of a plain
 * PUT's speed, 8 MiB about 60 %, one PATCH for the whole file about 94 %), and a small chunk
 * buys nothing on a cut link: the server keeps every byte it received and the next PATCH
 * starts at its offset (HEAD), whatever the chunk size. The file is read from disk as it is
 * sent (never held in memory), so a large chunk costs no memory either.
 */
export const DEFAULT_CHUNK_BYTES = 256 * 1024 * 1024;
/** tus-js-client retries a failed request after these delays before the pass gives up (the next sync pass tries again). */
export const DEFAULT_RETRY_DELAYS_MS = [0, 1_000, 3_000, 5_000, 10_000];
/** A request that moves no byte for this long is abandoned and resumed (a stalled link; tus-js-client has no deadline of its own). */
export const DEFAULT_STALL_MS = 60_000;
/** A file the server refused this many times (wrong sha256 arriving, not an image) waits for a restart of the app. */
const MAX_REFUSALS = 3;

export interface PhotoUploaderOptions {
  db: Database.Database;
  profileDir: string;
  sessions: SessionSource;
  chunkBytes?: number;
  retryDelaysMs?: number[];
  stallMs?: number;
  now?: () => number;
  /**
   * The web-size rendition's file for a photo, or null when there is none yet (then only the
   * original goes now; the rendition goes on a later pass). Default: the cached rendition at
   * its photoFiles.ts path, as the photo store writes it at attach time.
   */
  webRenditionFile?: (sha256: string) => Promise<string | null>;
  /** A photo's upload moved (progress, done, error): core broadcasts `photoUploadChanged`. */
  onChange?: (status: PhotoUploadStatus) => void;
  /** What is left to send changed: the sync status shows it. */
  onTotalsChanged?: () => void;
  onInternalError?: (what: string, error: unknown) => void;
}

export interface PhotoUploadTotals {
  /** Photos of this profile not yet wholly on the server. */
  photosPending: number;
  /** Bytes of them still to send. */
  photoBytesPending: number;
}

export interface PhotoUploader {
  /** Starts a pass (after a sync exchange: text first) unless one runs; it uploads until nothing is left or the link fails. */
  kick(): void;
  /** Runs a pass (or waits for the one running, then runs another); resolves when it ends. */
  runPass(): Promise<void>;
  /** `photos.uploads`. */
  statuses(sha256s: readonly string[]): PhotoUploadStatus[];
  totals(): PhotoUploadTotals;
  /** Aborts the upload under way (its URL and the server's bytes stay for the next start). */
  stop(): Promise<void>;
}

interface UploadRow {
  sha256: string;
  variant: UploadVariant;
  state: PhotoUploadState;
  upload_url: string | null;
  bytes_sent: number;
  bytes_total: number;
  error: string | null;
  attempts: number;
}

interface PhotoRow {
  sha256: string;
  ext: string;
  byte_size: number;
}

/** Why a pass stops: the link or the session failed, so the other files wait too. */
class PassStopped extends Error {}

/**
 * Sends this profile's photos to the newsroom server with tus (DESIGN §5): per photo the web
 * rendition first, then the original; every web rendition before any original, so the
 * redaktur can work with every story soon on a slow link. State per file in `photo_uploads`
 * (upload URL, acknowledged offset, attempts), so a restart resumes where the server is.
 */
export function createPhotoUploader(options: PhotoUploaderOptions): PhotoUploader {
  const { db, profileDir, sessions } = options;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  const now = options.now ?? Date.now;
  const onChange = options.onChange ?? (() => {});
  const onTotalsChanged = options.onTotalsChanged ?? (() => {});
  const onInternalError = options.onInternalError ?? ((what, error) => console.error(`[core] ${what} failed:`, error));
  const webRenditionFile =
    options.webRenditionFile ??
    (async (sha256: string) => {
      const path = renditionPath(profileDir, sha256, 'web');
      return existsSync(path) ? path : null;
    });

  const stmts = {
    localPhotos: db.prepare('SELECT sha256, ext, byte_size FROM photos WHERE has_original = 1 ORDER BY created_at, sha256'),
    photo: db.prepare('SELECT sha256, ext, byte_size FROM photos WHERE sha256 = ? AND has_original = 1'),
    ensure: db.prepare(
      `INSERT INTO photo_uploads (sha256, variant, state, bytes_total, updated_at) VALUES (?, ?, 'pending', ?, ?)
       ON CONFLICT (sha256, variant) DO NOTHING`,
    ),
    row: db.prepare('SELECT sha256, variant, state, upload_url, bytes_sent, bytes_total, error, attempts FROM photo_uploads WHERE sha256 = ? AND variant = ?'),
    rowsOf: db.prepare('SELECT sha256, variant, state, upload_url, bytes_sent, bytes_total, error, attempts FROM photo_uploads WHERE sha256 = ?'),
    todo: db.prepare(
      `SELECT u.sha256, u.variant, u.state, u.upload_url, u.bytes_sent, u.bytes_total, u.error, u.attempts
         FROM photo_uploads u JOIN photos p ON p.sha256 = u.sha256 AND p.has_original = 1
        WHERE u.state != 'done' AND u.attempts < ${MAX_REFUSALS}
        ORDER BY CASE u.variant WHEN 'web' THEN 0 ELSE 1 END, p.created_at, u.sha256`,
    ),
    update: db.prepare('UPDATE photo_uploads SET state = ?, bytes_sent = ?, bytes_total = ?, error = ?, updated_at = ? WHERE sha256 = ? AND variant = ?'),
    refused: db.prepare(
      "UPDATE photo_uploads SET state = 'error', bytes_sent = 0, upload_url = NULL, error = ?, attempts = attempts + 1, updated_at = ? WHERE sha256 = ? AND variant = ?",
    ),
    notYet: db.prepare(
      "UPDATE photo_uploads SET state = 'error', bytes_sent = 0, upload_url = NULL, error = ?, updated_at = ? WHERE sha256 = ? AND variant = ?",
    ),
    giveUp: db.prepare(`UPDATE photo_uploads SET attempts = ${MAX_REFUSALS} WHERE sha256 = ? AND variant = ?`),
    totals: db.prepare(
      `SELECT COUNT(*) AS photos,
              COALESCE(SUM(p.byte_size - COALESCE(o.bytes_sent, 0)), 0)
                + (SELECT COALESCE(SUM(w.bytes_total - w.bytes_sent), 0) FROM photo_uploads w
                     JOIN photos wp ON wp.sha256 = w.sha256 AND wp.has_original = 1
                    WHERE w.variant = 'web' AND w.state != 'done') AS bytes
         FROM photos p LEFT JOIN photo_uploads o ON o.sha256 = p.sha256 AND o.variant = 'original'
        WHERE p.has_original = 1 AND (o.state IS NULL OR o.state != 'done')`,
    ),
  };

  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  /** The upload on the wire and how to end it (tus-js-client reports nothing once aborted). */
  let current: { token: string; cancel(): void } | null = null;
  /** Progress of the file on the wire now (bytes sent, not yet acknowledged), shown over the stored offset. */
  let live: { sha256: string; variant: UploadVariant; bytesSent: number } | null = null;
  let lastTotals = '';

  // Logged out or another session: the upload under way stops (its URL stays for that user's next pass).
  const offSession = sessions.onChange((session) => {
    if (current && session?.token !== current.token) current.cancel();
  });

  const urlStorage = new PhotoUploadUrlStorage(db, () => sessions.current()?.serverUrl ?? null, now);

  function publishTotals(): void {
    const t = totals();
    const key = `${t.photosPending}/${t.photoBytesPending}`;
    if (key === lastTotals) return;
    lastTotals = key;
    onTotalsChanged();
  }

  function totals(): PhotoUploadTotals {
    if (stopped) return { photosPending: 0, photoBytesPending: 0 };
    const row = stmts.totals.get() as { photos: number; bytes: number };
    const inFlight = live ? live.bytesSent - ((stmts.row.get(live.sha256, live.variant) as UploadRow | undefined)?.bytes_sent ?? 0) : 0;
    return { photosPending: row.photos, photoBytesPending: Math.max(0, row.bytes - Math.max(0, inFlight)) };
  }

  function statusOf(sha256: string): PhotoUploadStatus {
    const rows = stmts.rowsOf.all(sha256) as UploadRow[];
    const photo = stmts.photo.get(sha256) as PhotoRow | undefined;
    const original = rows.find((r) => r.variant === 'original');
    if (rows.length === 0) {
      // Not this profile's to send (a redaktur's copy of a reporter's photo): once its web
      // rendition came from the server (photoFetch.ts), the photo is up there, and saying
      // "waiting to be uploaded" forever would be wrong.
      const fromServer = !photo && existsSync(renditionPath(profileDir, sha256, 'web'));
      return { sha256, state: fromServer ? 'done' : 'pending', bytesSent: 0, bytesTotal: photo?.byte_size ?? 0, error: null };
    }
    let bytesSent = 0;
    let bytesTotal = original ? 0 : (photo?.byte_size ?? 0);
    for (const r of rows) {
      bytesTotal += r.bytes_total;
      bytesSent += live && live.sha256 === sha256 && live.variant === r.variant ? Math.max(r.bytes_sent, live.bytesSent) : r.state === 'done' ? r.bytes_total : r.bytes_sent;
    }
    // A web rendition the store has not made (yet) does not hold the photo back from `done`.
    const waiting = rows.filter((r) => !(r.variant === 'web' && r.state === 'pending' && r.bytes_total === 0));
    const states = waiting.map((r) => r.state);
    const uploading = live?.sha256 === sha256;
    const state: PhotoUploadState = uploading
      ? 'uploading'
      : original?.state === 'done' && states.every((s) => s === 'done')
        ? 'done'
        : states.includes('error')
          ? 'error'
          : 'pending';
    const error = rows.find((r) => r.error)?.error ?? null;
    return { sha256, state, bytesSent: Math.min(bytesSent, bytesTotal), bytesTotal, error };
  }

  function announce(sha256: string): void {
    if (stopped) return; // the store may be closing
    try {
      onChange(statusOf(sha256));
    } catch (error) {
      onInternalError('photos.onChange', error);
    }
    publishTotals();
  }

  function setRow(row: Pick<UploadRow, 'sha256' | 'variant'>, state: PhotoUploadState, bytesSent: number, bytesTotal: number, error: string | null): void {
    if (stopped) return; // from stop() on, the store is left alone (core closes it)
    stmts.update.run(state, bytesSent, bytesTotal, error, now(), row.sha256, row.variant);
  }

  function refuse(row: Pick<UploadRow, 'sha256' | 'variant'>, message: string, options: { final?: boolean } = {}): void {
    if (stopped) return;
    stmts.refused.run(message, now(), row.sha256, row.variant);
    if (options.final) stmts.giveUp.run(row.sha256, row.variant);
  }

  /** A row per file to send, for every photo this profile holds the original of. */
  function enqueueLocalPhotos(): void {
    const photos = stmts.localPhotos.all() as PhotoRow[];
    db.transaction(() => {
      for (const p of photos) {
        stmts.ensure.run(p.sha256, 'web', 0, now());
        stmts.ensure.run(p.sha256, 'original', p.byte_size, now());
      }
    })();
  }

  async function pass(): Promise<void> {
    const session = sessions.current();
    if (!session || stopped) return;
    enqueueLocalPhotos();
    publishTotals();
    const skipped = new Set<string>();
    for (;;) {
      if (stopped || sessions.current()?.token !== session.token) return;
      const next = (stmts.todo.all() as UploadRow[]).find((r) => !skipped.has(`${r.sha256}:${r.variant}`));
      if (!next) return;
      skipped.add(`${next.sha256}:${next.variant}`);
      try {
        await sendFile(session, next);
      } catch (error) {
        if (error instanceof PassStopped) return;
        onInternalError(`photos.upload ${next.sha256} ${next.variant}`, error);
      }
    }
  }

  async function fileFor(row: UploadRow): Promise<{ path: string; size: number; fileSha256: string } | null> {
    if (row.variant === 'original') {
      const photo = stmts.photo.get(row.sha256) as PhotoRow | undefined;
      if (!photo) return null;
      const path = originalPhotoPath(profileDir, photo.sha256, photo.ext);
      return { path, size: (await stat(path)).size, fileSha256: row.sha256 };
    }
    const path = await webRenditionFile(row.sha256);
    if (!path) return null;
    return { path, size: (await stat(path)).size, fileSha256: await hashFile(path) };
  }

  async function sendFile(session: ServerSession, row: UploadRow): Promise<void> {
    const file = await fileFor(row);
    if (!file) return; // no rendition yet: a later pass
    // Not resuming one of ours: perhaps the server has this file already (another story, another
    // reporter, or an answer lost on the way): then nothing is sent.
    let known: boolean;
    try {
      known = !row.upload_url && (await serverHas(session, row.sha256, row.variant));
    } catch (error) {
      if (error instanceof PassStopped && error.message) {
        setRow(row, row.state === 'error' ? 'error' : 'pending', row.bytes_sent, file.size, `not sent yet: ${error.message}`);
        announce(row.sha256);
      }
      throw error;
    }
    if (known) {
      setRow(row, 'done', file.size, file.size, null);
      announce(row.sha256);
      return;
    }
    setRow(row, 'uploading', row.bytes_sent, file.size, null);
    live = { sha256: row.sha256, variant: row.variant, bytesSent: row.bytes_sent };
    announce(row.sha256);
    try {
      await tusUpload(session, row, file);
      setRow(row, 'done', file.size, file.size, null);
    } catch (error) {
      if (stopped) throw new PassStopped();
      if (error instanceof PassStopped) {
        // Cancelled (logout, another session): the URL and the server's bytes stay for later.
        setRow(row, 'pending', (stmts.row.get(row.sha256, row.variant) as UploadRow).bytes_sent, file.size, null);
        throw error;
      }
      const status = (error as tus.DetailedError).originalResponse?.getStatus?.() ?? 0;
      const acked = (stmts.row.get(row.sha256, row.variant) as UploadRow).bytes_sent;
      if (status === 401) {
        setRow(row, 'pending', acked, file.size, null);
        sessions.reportRejected(session);
        throw new PassStopped();
      }
      if (status === 403) {
        // Not these bytes but this user's right to send them (a rendition before the story that
        // names the photo has synced, or before its original is up): not a refusal that counts
        // towards giving up. The next pass (after the next sync exchange) asks again, once.
        if (!stopped) stmts.notYet.run(`the server does not take this file yet: ${serverMessage(error) ?? 'HTTP 403'}`, now(), row.sha256, row.variant);
        return;
      }
      if (status >= 400 && status < 500 && status !== 409 && status !== 423) {
        // Refused for these bytes (sha256 mismatch, not an image, too large): the server deleted
        // the upload; the file starts again from zero next time, a few times at most.
        const why = serverMessage(error) ?? (status === STATUS_CHECKSUM_MISMATCH ? 'the server received other bytes than were sent' : `HTTP ${status}`);
        refuse(row, `the server refused the file: ${why}`);
        // Bytes damaged on the way, or a local copy that no longer is the photo it is named
        // after (a damaged disk)? Only the latter is hashed here, after a refusal, so a normal
        // upload never reads the file twice. A damaged copy is not sent again.
        if (status === STATUS_CHECKSUM_MISMATCH && row.variant === 'original' && (await hashFile(file.path)) !== row.sha256) {
          refuse(row, 'the local copy of this photo is damaged: attach it again', { final: true });
        }
        return;
      }
      // The link (or the server) failed: the URL and the server's bytes stay; the next pass resumes.
      setRow(row, 'pending', acked, file.size, `not sent yet: ${error instanceof Error ? error.message : String(error)}`);
      throw new PassStopped();
    } finally {
      live = null;
      announce(row.sha256);
    }
  }

  async function serverHas(session: ServerSession, sha256: string, variant: UploadVariant): Promise<boolean> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), stallMs);
    try {
      const response = await fetch(new URL(photoFilePath(sha256, variant), session.serverUrl), {
        method: 'HEAD',
        headers: { authorization: `Bearer ${session.token}` },
        signal: controller.signal,
      });
      if (response.status === 401) {
        sessions.reportRejected(session);
        throw new PassStopped();
      }
      return response.status === 200;
    } catch (error) {
      if (error instanceof PassStopped) throw error;
      throw new PassStopped(`the server cannot be reached: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  function tusUpload(session: ServerSession, row: UploadRow, file: { path: string; size: number; fileSha256: string }): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let lastWrite = 0;
      let cancelled = false;
      const metadata: PhotoUploadMetadata = { sha256: row.sha256, variant: row.variant, fileSha256: file.fileSha256 };
      const upload = new tus.Upload(createReadStream(file.path), {
        endpoint: new URL(PHOTO_UPLOADS_PATH, session.serverUrl).toString(),
        uploadSize: file.size,
        chunkSize: chunkBytes,
        metadata: { ...metadata },
        headers: { authorization: `Bearer ${session.token}` },
        retryDelays,
        urlStorage,
        fingerprint: async () => PhotoUploadUrlStorage.fingerprint(row.sha256, row.variant),
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        httpStack: new StallAwareHttpStack(stallMs),
        onProgress: (bytesSent) => {
          if (!live) return;
          live.bytesSent = bytesSent;
          // Progress events at most a few times a second; the stored offset only when acknowledged.
          const t = now();
          if (t - lastWrite >= 250) {
            lastWrite = t;
            announce(row.sha256);
          }
        },
        onChunkComplete: (_chunk, accepted) => {
          setRow(row, 'uploading', accepted, file.size, null);
        },
        onShouldRetry: (error) => {
          if (stopped) return false;
          const status = error.originalResponse?.getStatus() ?? 0;
          return status === 0 || status >= 500 || status === 409 || status === 423;
        },
        onSuccess: () => resolve(),
        onError: (error) => reject(error),
      });
      current = {
        token: session.token,
        cancel: () => {
          cancelled = true;
          void upload.abort(false).catch(() => undefined);
          reject(new PassStopped());
        },
      };
      upload
        .findPreviousUploads()
        .then((previous) => {
          if (stopped || cancelled) return reject(new PassStopped());
          if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
          upload.start();
        })
        .catch(reject);
    }).finally(() => {
      current = null;
    });
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        do {
          again = false;
          try {
            await pass();
          } catch (error) {
            onInternalError('photos.upload', error);
          }
        } while (again && !stopped);
      } finally {
        running = null;
      }
    })();
  }

  return {
    kick,
    async runPass() {
      if (running) {
        again = true;
        await running;
      }
      if (stopped) return;
      kick();
      await running;
    },
    statuses: (sha256s) => sha256s.map(statusOf),
    totals,
    async stop() {
      stopped = true;
      offSession();
      current?.cancel();
      await running;
    },
  };
}

function serverMessage(error: unknown): string | null {
  try {
    const body = (error as tus.DetailedError).originalResponse?.getBody();
    const parsed = body ? (JSON.parse(body) as { error?: { message?: string } }) : null;
    return parsed?.error?.message ?? null;
  } catch {
    return null;
  }
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * tus-js-client's Node HTTP stack with a deadline on silence: a request whose socket moves no
 * byte for `stallMs` is destroyed, which tus-js-client treats as a failed request (retry,
 * resume from the server's offset). A stalled link would otherwise hold the upload forever.
 */
class StallAwareHttpStack extends tus.DefaultHttpStack {
  constructor(private readonly stallMs: number) {
    super({});
  }

  override createRequest(method: string, url: string): tus.HttpRequest {
    const request = super.createRequest(method, url);
    const send = request.send.bind(request);
    request.send = (body) => {
      const sending = send(body);
      const raw = request.getUnderlyingObject() as ClientRequest | null;
      raw?.setTimeout(this.stallMs, () => raw.destroy(new Error(`no byte moved for ${this.stallMs} ms`)));
      return sending;
    };
    return request;
  }
}
