import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeMetaText } from '../../../shared/doc/metaText';
import type { SyncStatus } from '../../../shared/domain/newsroom';
import type { PhotoUploadStatus } from '../../../shared/domain/photo';
import { createRpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { createMemoryEndpointPair } from '../../../shared/rpc/memoryTransport';
import { DATABASE_FILE, openCore } from '../core';
import { addLocalPhoto, jpegLike } from '../testing/photoUploads';
import { DEMO_PASSWORD, loginSession, pushStoryWithPhoto, startNewsroomServer, type NewsroomServer } from '../testing/syncServer';
import { tempProfile } from '../testing/tempProfile';

/**
 * The uploader as core.ts wires it: photos go once a sync exchange has completed (text first),
 * windows hear `photoUploadChanged`, `photos.uploads` answers, and the sync status carries
 * what is left to send.
 */

let server: NewsroomServer;
beforeAll(async () => {
  server = await startNewsroomServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

it('uploads after the text synced, with progress events, photos.uploads and the totals in the sync status', async () => {
  const profile = tempProfile('rr-photo-core-');
  const core = openCore({ profileDir: profile.dir, sync: { pollIntervalMs: 3_600_000 } });
  const [serverSide, clientSide] = createMemoryEndpointPair();
  core.rpcServer.attach(serverSide);
  const client = createRpcClient<CoreServices, CoreEvents>(clientSide);
  try {
    const statuses: SyncStatus[] = [];
    const uploads: Array<PhotoUploadStatus & { textSynced: boolean }> = [];
    client.on('syncStatusChanged', (s) => statuses.push(s));
    client.on('photoUploadChanged', (u) => uploads.push({ ...u, textSynced: statuses.some((s) => s.lastSyncedAt !== null) }));

    // A story written offline, and a photo in the store (as the photo store leaves it).
    const { id: storyId } = await client.services.stories.create({});
    const doc = new Y.Doc();
    writeMetaText(doc, 'headline', 'Banjir di Kampung Melayu');
    await client.services.docs.push({ storyId, update: Y.encodeStateAsUpdate(doc) });
    const db = new Database(join(profile.dir, DATABASE_FILE));
    const photo = addLocalPhoto(db, profile.dir, jpegLike(1_500_000), { web: jpegLike(120_000) });
    db.close();
    const total = photo.original.length + photo.web!.length;
    expect((await client.services.photos.uploads({ sha256s: [photo.sha256] }))[0]).toMatchObject({ state: 'pending', bytesSent: 0 });
    expect(await client.services.sync.status({})).toMatchObject({ photosPending: 1, photoBytesPending: photo.original.length });

    await core.account.ready;
    await client.services.account.login({ serverUrl: server.url, username: 'penulis1', password: DEMO_PASSWORD });

    await expect.poll(async () => (await client.services.photos.uploads({ sha256s: [photo.sha256] }))[0]!.state, { timeout: 30_000 }).toBe('done');
    expect((await client.services.photos.uploads({ sha256s: [photo.sha256] }))[0]).toMatchObject({ bytesSent: total, bytesTotal: total, error: null });
    expect(uploads.length).toBeGreaterThan(0);
    expect(uploads.every((u) => u.textSynced)).toBe(true);
    expect(uploads.some((u) => u.state === 'uploading')).toBe(true);
    expect(uploads.at(-1)).toMatchObject({ sha256: photo.sha256, state: 'done' });
    await expect.poll(() => statuses.at(-1)).toMatchObject({ photosPending: 0, photoBytesPending: 0 });
    expect(statuses.some((s) => (s.photosPending ?? 0) > 0)).toBe(true);
    expect(await client.services.sync.status({})).toMatchObject({ pending: 0, photosPending: 0, photoBytesPending: 0 });

    // Read back by its uploader (a redaktur reads it once a story they may see shows it).
    const read = await fetch(new URL(`/photos/${photo.sha256}/original`, server.url), {
      headers: { authorization: `Bearer ${(await loginToken('penulis1'))}` },
    });
    expect(Buffer.from(await read.arrayBuffer()).equals(photo.original)).toBe(true);
  } finally {
    client.dispose();
    core.close();
    profile.remove();
  }
}, 90_000);

async function loginToken(username = 'redaktur1'): Promise<string> {
  const response = await fetch(new URL('/auth/login', server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  return ((await response.json()) as { token: string }).token;
}

it("on a profile that does not hold the photo (a redaktur's), the photo reads as pending until its rendition came from the server, then done, and windows hear it", async () => {
  // The reporter's photo, on the server already (a real image: the fetched rendition is decoded).
  const web = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } }).jpeg().toBuffer();
  const original = await sharp({ create: { width: 128, height: 96, channels: 3, background: '#336699' } }).jpeg({ quality: 95 }).toBuffer();
  const sha256 = createHash('sha256').update(original).digest('hex');
  const token = await loginToken('penulis1');
  // In the reporter's story assigned to redaktur1, who may therefore read it (synced before the photos go).
  await pushStoryWithPhoto(await loginSession(server.url, 'penulis1'), sha256, 'redaktur1');
  for (const [variant, bytes] of [['web', web], ['original', original]] as const) {
    const put = await fetch(new URL(`/photos/${sha256}/${variant}`, server.url), {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-file-sha256': createHash('sha256').update(bytes).digest('hex') },
      body: bytes,
    });
    expect(put.status, await put.text()).toBeLessThan(300);
  }

  const profile = tempProfile('rr-photo-redaktur-');
  const core = openCore({ profileDir: profile.dir, sync: { pollIntervalMs: 3_600_000 } });
  const [serverSide, clientSide] = createMemoryEndpointPair();
  core.rpcServer.attach(serverSide);
  const client = createRpcClient<CoreServices, CoreEvents>(clientSide);
  try {
    const events: PhotoUploadStatus[] = [];
    client.on('photoUploadChanged', (u) => events.push(u));
    await core.account.ready;
    await client.services.account.login({ serverUrl: server.url, username: 'redaktur1', password: DEMO_PASSWORD });
    expect((await client.services.photos.uploads({ sha256s: [sha256] }))[0]).toMatchObject({ state: 'pending' });

    const thumb = await client.services.photos.rendition({ sha256, variant: 'thumb' });
    expect(thumb.bytes.byteLength).toBeGreaterThan(0);
    expect((await client.services.photos.uploads({ sha256s: [sha256] }))[0]).toMatchObject({ state: 'done', error: null });
    await expect.poll(() => events.at(-1)).toMatchObject({ sha256, state: 'done' });
  } finally {
    client.dispose();
    core.close();
    profile.remove();
  }
}, 90_000);
