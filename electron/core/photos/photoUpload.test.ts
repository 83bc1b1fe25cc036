import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { buildSync } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PhotoUploadStatus } from '../../../shared/domain/photo';
import { startLinkProxy, type LinkProxy } from '../../../tests/support/linkProxy';
import { openDatabase } from '../db/openDatabase';
import type { ServerSession } from '../sync/session';
import { addLocalPhoto, jpegLike, sha256Of } from '../testing/photoUploads';
import { loginSession, ManualSessionSource, pushStoryWithPhoto, startNewsroomServer, type NewsroomServer } from '../testing/syncServer';
import { tempProfile } from '../testing/tempProfile';
import { createPhotoFetcher } from './photoFetch';
import { originalPhotoPath, renditionPath } from './photoFiles';
import { createPhotoUploader, DEFAULT_RETRY_DELAYS_MS, type PhotoUploader, type PhotoUploaderOptions } from './photoUploader';

/**
 * The uploader against a real newsroom server process, through a TCP proxy that cuts, throttles
 * or corrupts the link (the only fakes: network faults). Bytes are counted where they reach the
 * server, so "sent again" means bytes the server received twice.
 */

let server: NewsroomServer;
let penulis: ServerSession;
let penulis2: ServerSession;
let buildDir: string;
let childScript: string;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  server = await startNewsroomServer();
  penulis = await loginSession(server.url, 'penulis1');
  penulis2 = await loginSession(server.url, 'penulis2');
  buildDir = mkdtempSync(join(tmpdir(), 'rr-photo-child-'));
  childScript = join(buildDir, 'photoUploadChild.cjs');
  buildSync({
    entryPoints: [resolve(__dirname, '../testing/photoUploadChild.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: childScript,
    external: ['better-sqlite3'],
    logLevel: 'silent',
  });
}, 120_000);

