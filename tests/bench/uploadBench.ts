import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../electron/core/db/openDatabase';
import { originalPhotoPath } from '../../electron/core/photos/photoFiles';
import { createPhotoUploader, DEFAULT_CHUNK_BYTES, type PhotoUploaderOptions } from '../../electron/core/photos/photoUploader';
import type { ServerSession, SessionSource } from '../../electron/core/sync/session';
import { addLocalPhoto, jpegLike } from '../../electron/core/testing/photoUploads';
import type { LoginResponse } from '../../shared/server-api/schemas';
import { photoFilePath } from '../../shared/server-api/photos';
import type { ServerBenchContext } from './context';
import { median, round2 } from './stats';
import { startLinkProxy } from '../support/linkProxy';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';

/**
 * `upload.*` (tests/bench/README.md): core's photo uploader (tus-js-client, the SQLite URL
 * storage, the default chunk size) against the real server process (PGlite, --demo, photos
 * in its data directory), a photo at a time on a fresh profile.
 */
export const UPLOAD_IDS = [
  'upload.tus.mb_s',
  'upload.raw.mb_s',
  'upload.resent_bytes_after_cut',
  'upload.chunk_bytes',
  'upload.fieldlink3mb.s',
] as const;

const MB = 1_000_000;
const BIG_BYTES = 100 * MB;
const ROUNDS = 5;
const CUT_BYTES = 20 * MB;
const FIELD_BYTES = 3 * MB;
const FIELD_BYTES_PER_SECOND = 32_000; // 256 kbit/s
const FIELD_ONE_WAY_DELAY_MS = 300; // 600 ms RTT

async function login(serverUrl: string, username: string): Promise<ServerSession> {
  const response = await fetch(new URL('/auth/login', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'redaksi123' }),
  });
  if (!response.ok) throw new Error(`login ${username}: HTTP ${response.status}`);
  const body = (await response.json()) as LoginResponse;
  return { serverUrl, token: body.token, user: { id: body.user.id, username: body.user.username, displayName: body.user.displayName, role: body.user.role } };
}

/** The one session of a bench profile (never changes, never rejected). */
function fixedSession(session: ServerSession): SessionSource {
  return { current: () => session, onChange: () => () => {}, reportRejected: () => {} };
}

