import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addPhoto, removePhoto } from '../../shared/doc/photos';
import { getMetaMap } from '../../shared/doc/storyDoc';
import { writeStoryBody } from '../../shared/editor/headless';
import { PHOTO_UPLOADS_PATH } from '../../shared/server-api/photos';
import type { DirectoryResponse } from '../../shared/server-api/schemas';
import type { SyncResponse } from '../../shared/server-api/sync';
import { b64, ClientStory } from '../testing/httpClient';
import { openTestDatabase, startTestApp, type TestApp, type TestDatabase } from '../testing/testServer';
import { ENGINES } from '../testing/testStorage';
import { fillMissingPhotoLists } from './photoLists';

const fixture = (name: string) => readFileSync(join(__dirname, '../../tests/fixtures/photos', name));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
describe.each(ENGINES)('who may read a photo on %s', (engine) => {
  let t: TestDatabase;
  let app: TestApp;
  let origin: string;
  let photoDir: string;
  let tokens: Record<string, string>;
  let dir: DirectoryResponse;

  beforeAll(async () => {
    t = await openTestDatabase(engine);
    photoDir = mkdtempSync(join(tmpdir(), 'rr-photo-access-'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    if (photoDir) rmSync(photoDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    if (app) await app.app.close();
    await t.resetToDemo();
    app = await startTestApp(t.db, { photoStorage: { kind: 'file', directory: photoDir } });
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;
    tokens = {};
    for (const u of ['admin', 'redaktur1', 'redaktur2', 'penulis1', 'penulis2', 'penulis3']) tokens[u] = await app.login(u);
    dir = (await app.request('GET', '/directory', { token: tokens.admin })).json() as DirectoryResponse;
  }, 60_000);

  const userId = (username: string) => dir.users.find((u) => u.username === username)!.id;
  const rubrikId = (path: string) => dir.rubrik.find((r) => r.path === path)!.id;
  const auth = (username: string) => ({ authorization: `Bearer ${tokens[username]}` });

  async function sync(username: string, story: ClientStory) {
    const res = await app.request('POST', '/sync', { token: tokens[username], body: { stories: [story.request()] } });
    expect(res.statusCode, res.body).toBe(200);
    story.accept((res.json() as SyncResponse).stories[0]!);
  }

  async function put(username: string, bytes: Buffer, sha = sha256(bytes), variant = 'original') {
    const res = await fetch(`${origin}/photos/${sha}/${variant}`, { method: 'PUT', headers: { ...auth(username), 'x-file-sha256': sha256(bytes) }, body: new Uint8Array(bytes) });
    expect([200, 201], await res.clone().text()).toContain(res.status);
    return res;
  }

  /** The status of GET (and, with the same answer, HEAD) by `username`; a refusal is the JSON 404 of a missing photo. */
  async function readStatus(username: string, sha: string, variant = 'original'): Promise<number> {
    const head = await fetch(`${origin}/photos/${sha}/${variant}`, { method: 'HEAD', headers: auth(username) });
    const get = await fetch(`${origin}/photos/${sha}/${variant}`, { headers: auth(username) });
    expect(get.status).toBe(head.status);
    if (get.status === 404) expect(await get.json()).toMatchObject({ error: { code: 'not_found' } });
    else await get.arrayBuffer();
    return get.status;
  }

  /** penulis1's story in Ekonomi (redaktur2 edits it) assigned to redaktur1, with `sha` in its photos map and body. */
  async function storyWithPhoto(sha: string): Promise<{ story: ClientStory; photoId: string }> {
    const story = new ClientStory(randomUUID());
    const meta = getMetaMap(story.doc);
    meta.set('headline', 'Harga cabai naik menjelang Natal');
    meta.set('rubrikId', rubrikId('Ekonomi'));
    meta.set('redakturId', userId('redaktur1'));
    meta.set('penulisIds', [userId('penulis1')]);
    const photoId = randomUUID();
    addPhoto(story.doc, photoId, { sha256: sha, mime: 'image/jpeg', width: 10, height: 10, caption: 'Pasar Induk', credit: 'Agus', photographer: 'Agus', source: '', dateTaken: '' });
    writeStoryBody(story.doc, [{ type: 'paragraph', children: ['JAKARTA - Harga cabai rawit naik.'] }]);
    await sync('penulis1', story);
    return { story, photoId };
  }

  it("keeps a penulis out of another penulis's photo, before and after it is in a story", async () => {
    const photo = fixture('iptc-xmp-credit.jpg');
    const sha = sha256(photo);
    await put('penulis1', photo);
    expect(await readStatus('penulis2', sha)).toBe(404);
    await storyWithPhoto(sha);
    expect(await readStatus('penulis2', sha)).toBe(404);
    expect(await readStatus('penulis3', sha)).toBe(404);
    // The refusal is the answer for a photo the server does not have: existence is not revealed.
    const refused = await fetch(`${origin}/photos/${sha}/original`, { headers: auth('penulis2') });
    const missing = await fetch(`${origin}/photos/${'0'.repeat(64)}/original`, { headers: auth('penulis2') });
    expect([refused.status, await refused.json()]).toEqual([missing.status, await missing.json()]);
  });

  it('lets its uploader read a photo before any story references it, and nobody else but an admin', async () => {
    const photo = fixture('iptc-xmp-credit.jpg');
    const sha = sha256(photo);
    await put('penulis1', photo);
    expect(await readStatus('penulis1', sha)).toBe(200);
    expect(await readStatus('redaktur1', sha)).toBe(404);
    expect(await readStatus('admin', sha)).toBe(200);
  });

  it('lets the redaktur who may see the story read its photos once the story syncs referencing them', async () => {
    const original = fixture('iptc-xmp-credit.jpg');
    const web = fixture('exif-only.jpg');
    const sha = sha256(original);
    await put('penulis1', original);
    await put('penulis1', web, sha, 'web');
    expect(await readStatus('redaktur1', sha)).toBe(404);
    await storyWithPhoto(sha);
    expect(await readStatus('redaktur1', sha)).toBe(200); // assigned to the story
    expect(await readStatus('redaktur1', sha, 'web')).toBe(200);
    expect(await readStatus('redaktur2', sha)).toBe(200); // edits the story's rubrik
    expect(await readStatus('penulis2', sha, 'web')).toBe(404);
  });

  it('finds a photo placed in the body through the photos map entry its node names', async () => {
    const photo = fixture('iptc-xmp-credit.jpg');
    const sha = sha256(photo);
    await put('penulis1', photo);
    const { story, photoId } = await storyWithPhoto(sha);
    writeStoryBody(story.doc, [{ type: 'paragraph', children: ['Foto:'] }, { type: 'photo', photoId }]);
    await sync('penulis1', story);
    expect(await readStatus('redaktur1', sha)).toBe(200);
    expect(await readStatus('penulis2', sha)).toBe(404);
  });

  it('takes access away from a non-uploader once the photo is removed from the story and that syncs; the uploader keeps it', async () => {
    const photo = fixture('iptc-xmp-credit.jpg');
    const sha = sha256(photo);
    await put('penulis1', photo);
    const { story, photoId } = await storyWithPhoto(sha);
    expect(await readStatus('redaktur1', sha)).toBe(200);
    removePhoto(story.doc, photoId);
    await sync('penulis1', story);
    expect(await readStatus('redaktur1', sha)).toBe(404);
    expect(await readStatus('redaktur2', sha)).toBe(404);
    expect(await readStatus('penulis1', sha)).toBe(200);
  });

  it('lets a user who sends the bytes the server already has read them from then on (HEAD 404, upload, deduplicated)', async () => {
    const photo = fixture('iptc-xmp-credit.jpg');
    const sha = sha256(photo);
    await put('penulis1', photo);
    expect(await readStatus('penulis2', sha)).toBe(404);
    // As core's uploader does: HEAD said 404, so a tus upload of the whole file.
    const created = await fetch(origin + PHOTO_UPLOADS_PATH, {
      method: 'POST',
      headers: { ...auth('penulis2'), 'tus-resumable': '1.0.0', 'upload-length': String(photo.length), 'upload-metadata': `sha256 ${b64(sha)},variant ${b64('original')},fileSha256 ${b64(sha)}` },
    });
    expect(created.status).toBe(201);
    const patched = await fetch(new URL(created.headers.get('location')!, origin), {
      method: 'PATCH',
      headers: { ...auth('penulis2'), 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: new Uint8Array(photo),
    });
    expect(patched.status).toBe(204);
    expect(await readStatus('penulis2', sha)).toBe(200);
    const stored = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM photo_files WHERE sha256 = $1', [sha]);
    expect(stored[0]!.n).toBe(1);
  });

  it('never counts a PUT without the bytes, or another image sent as the rendition, as holding the photo', async () => {
    const photo = fixture('iptc-xmp-credit.jpg');
    const sha = sha256(photo);
    await put('penulis1', photo);
    await put('penulis1', fixture('exif-only.jpg'), sha, 'web');
    // A PUT of the stored name from someone who may not read it is read and checked, not waved through.
    const forged = await fetch(`${origin}/photos/${sha}/original`, { method: 'PUT', headers: auth('penulis2'), body: new Uint8Array(fixture('no-metadata.png')) });
    expect(forged.status).toBe(460);
    expect(await readStatus('penulis2', sha)).toBe(404);
    // Any image claimed as the photo's rendition: refused (see the renditions' tests), grants nothing.
    const other = fixture('webp-photo.webp');
    const rendition = await fetch(`${origin}/photos/${sha}/web`, { method: 'PUT', headers: { ...auth('penulis2'), 'x-file-sha256': sha256(other) }, body: new Uint8Array(other) });
    expect(rendition.status).toBe(403);
    expect(await readStatus('penulis2', sha, 'web')).toBe(404);
    expect(await readStatus('penulis2', sha)).toBe(404);
  });

  /** Creates a tus upload of `bytes` as `variant` of photo `sha` for `username`: the creation's answer. */
  async function createUpload(username: string, bytes: Buffer, sha: string, variant: string) {
    return fetch(origin + PHOTO_UPLOADS_PATH, {
      method: 'POST',
      headers: {
        ...auth(username),
        'tus-resumable': '1.0.0',
        'upload-length': String(bytes.length),
        'upload-metadata': `sha256 ${b64(sha)},variant ${b64(variant)},fileSha256 ${b64(sha256(bytes))}`,
      },
    });
  }
  async function patchWhole(username: string, created: Response, bytes: Buffer) {
    return fetch(new URL(created.headers.get('location')!, origin), {
      method: 'PATCH',
      headers: { ...auth(username), 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body: new Uint8Array(bytes),
    });
  }
  /** A whole tus upload that must be accepted (creation, one PATCH). */
  async function tusUpload(username: string, bytes: Buffer, sha: string, variant: string) {
    const created = await createUpload(username, bytes, sha, variant);
    expect(created.status, await created.clone().text()).toBe(201);
    expect((await patchWhole(username, created, bytes)).status).toBe(204);
  }
  const storedVariants = async (sha: string) =>
    (await t.db.query<{ variant: string }>('SELECT variant FROM photo_files WHERE sha256 = $1 ORDER BY variant', [sha])).map((row) => row.variant);
  async function webBytes(username: string, sha: string): Promise<Buffer> {
    const res = await fetch(`${origin}/photos/${sha}/web`, { headers: auth(username) });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }
  async function expectForbidden(res: Response) {
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('forbidden');
    expect(body.error.message).toMatch(/may not send the web rendition/);
  }

  it("refuses a rendition of someone else's photo (tus and PUT, 403, nothing stored); the rightful one sent later is what readers get", async () => {
    const photo = fixture('iptc-xmp-credit.jpg');
    const sha = sha256(photo);
    const rightful = fixture('exif-only.jpg');
    const planted = fixture('webp-photo.webp');
    await put('penulis1', photo);
    await storyWithPhoto(sha);
    await expectForbidden(await createUpload('penulis2', planted, sha, 'web'));
    await expectForbidden(
      await fetch(`${origin}/photos/${sha}/web`, { method: 'PUT', headers: { ...auth('penulis2'), 'x-file-sha256': sha256(planted) }, body: new Uint8Array(planted) }),
    );
    expect(await storedVariants(sha)).toEqual(['original']);
    expect(await readStatus('redaktur1', sha, 'web')).toBe(404);

    await tusUpload('penulis1', rightful, sha, 'web');
    expect(await storedVariants(sha)).toEqual(['original', 'web']);
    expect((await webBytes('redaktur1', sha)).equals(rightful)).toBe(true);
    expect((await webBytes('penulis1', sha)).equals(rightful)).toBe(true);
  });

  it('takes the web rendition from a penulis whose story naming the photo has synced, before the original is there', async () => {
    const photo = fixture('iptc-xmp-credit.jpg');
    const web = fixture('exif-only.jpg');
    const sha = sha256(photo);
    // Nothing sent and no story yet: nothing ties them to the photo.
    await expectForbidden(await createUpload('penulis1', web, sha, 'web'));
    await storyWithPhoto(sha);
    await tusUpload('penulis1', web, sha, 'web');
    expect(await storedVariants(sha)).toEqual(['web']);
    expect((await webBytes('redaktur1', sha)).equals(web)).toBe(true);
    expect(await readStatus('penulis2', sha, 'web')).toBe(404);
  });

  it('takes renditions from the uploader of the original, with no story yet', async () => {
    const photo = fixture('iptc-xmp-credit.jpg');
    const web = fixture('exif-only.jpg');
    const sha = sha256(photo);
    await put('penulis1', photo);
    await tusUpload('penulis1', web, sha, 'web');
    expect(await storedVariants(sha)).toEqual(['original', 'web']);
    expect((await webBytes('penulis1', sha)).equals(web)).toBe(true);
  });

  it('checks the right again when the upload completes: lost meanwhile, the rendition is refused and not stored', async () => {
    const photo = fixture('iptc-xmp-credit.jpg');
    const web = fixture('exif-only.jpg');
    const sha = sha256(photo);
    const { story, photoId } = await storyWithPhoto(sha);
    const created = await createUpload('penulis1', web, sha, 'web');
    expect(created.status).toBe(201);
    removePhoto(story.doc, photoId);
    await sync('penulis1', story);
    await expectForbidden(await patchWhole('penulis1', created, web));
    expect(await storedVariants(sha)).toEqual([]);
  });

  it('fills the photo lists of stories written before the server kept them, so their redaktur can read their photos', async () => {
    const photo = fixture('iptc-xmp-credit.jpg');
    const sha = sha256(photo);
    await put('penulis1', photo);
    const { story } = await storyWithPhoto(sha);
    // As a row written before migration 0008 reads; and one whose document is only in its log.
    await t.db.query('UPDATE stories SET photo_sha256s = NULL WHERE id = $1', [story.id]);
    const logOnly = await storyWithPhoto(sha);
    await t.db.query('UPDATE stories SET photo_sha256s = NULL, doc_state = NULL, doc_state_vector = NULL, doc_catch_up = NULL WHERE id = $1', [logOnly.story.id]);
    expect(await readStatus('redaktur1', sha)).toBe(404);
    expect(await fillMissingPhotoLists(t.db)).toBe(2);
    const lists = await t.db.query<{ photo_sha256s: string[] }>('SELECT photo_sha256s FROM stories WHERE id = ANY ($1::text[])', [[story.id, logOnly.story.id]]);
    expect(lists.map((row) => row.photo_sha256s)).toEqual([[sha], [sha]]);
    expect(await readStatus('redaktur1', sha)).toBe(200);
    expect(await fillMissingPhotoLists(t.db)).toBe(0);
  });
});
