import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHOTO_UPLOADS_PATH, STATUS_CHECKSUM_MISMATCH, STATUS_NOT_AN_IMAGE } from '../../shared/server-api/photos';
import { openTestDatabase, startTestApp, type TestApp, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';

const fixture = (name: string) => readFileSync(join(__dirname, '../../tests/fixtures/photos', name));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const b64 = (text: string) => Buffer.from(text).toString('base64');

describe.each(ENGINES)('photo uploads and reads on %s', (engine) => {
  let t: TestDatabase;
  let app: TestApp;
  let origin: string;
  let photoDir: string;
  let penulis: string;
  let redaktur: string;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    await t.resetToDemo();
    photoDir = mkdtempSync(join(tmpdir(), 'rr-photos-'));
    app = await startTestApp(t.db, { photoStorage: { kind: 'file', directory: photoDir } });
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;
    penulis = await app.login('penulis1');
    redaktur = await app.login('redaktur1');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    if (photoDir) rmSync(photoDir, { recursive: true, force: true });
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  /** A tus upload by hand (creation, then one PATCH): the protocol as any client speaks it. */
  async function tusUpload(token: string, bytes: Buffer, metadata: Record<string, string>) {
    const created = await fetch(origin + PHOTO_UPLOADS_PATH, {
      method: 'POST',
      headers: {
        ...auth(token),
        'tus-resumable': '1.0.0',
        'upload-length': String(bytes.length),
        'upload-metadata': Object.entries(metadata).map(([k, v]) => `${k} ${b64(v)}`).join(','),
      },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const location = new URL(created.headers.get('location')!, origin).toString();
    const patched = await fetch(location, {
      method: 'PATCH',
      headers: { ...auth(token), 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: new Uint8Array(bytes),
    });
    return { location, status: patched.status, body: await patched.text() };
  }

  async function storedRows() {
    return t.db.query<{ sha256: string; variant: string; uploaded_by: string }>(
      'SELECT f.sha256, f.variant, p.uploaded_by FROM photo_files f JOIN photos p USING (sha256) ORDER BY f.sha256, f.variant',
    );
  }
  const uploadsInProgress = () => (existsSync(join(photoDir, 'uploads')) ? readdirSync(join(photoDir, 'uploads')) : []);

  it('stores a verified photo by hash, records who sent it, and serves it with its type to its uploader', async () => {
    const photo = fixture('iptc-xmp-credit.jpg');
    const sha = sha256(photo);
    expect((await fetch(`${origin}/photos/${sha}/original`, { method: 'HEAD', headers: auth(penulis) })).status).toBe(404);

    const { location, status } = await tusUpload(penulis, photo, { sha256: sha, variant: 'original', fileSha256: sha });
    expect(status).toBe(204);
    expect(existsSync(join(photoDir, 'files', sha.slice(0, 2), `${sha}.original`))).toBe(true);
    expect(uploadsInProgress()).toEqual([]);
    const rows = await storedRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sha256: sha, variant: 'original' });

    // The server already has it: a client learns so and sends nothing.
    expect((await fetch(`${origin}/photos/${sha}/original`, { method: 'HEAD', headers: auth(penulis) })).status).toBe(200);
    // A client whose last answer was lost asks about its upload again: complete.
    const again = await fetch(location, { method: 'HEAD', headers: { ...auth(penulis), 'tus-resumable': '1.0.0' } });
    expect(again.status).toBe(200);
    expect(again.headers.get('upload-offset')).toBe(String(photo.length));
    expect(again.headers.get('upload-length')).toBe(String(photo.length));

    expect((await fetch(`${origin}/photos/${sha}/original`)).status).toBe(401);
    // In no story yet: only its uploader reads it (photoAccess.test.ts covers stories).
    expect((await fetch(`${origin}/photos/${sha}/original`, { headers: auth(redaktur) })).status).toBe(404);
    const read = await fetch(`${origin}/photos/${sha}/original`, { headers: auth(penulis) });
    expect(read.status).toBe(200);
    expect(Buffer.from(await read.arrayBuffer()).equals(photo)).toBe(true);
    expect(read.headers.get('content-type')).toBe('image/jpeg');
    expect(read.headers.get('x-content-type-options')).toBe('nosniff');
    expect(read.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(read.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(read.headers.get('etag')).toBe(`"${sha}"`);
    const cached = await fetch(`${origin}/photos/${sha}/original`, { headers: { ...auth(penulis), 'if-none-match': `"${sha}"` } });
    expect(cached.status).toBe(304);
  });

  it('refuses bytes whose sha256 is not the announced one, and stores nothing', async () => {
    const photo = fixture('no-metadata.png');
    const announced = sha256(photo);
    const tampered = Buffer.from(photo);
    tampered[tampered.length - 5] = tampered[tampered.length - 5]! ^ 0xff;
    const before = await storedRows();
    const { status, body } = await tusUpload(penulis, tampered, { sha256: announced, variant: 'original', fileSha256: announced });
    expect(status).toBe(STATUS_CHECKSUM_MISMATCH);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'photo_checksum_mismatch' } });
    expect(await storedRows()).toEqual(before);
    expect(uploadsInProgress()).toEqual([]);
    expect(existsSync(join(photoDir, 'files', announced.slice(0, 2), `${announced}.original`))).toBe(false);
  });

  it('refuses bytes that are not an image (sniffed, whatever the name), and stores nothing', async () => {
    const text = fixture('not-a-photo.jpg');
    const sha = sha256(text);
    const before = await storedRows();
    const { status, body } = await tusUpload(penulis, text, { sha256: sha, variant: 'original', fileSha256: sha });
    expect(status).toBe(STATUS_NOT_AN_IMAGE);
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'photo_not_image' } });
    expect(await storedRows()).toEqual(before);
    expect(uploadsInProgress()).toEqual([]);
    expect((await fetch(`${origin}/photos/${sha}/original`, { headers: auth(penulis) })).status).toBe(404);
  });

  it('keeps a web rendition under the photo it belongs to, checked against its own sha256', async () => {
    const original = fixture('webp-photo.webp');
    const web = fixture('exif-only.jpg'); // any JPEG stands in for the rendition
    const sha = sha256(original);
    // Only someone who may read the original sends a rendition (photoAccess.test.ts): its uploader here.
    expect((await tusUpload(penulis, original, { sha256: sha, variant: 'original', fileSha256: sha })).status).toBe(204);
    const { status } = await tusUpload(penulis, web, { sha256: sha, variant: 'web', fileSha256: sha256(web) });
    expect(status).toBe(204);
    const read = await fetch(`${origin}/photos/${sha}/web`, { headers: auth(penulis) });
    expect(read.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await read.arrayBuffer()).equals(web)).toBe(true);
    const readOriginal = await fetch(`${origin}/photos/${sha}/original`, { headers: auth(penulis) });
    expect(readOriginal.headers.get('content-type')).toBe('image/webp');
    expect(Buffer.from(await readOriginal.arrayBuffer()).equals(original)).toBe(true);
  });

  it('asks for a session on every tus request, and keeps one user out of another user\'s upload', async () => {
    const noAuth = await fetch(origin + PHOTO_UPLOADS_PATH, { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': '10' } });
    expect(noAuth.status).toBe(401);
    const photo = fixture('exif-only.jpg');
    const sha = sha256(photo);
    const created = await fetch(origin + PHOTO_UPLOADS_PATH, {
      method: 'POST',
      headers: { ...auth(penulis), 'tus-resumable': '1.0.0', 'upload-length': String(photo.length), 'upload-metadata': `sha256 ${b64(sha)},variant ${b64('original')},fileSha256 ${b64(sha)}` },
    });
    const location = new URL(created.headers.get('location')!, origin).toString();
    const head = { 'tus-resumable': '1.0.0' };
    expect((await fetch(location, { method: 'HEAD', headers: head })).status).toBe(401);
    expect((await fetch(location, { method: 'HEAD', headers: { ...head, ...auth(redaktur) } })).status).toBe(404);
    const own = await fetch(location, { method: 'HEAD', headers: { ...head, ...auth(penulis) } });
    expect(own.status).toBe(200);
    expect(own.headers.get('upload-offset')).toBe('0');
  });

  it('continues an upload where the server is (PATCH in parts), and refuses a PATCH at another offset', async () => {
    const photo = fixture('iptc-xmp-credit.jpg');
    const sha = sha256(photo);
    // Already stored by the first test: use a JPEG of its own (same head, other tail).
    const own = Buffer.concat([photo.subarray(0, photo.length - 2), Buffer.from([0x00, 0xff, 0xd9])]);
    const ownSha = sha256(own);
    expect(ownSha).not.toBe(sha);
    const created = await fetch(origin + PHOTO_UPLOADS_PATH, {
      method: 'POST',
      headers: { ...auth(penulis), 'tus-resumable': '1.0.0', 'upload-length': String(own.length), 'upload-metadata': `sha256 ${b64(ownSha)},variant ${b64('original')},fileSha256 ${b64(ownSha)}` },
    });
    const location = new URL(created.headers.get('location')!, origin).toString();
    const patch = (offset: number, body: Buffer) =>
      fetch(location, {
        method: 'PATCH',
        headers: { ...auth(penulis), 'tus-resumable': '1.0.0', 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
        body: new Uint8Array(body),
      });
    const half = Math.floor(own.length / 2);
    const first = await patch(0, own.subarray(0, half));
    expect(first.status).toBe(204);
    expect(first.headers.get('upload-offset')).toBe(String(half));
    expect((await patch(0, own.subarray(0, half))).status).toBe(409);
    expect((await patch(half, Buffer.concat([own.subarray(half), Buffer.from('extra')]))).status).toBe(413);
    const rest = await patch(half, own.subarray(half));
    expect(rest.status).toBe(204);
    expect(rest.headers.get('upload-offset')).toBe(String(own.length));
    const read = await fetch(`${origin}/photos/${ownSha}/original`, { headers: auth(penulis) });
    expect(Buffer.from(await read.arrayBuffer()).equals(own)).toBe(true);
  });

  it('refuses upload metadata that does not name a photo and variant', async () => {
    const res = await fetch(origin + PHOTO_UPLOADS_PATH, {
      method: 'POST',
      headers: { ...auth(penulis), 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': `sha256 ${b64('nope')},variant ${b64('thumb')}` },
    });
    expect(res.status).toBe(400);
  });

  it('takes a whole file in one plain PUT with the same checks', async () => {
    const photo = fixture('no-metadata.png');
    const sha = sha256(photo);
    const put = await fetch(`${origin}/photos/${sha}/original`, { method: 'PUT', headers: { ...auth(penulis), 'content-type': 'application/octet-stream' }, body: new Uint8Array(photo) });
    expect(put.status, await put.clone().text()).toBe(201);
    const read = await fetch(`${origin}/photos/${sha}/original`, { headers: auth(penulis) });
    expect(read.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await read.arrayBuffer()).equals(photo)).toBe(true);
    const text = fixture('not-a-photo.jpg');
    const refused = await fetch(`${origin}/photos/${sha256(text)}/original`, { method: 'PUT', headers: auth(penulis), body: new Uint8Array(text) });
    expect(refused.status).toBe(STATUS_NOT_AN_IMAGE);
  });
});