/** A fresh profile holding one photo of `bytes` bytes (no web rendition: one file, as the ids say), and an uploader for it. */
function profileWithPhoto(session: ServerSession, bytes: number, options: Partial<PhotoUploaderOptions> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'rr-bench-upload-'));
  const db: Database.Database = openDatabase(path.join(dir, 'core.db'));
  const photo = addLocalPhoto(db, dir, jpegLike(bytes), { web: null });
  const uploader = createPhotoUploader({ db, profileDir: dir, sessions: fixedSession(session), ...options });
  return {
    photo,
    file: originalPhotoPath(dir, photo.sha256, 'jpg'),
    uploader,
    async close() {
      await uploader.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The same file in one plain PUT to the same server (the same checks and storing at the end). */
function rawPut(session: ServerSession, sha256: string, file: string, size: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(photoFilePath(sha256, 'original'), session.serverUrl), {
      method: 'PUT',
      headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/octet-stream', 'content-length': String(size) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`PUT answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

export async function runUploadBenchmarks(ctx: ServerBenchContext): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rr-bench-upload-server-'));
  let server: ServerProcess | null = null;
  try {
    server = await startServerProcess({ dataDir, demo: true, repoRoot: ctx.paths.repoRoot, onStderr: (t) => ctx.log(`server: ${t.trim()}`) });
    const session = await login(server.url, 'penulis1');
    ctx.record('upload.chunk_bytes', DEFAULT_CHUNK_BYTES);

    if (ctx.wants('upload.tus') || ctx.wants('upload.raw')) {
      // Alternating rounds, a new random file each time (the server must store every one).
      const tus: number[] = [];
      const raw: number[] = [];
      const viaTus = async () => {
        const a = profileWithPhoto(session, BIG_BYTES);
        try {
          const t0 = performance.now();
          await a.uploader.runPass();
          const s = (performance.now() - t0) / 1000;
          const status = a.uploader.statuses([a.photo.sha256])[0]!;
          if (status.state !== 'done') throw new Error(`tus upload ended ${status.state}: ${status.error}`);
          tus.push(BIG_BYTES / MB / s);
        } finally {
          await a.close();
        }
      };
      const viaPut = async () => {
        const b = profileWithPhoto(session, BIG_BYTES);
        try {
          const t0 = performance.now();
          await rawPut(session, b.photo.sha256, b.file, BIG_BYTES);
          raw.push(BIG_BYTES / MB / ((performance.now() - t0) / 1000));
        } finally {
          await b.close();
        }
      };
      for (let round = 0; round < ROUNDS; round++) {
        // Who goes first alternates too: the machine's load drifts.
        if (round % 2 === 0) {
          await viaTus();
          await viaPut();
        } else {
          await viaPut();
          await viaTus();
        }
        ctx.log(`upload: round ${round + 1}: tus ${round2(tus[round]!)} MB/s, raw PUT ${round2(raw[round]!)} MB/s`);
      }
      ctx.record('upload.tus.mb_s', round2(median(tus)));
      ctx.record('upload.raw.mb_s', round2(median(raw)));
      ctx.log(`upload: tus/raw = ${round2(median(tus) / median(raw))} (medians of ${ROUNDS}; chunk ${DEFAULT_CHUNK_BYTES} B, 100 MB = ${BIG_BYTES} B)`);
    }

    if (ctx.wants('upload.resent_bytes_after_cut')) {
      const link = await startLinkProxy({ targetPort: server.port });
      const p = profileWithPhoto({ ...session, serverUrl: link.url }, CUT_BYTES);
      try {
        link.cutAfter({ afterBytes: Math.floor(0.4 * CUT_BYTES), direction: 'up' });
        await p.uploader.runPass();
        if (p.uploader.statuses([p.photo.sha256])[0]!.state !== 'done') throw new Error('the upload after the cut did not complete');
        if (link.stats().cuts !== 1) throw new Error(`expected one cut, saw ${link.stats().cuts}`);
        // Everything the server received beyond the file (request headers included: an upper bound).
        const resent = link.stats().bytesUp - CUT_BYTES;
        ctx.record('upload.resent_bytes_after_cut', resent);
        ctx.log(`upload: ${CUT_BYTES} B cut at 40 % on loopback: the server received ${link.stats().bytesUp} B over ${link.stats().accepted} connections`);
      } finally {
        await p.close();
        await link.close();
      }
    }

    if (ctx.wants('upload.fieldlink3mb')) {
      const link = await startLinkProxy({ targetPort: server.port, bytesPerSecond: FIELD_BYTES_PER_SECOND, delayMs: FIELD_ONE_WAY_DELAY_MS });
      const p = profileWithPhoto({ ...session, serverUrl: link.url }, FIELD_BYTES);
      try {
        link.cutAfter({ afterBytes: Math.floor(0.5 * FIELD_BYTES), direction: 'up' });
        const t0 = performance.now();
        await p.uploader.runPass();
        const s = (performance.now() - t0) / 1000;
        if (p.uploader.statuses([p.photo.sha256])[0]!.state !== 'done') throw new Error('the field-link upload did not complete');
        if (link.stats().cuts !== 1) throw new Error(`expected one cut, saw ${link.stats().cuts}`);
        ctx.record('upload.fieldlink3mb.s', round2(s));
        ctx.log(
          `upload: ${FIELD_BYTES} B over ${FIELD_BYTES_PER_SECOND} B/s, ${2 * FIELD_ONE_WAY_DELAY_MS} ms RTT, cut at half: ${round2(s)} s ` +
            `(the link's limit ${round2(FIELD_BYTES / FIELD_BYTES_PER_SECOND)} s; the server received ${link.stats().bytesUp} B over ${link.stats().accepted} connections)`,
        );
      } finally {
        await p.close();
        await link.close();
      }
    }
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