beforeEach(() => {
  uploadsBefore = new Set();
  uploadsBefore = new Set(uploadsInProgressOnServer());
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await server?.stop();
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

const MiB = 1024 * 1024;
/** Small chunks in these tests, so "at most one chunk sent again" says something. */
const TEST_CHUNK = 1 * MiB;

interface Profile {
  dir: string;
  db: Database.Database;
  uploader: PhotoUploader;
  events: PhotoUploadStatus[];
  reopen(session: ServerSession, options?: Partial<PhotoUploaderOptions>): Promise<void>;
}

/**
 * A link of 8 MiB/s unless told otherwise: fast enough, and the server keeps up with it, so
 * what a cut loses is what was in flight on the link, not megabytes a loaded test machine left
 * unread in the server's socket buffer (a reset discards those, on any TCP stack).
 */
async function proxy(options: { bytesPerSecond?: number | null } = {}): Promise<LinkProxy> {
  const link = await startLinkProxy({ targetPort: Number(new URL(server.url).port), bytesPerSecond: options.bytesPerSecond === undefined ? 8 * MiB : options.bytesPerSecond });
  cleanups.push(() => link.close());
  return link;
}

const via = (session: ServerSession, url: string): ServerSession => ({ ...session, serverUrl: url });

function openProfile(session: ServerSession, options: Partial<PhotoUploaderOptions> = {}): Profile {
  const profile = tempProfile('rr-photo-up-');
  const events: PhotoUploadStatus[] = [];
  const make = (db: Database.Database, s: ServerSession, extra: Partial<PhotoUploaderOptions>) =>
    createPhotoUploader({ db, profileDir: profile.dir, sessions: new ManualSessionSource(s), chunkBytes: TEST_CHUNK, retryDelaysMs: [0, 200, 500], onChange: (e) => events.push(e), ...options, ...extra });
  const db = openDatabase(join(profile.dir, 'core.db'));
  const p: Profile = {
    dir: profile.dir,
    db,
    uploader: make(db, session, {}),
    events,
    async reopen(s, extra = {}) {
      await p.uploader.stop();
      p.db.close();
      p.db = openDatabase(join(profile.dir, 'core.db'));
      p.uploader = make(p.db, s, extra);
    },
  };
  cleanups.push(async () => {
    await p.uploader.stop();
    p.db.close();
    profile.remove();
  });
  return p;
}

const storedOnServer = (sha256: string, variant: 'web' | 'original') => join(server.dataDir, 'photos', 'files', sha256.slice(0, 2), `${sha256}.${variant}`);
/** Uploads begun on the server and not finished (another test's leftovers excluded). */
let uploadsBefore = new Set<string>();
const uploadsInProgressOnServer = () => {
  const dir = join(server.dataDir, 'photos', 'uploads');
  return (existsSync(dir) ? readdirSync(dir) : []).filter((name) => !uploadsBefore.has(name));
};
const uploadRow = (db: Database.Database, sha256: string, variant: string) =>
  db.prepare('SELECT state, upload_url, bytes_sent, bytes_total, error, attempts FROM photo_uploads WHERE sha256 = ? AND variant = ?').get(sha256, variant) as {
    state: string;
    upload_url: string | null;
    bytes_sent: number;
    bytes_total: number;
    error: string | null;
    attempts: number;
  };

describe('photo uploads (tus) against the real server', () => {
  it('resumes a link cut at about 40 % from the server\'s offset: the right bytes arrive, at most one chunk is sent again', async () => {
    const link = await proxy();
    const rowsSeen: Array<{ web: string; original: string }> = [];
    const p = openProfile(via(penulis, link.url), {
      onChange: (e) => rowsSeen.push({ web: uploadRow(p.db, e.sha256, 'web').state, original: uploadRow(p.db, e.sha256, 'original').state }),
    });
    const photo = addLocalPhoto(p.db, p.dir, jpegLike(6 * MiB));
    // The story synced first, as in the app: the server takes the rendition from who may see it.
    await pushStoryWithPhoto(penulis, photo.sha256, 'redaktur1');
    const webBytes = photo.web!.length;
    // The web rendition goes first; the cut falls in the original, 40 % of the way.
    link.cutAfter({ afterBytes: webBytes + Math.floor(0.4 * photo.original.length), direction: 'up' });

    await p.uploader.runPass();

    expect(link.stats().cuts).toBe(1);
    expect(sha256Of(readFileSync(storedOnServer(photo.sha256, 'original')))).toBe(photo.sha256);
    expect(readFileSync(storedOnServer(photo.sha256, 'web')).equals(photo.web!)).toBe(true);
    const sentTwice = link.stats().bytesUp - (photo.original.length + webBytes);
    expect(sentTwice).toBeLessThanOrEqual(TEST_CHUNK);
    expect(uploadRow(p.db, photo.sha256, 'original')).toMatchObject({ state: 'done', upload_url: null, bytes_sent: photo.original.length });
    expect(p.uploader.statuses([photo.sha256])[0]).toMatchObject({ state: 'done', bytesSent: photo.original.length + webBytes, bytesTotal: photo.original.length + webBytes });
    expect(p.uploader.totals()).toEqual({ photosPending: 0, photoBytesPending: 0 });
    // Web first: the rendition was done before the original began.
    const originalBegan = rowsSeen.findIndex((r) => r.original === 'uploading');
    expect(originalBegan).toBeGreaterThan(0);
    expect(rowsSeen[originalBegan]!.web).toBe('done');
    expect(rowsSeen.slice(0, originalBegan).some((r) => r.web === 'uploading')).toBe(true);
  });

  it('sends one whole photo in one PATCH by default and, cut mid-way, still resends only what was in flight', async () => {
    const link = await proxy();
    const p = openProfile(via(penulis, link.url), { chunkBytes: undefined });
    const photo = addLocalPhoto(p.db, p.dir, jpegLike(6 * MiB), { web: null });
    link.cutAfter({ afterBytes: Math.floor(0.4 * photo.original.length), direction: 'up' });
    await p.uploader.runPass();
    expect(sha256Of(readFileSync(storedOnServer(photo.sha256, 'original')))).toBe(photo.sha256);
    expect(link.stats().bytesUp - photo.original.length).toBeLessThanOrEqual(TEST_CHUNK);
  });

  it('resumes across a restart of core: a new process finds the upload URL in SQLite and sends only the rest', async () => {
    // Throttled, so the first process can be killed while 40 % of the original are through.
    const link = await proxy({ bytesPerSecond: 3 * MiB });
    const p = openProfile(via(penulis, link.url));
    const photo = addLocalPhoto(p.db, p.dir, jpegLike(6 * MiB), { web: null });
    await p.reopen(via(penulis, link.url)); // the child owns the uploads now; this instance idles

    const child = spawn(process.execPath, [childScript, p.dir, JSON.stringify(via(penulis, link.url)), String(TEST_CHUNK)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The bundle lives in a temporary folder: better-sqlite3 comes from the repository's install.
      env: { ...process.env, NODE_PATH: resolve(__dirname, '../../../node_modules') },
    });
    let childErr = '';
    child.stderr!.on('data', (c: Buffer) => (childErr += c.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    cleanups.push(async () => {
      child.kill('SIGKILL');
      await exited;
    });
    await expect.poll(() => link.stats().bytesUp || childErr, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(0.4 * photo.original.length);
    child.kill('SIGKILL');
    link.cutNow();
    await exited;
    const delivered = link.stats().bytesUp;
    expect(delivered).toBeLessThan(photo.original.length);
    const row = uploadRow(p.db, photo.sha256, 'original');
    expect(row.upload_url).toMatch(/\/photos\/uploads\/[0-9a-f]+-[0-9a-f]+$/);
    expect(row.state).toBe('uploading');

    link.setBandwidth(null);
    // The app's own retry delays: a loaded server may take a moment to let go of the dropped request.
    await p.reopen(via(penulis, link.url), { retryDelaysMs: DEFAULT_RETRY_DELAYS_MS });
    await p.uploader.runPass();

    expect(sha256Of(readFileSync(storedOnServer(photo.sha256, 'original')))).toBe(photo.sha256);
    // The same upload went on (no second upload was begun and left behind on the server).
    expect(uploadsInProgressOnServer()).toEqual([]);
    expect(link.stats().bytesUp - photo.original.length).toBeLessThanOrEqual(TEST_CHUNK);
    expect(uploadRow(p.db, photo.sha256, 'original')).toMatchObject({ state: 'done', upload_url: null });
    // No web rendition was made for this photo: that does not keep it from being done.
    expect(p.uploader.statuses([photo.sha256])[0]).toMatchObject({ state: 'done', bytesSent: photo.original.length, bytesTotal: photo.original.length });
  }, 90_000);

  it('stops the upload under way when core stops or the user logs out, and resumes it later', async () => {
    const link = await proxy({ bytesPerSecond: 1 * MiB });
    const sessions = new ManualSessionSource(via(penulis, link.url));
    const p = openProfile(via(penulis, link.url), { sessions });
    const photo = addLocalPhoto(p.db, p.dir, jpegLike(4 * MiB), { web: null });
    const pass = p.uploader.runPass();
    await expect.poll(() => link.stats().bytesUp, { timeout: 20_000, interval: 20 }).toBeGreaterThan(MiB);
    sessions.set(null); // logged out
    await pass; // ends rather than waiting for the rest of the file
    expect(uploadRow(p.db, photo.sha256, 'original')).toMatchObject({ state: 'pending', upload_url: expect.stringMatching(/photos\/uploads/) });

    sessions.set(via(penulis, link.url));
    const again = p.uploader.runPass();
    await expect.poll(() => uploadRow(p.db, photo.sha256, 'original').state, { timeout: 20_000, interval: 20 }).toBe('uploading');
    await p.uploader.stop(); // core closing: stop() comes back at once
    await again;

    link.setBandwidth(null);
    // The app's own retry delays: a loaded server may take a moment to let go of the dropped request.
    await p.reopen(via(penulis, link.url), { retryDelaysMs: DEFAULT_RETRY_DELAYS_MS });
    // As in the app, where the next sync exchange starts another pass if a loaded server still
    // held the dropped request when this one asked.
    for (let pass = 0; pass < 3 && uploadRow(p.db, photo.sha256, 'original').state !== 'done'; pass++) await p.uploader.runPass();
    expect(uploadRow(p.db, photo.sha256, 'original')).toMatchObject({ state: 'done' });
    expect(sha256Of(readFileSync(storedOnServer(photo.sha256, 'original')))).toBe(photo.sha256);
    expect(uploadsInProgressOnServer()).toEqual([]);
  }, 60_000);

  it('uploads a photo used in two stories once, and a photo the server already has not at all', async () => {
    const link = await proxy();
    const original = jpegLike(2 * MiB);
    const web = jpegLike(100_000);
    const first = openProfile(via(penulis, link.url));
    // Attached to two stories: the store holds it once (content addressed), one row.
    addLocalPhoto(first.db, first.dir, original, { web });
    addLocalPhoto(first.db, first.dir, original, { web });
    await pushStoryWithPhoto(penulis, sha256Of(original), 'redaktur1');
    await first.uploader.runPass();
    const afterFirst = link.stats().bytesUp;
    expect(afterFirst).toBeGreaterThanOrEqual(original.length + web.length);
    expect(afterFirst - (original.length + web.length)).toBeLessThan(64 * 1024); // requests' headers only

    // Another reporter attaches the same photo to a story (synced before photos go): the
    // server has it and lets them read it, so nothing is sent again.
    await pushStoryWithPhoto(penulis2, sha256Of(original), 'redaktur1');
    const second = openProfile(via(penulis2, link.url));
    const photo = addLocalPhoto(second.db, second.dir, original, { web });
    await second.uploader.runPass();
    expect(link.stats().bytesUp - afterFirst).toBeLessThan(8 * 1024);
    expect(second.uploader.statuses([photo.sha256])[0]).toMatchObject({ state: 'done' });
    expect(uploadRow(second.db, photo.sha256, 'original').state).toBe('done');
  });

  it('sends again a file whose bytes were damaged on the way (sha256 mismatch): the server stored nothing of them', async () => {
    const link = await corruptingProxy(Number(new URL(server.url).port));
    cleanups.push(() => link.close());
    const p = openProfile(via(penulis, link.url), { retryDelaysMs: [] });
    const photo = addLocalPhoto(p.db, p.dir, jpegLike(300_000), { web: null });

    await p.uploader.runPass();
    expect(link.corrupted()).toBe(1);
    expect(existsSync(storedOnServer(photo.sha256, 'original'))).toBe(false);
    expect(uploadsInProgressOnServer()).toEqual([]);
    expect(uploadRow(p.db, photo.sha256, 'original')).toMatchObject({ state: 'error', upload_url: null, attempts: 1 });
    expect(p.uploader.statuses([photo.sha256])[0]!.error).toMatch(/sha256/);

    await p.uploader.runPass(); // the next pass (after the next sync) sends it again, intact
    expect(sha256Of(readFileSync(storedOnServer(photo.sha256, 'original')))).toBe(photo.sha256);
    expect(uploadRow(p.db, photo.sha256, 'original')).toMatchObject({ state: 'done', error: null });
  });

  it('stops sending a local copy that no longer is the photo it is named after (a damaged disk)', async () => {
    const link = await proxy();
    const p = openProfile(via(penulis, link.url));
    const photo = addLocalPhoto(p.db, p.dir, jpegLike(200_000), { web: null });
    const damaged = Buffer.from(photo.original);
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 0xff;
    writeFileSync(originalPhotoPath(p.dir, photo.sha256, 'jpg'), damaged);

    await p.uploader.runPass();
    expect(existsSync(storedOnServer(photo.sha256, 'original'))).toBe(false);
    expect(p.uploader.statuses([photo.sha256])[0]).toMatchObject({ state: 'error', error: expect.stringMatching(/damaged/) });
    const sent = link.stats().bytesUp;
    await p.uploader.runPass();
    expect(link.stats().bytesUp).toBe(sent); // not sent again and again
  });

  it('keeps a rendition the server does not take from this user yet (403) for later passes, never giving up, and sends it once the story has synced', async () => {
    const link = await proxy();
    const p = openProfile(via(penulis, link.url));
    const photo = addLocalPhoto(p.db, p.dir, jpegLike(200_000), { web: jpegLike(30_000) });
    // An original that cannot go (a damaged local copy), so nothing but a story ties penulis1 to the photo.
    const damaged = Buffer.from(photo.original);
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 0xff;
    writeFileSync(originalPhotoPath(p.dir, photo.sha256, 'jpg'), damaged);

    // More passes than the refusals after which a file's bytes are given up on.
    for (let pass = 0; pass < 4; pass++) {
      const before = link.stats().bytesUp;
      await p.uploader.runPass();
      // One attempt per pass (no retry loop), the rendition's body never sent (the first pass
      // also sent the damaged original, once).
      if (pass > 0) expect(link.stats().bytesUp - before).toBeLessThan(4 * 1024);
      expect(uploadRow(p.db, photo.sha256, 'web')).toMatchObject({ state: 'error', upload_url: null, attempts: 0, error: expect.stringMatching(/may not send the web rendition/) });
    }
    expect(existsSync(storedOnServer(photo.sha256, 'web'))).toBe(false);
    expect(p.uploader.statuses([photo.sha256])[0]).toMatchObject({ state: 'error' });

    await pushStoryWithPhoto(penulis, photo.sha256, 'redaktur1');
    await p.uploader.runPass();
    expect(uploadRow(p.db, photo.sha256, 'web')).toMatchObject({ state: 'done', error: null });
    expect(readFileSync(storedOnServer(photo.sha256, 'web')).equals(photo.web!)).toBe(true);
  });

  it('reports a file the server refuses as not an image, and the server keeps nothing', async () => {
    const p = openProfile(penulis);
    const notAnImage = Buffer.from('Ini bukan foto, hanya catatan wartawan.\n'.repeat(100));
    const photo = addLocalPhoto(p.db, p.dir, notAnImage, { web: null });
    await p.uploader.runPass();
    expect(existsSync(storedOnServer(photo.sha256, 'original'))).toBe(false);
    expect(uploadsInProgressOnServer()).toEqual([]);
    const status = p.uploader.statuses([photo.sha256])[0]!;
    expect(status.state).toBe('error');
    expect(status.error).toMatch(/not a JPEG, PNG, WebP or HEIC/);
  });

  it('lets another profile fetch the photo and its web rendition by sha256, with auth, and caches them where the photo store keeps them', async () => {
    const up = openProfile(penulis);
    const photo = addLocalPhoto(up.db, up.dir, jpegLike(500_000), { web: jpegLike(50_000) });
    // The redaktur reads it through the story that shows it (synced before the photos go).
    await pushStoryWithPhoto(penulis, photo.sha256, 'redaktur1');
    await up.uploader.runPass();

    const reader = tempProfile('rr-photo-read-');
    cleanups.push(() => reader.remove());
    const redaktur = await loginSession(server.url, 'redaktur1');
    const fetcher = createPhotoFetcher({ profileDir: reader.dir, sessions: new ManualSessionSource(redaktur) });
    const original = await fetcher.fetchAndCache({ sha256: photo.sha256, variant: 'original' });
    expect(original).toMatchObject({ mime: 'image/jpeg', path: originalPhotoPath(reader.dir, photo.sha256, 'jpg') });
    expect(readFileSync(original!.path).equals(photo.original)).toBe(true);
    const web = await fetcher.fetch({ sha256: photo.sha256, variant: 'web' });
    expect(Buffer.from(web!).equals(photo.web!)).toBe(true);
    expect(readFileSync(renditionPath(reader.dir, photo.sha256, 'web')).equals(photo.web!)).toBe(true);

    // Unavailable rather than an error: not on the server, no session, or a bad session.
    expect(await fetcher.fetch({ sha256: sha256Of(Buffer.from('nothing')), variant: 'original' })).toBeNull();
    const sessions = new ManualSessionSource({ ...redaktur, token: 'rr_' + 'x'.repeat(43) });
    expect(await createPhotoFetcher({ profileDir: reader.dir, sessions }).fetch({ sha256: photo.sha256, variant: 'original' })).toBeNull();
    expect(sessions.rejected).toHaveLength(1);
  });
});

/** A TCP proxy that flips one byte in the body of the first PATCH it forwards (a damaged link), then forwards faithfully. */
async function corruptingProxy(targetPort: number): Promise<{ url: string; corrupted(): number; close(): Promise<void> }> {
  let done = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let seen = '';
    let bodyAt = -1;
    let offset = 0;
    client.on('data', (chunk: Buffer) => {
      if (done === 0) {
        if (bodyAt < 0) {
          seen += chunk.toString('latin1');
          const patch = seen.indexOf('PATCH ');
          const end = patch >= 0 ? seen.indexOf('\r\n\r\n', patch) : -1;
          if (end >= 0) bodyAt = end + 4;
        }
        const target = bodyAt + 1000;
        if (bodyAt >= 0 && target >= offset && target < offset + chunk.length) {
          chunk = Buffer.from(chunk);
          chunk[target - offset] = chunk[target - offset]! ^ 0xff;
          done++;
        }
      }
      offset += chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    corrupted: () => done,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
