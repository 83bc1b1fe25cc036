import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttachedPhoto, PhotoPrefill } from '../../../shared/domain/photo';
import { createRpcClient, type RpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { createMemoryEndpointPair } from '../../../shared/rpc/memoryTransport';
import { RpcError } from '../../../shared/rpc/protocol';
import { DATABASE_FILE, openCore, type Core } from '../core';
import { openDatabase } from '../db/openDatabase';
import { tempProfile } from '../testing/tempProfile';
import { TEMP_SUFFIX } from './atomicFile';
import { originalPhotoPath, PHOTOS_DIR, RENDITIONS_DIR, renditionPath } from './photoFiles';
import { createPhotosService } from './photosService';

const FIXTURES = join(__dirname, '../../../tests/fixtures/photos');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const EMPTY: PhotoPrefill = { caption: '', credit: '', photographer: '', source: '', city: '', dateTaken: null };

let profile: ReturnType<typeof tempProfile>;
let core: Core;
let client: RpcClient<CoreServices, CoreEvents>;
let storyA: string;
let storyB: string;
const internalErrors: unknown[] = [];

function open(): void {
  core = openCore({ profileDir: profile.dir, onInternalError: (_m, e) => internalErrors.push(e) });
  const [serverSide, clientSide] = createMemoryEndpointPair();
  core.rpcServer.attach(serverSide);
  client = createRpcClient<CoreServices, CoreEvents>(clientSide);
}
function close(): void {
  client.dispose();
  core.close();
}

beforeEach(async () => {
  internalErrors.length = 0;
  profile = tempProfile('rr-photos-');
  open();
  storyA = (await client.services.stories.create({})).id;
  storyB = (await client.services.stories.create({})).id;
});
afterEach(() => {
  close();
  profile.remove();
  expect(internalErrors).toEqual([]);
});

const attach = (fileName: string, bytes: Uint8Array, storyId = storyA) => client.services.photos.attach({ storyId, fileName, bytes });

async function refusal(promise: Promise<unknown>): Promise<RpcError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RpcError);
    return error as RpcError;
  }
  throw new Error('accepted');
}

/** Every file under photos/, as paths relative to the profile. */
function storedFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(profile.dir, path));
    }
  };
  walk(join(profile.dir, PHOTOS_DIR));
  return out.sort();
}

function photoRowCount(): number {
  const db = new Database(join(profile.dir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM photos').pluck().get() as number;
  } finally {
    db.close();
  }
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A photo-like JPEG (noise compresses badly, like a real scene), optionally with an EXIF orientation. */
async function noiseJpeg(width: number, height: number, options: { orientation?: number; quality?: number } = {}): Promise<Uint8Array> {
  const raw = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let i = 0; i < raw.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    raw[i] = (seed >> 16) & 0xff;
  }
  let image = sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: options.quality ?? 90 });
  if (options.orientation) image = image.withMetadata({ orientation: options.orientation });
  return new Uint8Array(await image.toBuffer());
}

/** The JPEG without its XMP segment (APP1 "http://ns.adobe.com/xap/1.0/"), so only IPTC and EXIF remain. */
function withoutXmp(jpeg: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [jpeg.subarray(0, 2)];
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff && jpeg[at + 1] !== 0xda) {
    const length = (jpeg[at + 2]! << 8) | jpeg[at + 3]!;
    const segment = jpeg.subarray(at, at + 2 + length);
    const isXmp = jpeg[at + 1] === 0xe1 && Buffer.from(segment.subarray(4, 33)).toString('latin1').startsWith('http://ns.adobe.com/xap/1.0/');
    if (!isXmp) parts.push(segment);
    at += 2 + length;
  }
  parts.push(jpeg.subarray(at));
  return new Uint8Array(Buffer.concat(parts));
}

describe('photos.attach: metadata pre-fill', () => {
  it('reads caption, credit, by-line, source, city and date from IPTC and XMP (the en dash intact, the offset kept)', async () => {
    const bytes = fixture('iptc-xmp-credit.jpg');
    const photo = await attach('iptc-xmp-credit.jpg', bytes);
    expect(photo).toEqual<AttachedPhoto>({
      sha256: sha256(bytes),
      mime: 'image/jpeg',
      byteSize: bytes.byteLength,
      width: 1200,
      height: 800,
      alreadyStored: false,
      prefill: {
        caption: 'Uji coba mobil pedesaan – Klaten, Jawa Tengah',
        // The file says "Istimewa"; the newsroom writes it "Foto : Istimewa".
        credit: 'Foto : Istimewa',
        photographer: 'Fredrikus W. Sabini',
        source: 'Kemenperin',
        city: 'Klaten',
        dateTaken: '2026-11-20T09:15:00+07:00',
      },
    });
  });

  it('re-decodes IPTC text written as UTF-8 when the file has no XMP', async () => {
    const bytes = withoutXmp(fixture('iptc-xmp-credit.jpg'));
    expect(Buffer.from(bytes).includes('ns.adobe.com/xap')).toBe(false);
    const { prefill } = await attach('iptc-only.jpg', bytes);
    expect(prefill).toMatchObject({
      caption: 'Uji coba mobil pedesaan – Klaten, Jawa Tengah',
      credit: 'Foto : Istimewa',
      photographer: 'Fredrikus W. Sabini',
      city: 'Klaten',
      source: 'Kemenperin',
    });
  });

  it('reads the EXIF by-line and date of a photo without IPTC or XMP; caption and credit stay empty', async () => {
    const { prefill } = await attach('exif-only.jpg', fixture('exif-only.jpg'));
    expect(prefill).toEqual({ ...EMPTY, photographer: 'Kontributor Daerah', dateTaken: '2026-11-21T14:02:10+07:00' });
  });

  it('gives empty fields for a PNG and a WebP without metadata (a PNG tool date is not a date taken)', async () => {
    expect((await attach('no-metadata.png', fixture('no-metadata.png'))).prefill).toEqual(EMPTY);
    const webp = await attach('webp-photo.webp', fixture('webp-photo.webp'));
    expect(webp).toMatchObject({ mime: 'image/webp', width: 800, height: 600, prefill: EMPTY });
  });

  it('reads XMP and EXIF carried by a WebP', async () => {
    const webp = new Uint8Array(await sharp(Buffer.from(fixture('iptc-xmp-credit.jpg'))).keepMetadata().webp().toBuffer());
    const { prefill } = await attach('converted.webp', webp);
    expect(prefill).toEqual({
      caption: 'Uji coba mobil pedesaan – Klaten, Jawa Tengah',
      credit: 'Foto : Istimewa',
      photographer: 'Fredrikus W. Sabini',
      source: '', // IPTC only, and a WebP carries no IPTC
      city: 'Klaten',
      dateTaken: '2026-11-20T09:15:00+07:00',
    });
  });
});

describe('photos.attach: what is accepted and how it is stored', () => {
  it('stores the original content addressed, byte for byte, with one row and both renditions', async () => {
    const bytes = fixture('iptc-xmp-credit.jpg');
    const photo = await attach('IMG_0001.JPG', bytes);
    expect(readFileSync(originalPhotoPath(profile.dir, photo.sha256, 'jpg')).equals(Buffer.from(bytes))).toBe(true);
    expect(storedFiles()).toEqual(
      [
        join(PHOTOS_DIR, `${photo.sha256}.jpg`),
        join(RENDITIONS_DIR, `${photo.sha256}.thumb.webp`),
        join(RENDITIONS_DIR, `${photo.sha256}.web.jpg`),
      ].sort(),
    );
    expect(photoRowCount()).toBe(1);
  });

  it('knows the type by the bytes, never by the name', async () => {
    const png = await attach('looks-like.jpg', fixture('no-metadata.png'));
    expect(png.mime).toBe('image/png');
    expect(existsSync(originalPhotoPath(profile.dir, png.sha256, 'png'))).toBe(true);
    const jpeg = await attach('looks-like.webp', fixture('exif-only.jpg'));
    expect(jpeg.mime).toBe('image/jpeg');
    expect(existsSync(originalPhotoPath(profile.dir, jpeg.sha256, 'jpg'))).toBe(true);
  });

  it('stores the same photo attached to two stories once: one file, one row', async () => {
    const bytes = fixture('exif-only.jpg');
    const first = await attach('a.jpg', bytes, storyA);
    const second = await attach('copy of a.jpg', bytes.slice(), storyB);
    expect(first.alreadyStored).toBe(false);
    expect(second).toEqual({ ...first, alreadyStored: true });
    expect(storedFiles().filter((f) => !f.startsWith(RENDITIONS_DIR))).toEqual([join(PHOTOS_DIR, `${first.sha256}.jpg`)]);
    expect(photoRowCount()).toBe(1);
  });

  it('stores the same photo dropped twice at once only once', async () => {
    const bytes = fixture('exif-only.jpg');
    const both = await Promise.all([attach('a.jpg', bytes), attach('a.jpg', bytes)]);
    expect(both.map((p) => p.alreadyStored).sort()).toEqual([false, true]);
    expect(photoRowCount()).toBe(1);
  });

  it('keeps the photo and its row across a restart', async () => {
    const photo = await attach('a.jpg', fixture('iptc-xmp-credit.jpg'));
    close();
    open();
    const again = await attach('a.jpg', fixture('iptc-xmp-credit.jpg'));
    expect(again).toEqual({ ...photo, alreadyStored: true });
  });
});

describe('photos.attach: bad files are refused, nothing stored', () => {
  const BAD: Array<[string, RegExp]> = [
    ['empty.jpg', /"empty\.jpg" is empty/],
    ['not-a-photo.jpg', /"not-a-photo\.jpg" is not a JPEG, PNG, WebP or HEIC photo/],
    ['truncated.jpg', /"truncated\.jpg" is damaged or incomplete/],
  ];
  it.each(BAD)('%s → photo_invalid with a clear message; no file, no row, no temporary file', async (name, message) => {
    const error = await refusal(attach(name, fixture(name)));
    expect(error.code).toBe('photo_invalid');
    expect(error.message).toMatch(message);
    expect(storedFiles()).toEqual([]);
    expect(photoRowCount()).toBe(0);
    // Core goes on working.
    expect((await attach('ok.png', fixture('no-metadata.png'))).alreadyStored).toBe(false);
  });

  it('refuses a HEIC this computer cannot decode, and AVIF (same container, not a HEIC)', async () => {
    const ftyp = (major: string, ...compatible: string[]) => {
      const brands = [major, '\0\0\0\0', ...compatible].join('');
      const box = Buffer.alloc(8 + brands.length);
      box.writeUInt32BE(box.length, 0);
      box.write('ftyp', 4, 'latin1');
      box.write(brands, 8, 'latin1');
      return new Uint8Array(Buffer.concat([box, Buffer.alloc(200, 7)]));
    };
    const heic = await refusal(attach('IMG_1234.HEIC', ftyp('heic', 'mif1', 'heic')));
    expect(heic).toMatchObject({ code: 'photo_invalid', message: expect.stringMatching(/"IMG_1234\.HEIC" is a HEIC photo, which this computer cannot decode/) });
    const avif = await refusal(attach('x.avif', ftyp('avif', 'mif1', 'avif')));
    expect(avif).toMatchObject({ code: 'photo_invalid', message: expect.stringMatching(/not a JPEG, PNG, WebP or HEIC/) });
    expect(storedFiles()).toEqual([]);
    expect(photoRowCount()).toBe(0);
  });

  it('names only the file, not the folder it came from', async () => {
    const error = await refusal(attach('C:\\Users\\wartawan\\Desktop\\catatan.jpg', fixture('not-a-photo.jpg')));
    expect(error.message).toMatch(/^"catatan\.jpg" is not/);
    expect((await refusal(attach('', fixture('empty.jpg')))).message).toBe('The file is empty (0 bytes). Nothing was attached.');
  });

  it('refuses a photo over the size limit of the setting (default 50 MB)', async () => {
    // Over the default: refused by its size alone, before anything decodes it.
    const huge = new Uint8Array(50 * 1024 * 1024 + 1);
    huge.set([0xff, 0xd8, 0xff]);
    const tooBig = await refusal(attach('huge.jpg', huge));
    expect(tooBig.code).toBe('photo_too_large');
    expect(tooBig.message).toBe('"huge.jpg" is 50.1 MB; a photo may be at most 50 MB. Nothing was attached.');

    const photo = await noiseJpeg(1600, 1200); // about 1.5 MB of noise
    expect(photo.byteLength).toBeGreaterThan(1024 * 1024);
    expect(photo.byteLength).toBeLessThan(2 * 1024 * 1024);
    expect(await client.services.settings.set({ key: 'maxPhotoMegabytes', value: 1 })).toMatchObject({ maxPhotoMegabytes: 1 });
    const refused = await refusal(attach('besar.jpg', photo));
    expect(refused).toMatchObject({ code: 'photo_too_large', message: expect.stringMatching(/^"besar\.jpg" is 1\.\d MB; a photo may be at most 1 MB/) });
    expect(storedFiles()).toEqual([]);
    expect(photoRowCount()).toBe(0);

    await client.services.settings.set({ key: 'maxPhotoMegabytes', value: 2 });
    expect((await attach('besar.jpg', photo)).byteSize).toBe(photo.byteLength);
  });
});

describe('photos.rendition', () => {
  it('makes an upright, metadata-free web JPEG (long edge 1600) and a WebP thumbnail (long edge 320)', async () => {
    // 3000 × 2000 pixels stored sideways: EXIF orientation 6 says "turn 90° clockwise to view".
    const bytes = await noiseJpeg(3000, 2000, { orientation: 6, quality: 60 });
    const photo = await attach('sideways.jpg', bytes);
    expect([photo.width, photo.height]).toEqual([2000, 3000]);

    const web = await client.services.photos.rendition({ sha256: photo.sha256, variant: 'web' });
    expect(web.mime).toBe('image/jpeg');
    // Binary through the RPC framing (a Buffer would arrive as its JSON form, {type, data}).
    expect(web.bytes).toBeInstanceOf(Uint8Array);
    const webMeta = await sharp(Buffer.from(web.bytes)).metadata();
    expect(webMeta).toMatchObject({ format: 'jpeg', width: 1067, height: 1600 });
    expect(webMeta.orientation).toBeUndefined();
    expect(webMeta.exif).toBeUndefined();

    const thumb = await client.services.photos.rendition({ sha256: photo.sha256, variant: 'thumb' });
    expect(thumb.mime).toBe('image/webp');
    expect(await sharp(Buffer.from(thumb.bytes)).metadata()).toMatchObject({ format: 'webp', width: 213, height: 320 });

    const original = await client.services.photos.rendition({ sha256: photo.sha256, variant: 'original' });
    expect(original.mime).toBe('image/jpeg');
    expect(original.bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(original.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('handles a 12-megapixel photo', async () => {
    const bytes = await noiseJpeg(4000, 3000, { quality: 85 });
    const photo = await attach('12mp.jpg', bytes);
    expect([photo.width, photo.height]).toEqual([4000, 3000]);
    const web = await client.services.photos.rendition({ sha256: photo.sha256, variant: 'web' });
    expect(await sharp(Buffer.from(web.bytes)).metadata()).toMatchObject({ width: 1600, height: 1200 });
  });

  it('never enlarges a small photo, and flattens transparency onto white', async () => {
    const transparent = await sharp({ create: { width: 200, height: 100, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const photo = await attach('logo.png', new Uint8Array(transparent));
    const web = await client.services.photos.rendition({ sha256: photo.sha256, variant: 'web' });
    const { data, info } = await sharp(Buffer.from(web.bytes)).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([200, 100]);
    expect(data[0]).toBeGreaterThan(240);
  });

  it('makes a missing rendition again, once, from the original', async () => {
    const photo = await attach('a.jpg', fixture('iptc-xmp-credit.jpg'));
    const webPath = renditionPath(profile.dir, photo.sha256, 'web');
    const thumbPath = renditionPath(profile.dir, photo.sha256, 'thumb');
    const cached = readFileSync(webPath);
    writeFileSync(webPath, ''); // an empty cache file counts as missing too
    await import('node:fs').then((fs) => fs.rmSync(thumbPath));

    const thumbs = await Promise.all([1, 2, 3].map(() => client.services.photos.rendition({ sha256: photo.sha256, variant: 'thumb' })));
    expect(new Set(thumbs.map((t) => sha256(t.bytes))).size).toBe(1);
    expect(existsSync(thumbPath)).toBe(true);
    const web = await client.services.photos.rendition({ sha256: photo.sha256, variant: 'web' });
    expect(web.bytes.byteLength).toBeGreaterThan(0);
    expect(readFileSync(webPath).byteLength).toBe(cached.byteLength);
  });

  it('answers photo_unavailable for a photo this profile does not have', async () => {
    const unknown = 'ab'.repeat(32);
    for (const variant of ['thumb', 'web', 'original'] as const) {
      const error = await refusal(client.services.photos.rendition({ sha256: unknown, variant }));
      expect(error).toMatchObject({ code: 'photo_unavailable', message: expect.stringMatching(/not on this computer/) });
    }
  });

  it('says so clearly when the stored original was changed on disk, and a new attach repairs it', async () => {
    const bytes = fixture('iptc-xmp-credit.jpg');
    const photo = await attach('a.jpg', bytes);
    const path = originalPhotoPath(profile.dir, photo.sha256, 'jpg');
    const damaged = Buffer.from(bytes);
    damaged[5000] = damaged[5000]! ^ 0xff;
    writeFileSync(path, damaged);
    await import('node:fs').then((fs) => fs.rmSync(join(profile.dir, RENDITIONS_DIR), { recursive: true }));

    for (const variant of ['web', 'thumb', 'original'] as const) {
      const error = await refusal(client.services.photos.rendition({ sha256: photo.sha256, variant }));
      expect(error).toMatchObject({ code: 'photo_unavailable', message: expect.stringMatching(/is damaged/) });
    }
    // Left as it is (for recovery), not deleted.
    expect(readFileSync(path).equals(damaged)).toBe(true);

    const repaired = await attach('a.jpg', bytes);
    expect(repaired).toEqual({ ...photo, alreadyStored: false });
    expect(readFileSync(path).equals(Buffer.from(bytes))).toBe(true);
    expect((await client.services.photos.rendition({ sha256: photo.sha256, variant: 'thumb' })).mime).toBe('image/webp');
    expect(photoRowCount()).toBe(1);
  });
});

describe('photo store: crash safety', () => {
  it('clears temporary files a killed write left behind when core starts, and never reads them as photos', async () => {
    const photo = await attach('a.jpg', fixture('exif-only.jpg'));
    close();
    // What a kill between "write the temporary file" and "rename it" leaves: a partial file
    // beside the final names, which hold complete files or nothing.
    const bytes = fixture('iptc-xmp-credit.jpg');
    const leftoverOriginal = join(profile.dir, PHOTOS_DIR, `.${sha256(bytes)}.jpg.0123456789ab${TEMP_SUFFIX}`);
    const leftoverRendition = join(profile.dir, RENDITIONS_DIR, `.${photo.sha256}.web.jpg.ba9876543210${TEMP_SUFFIX}`);
    writeFileSync(leftoverOriginal, bytes.subarray(0, 4000));
    writeFileSync(leftoverRendition, 'half a rendition');
    open();
    expect(existsSync(leftoverOriginal)).toBe(false);
    expect(existsSync(leftoverRendition)).toBe(false);
    expect(storedFiles().some((f) => f.endsWith(TEMP_SUFFIX))).toBe(false);
    // The photo whose write was cut is simply not there yet; attaching it works.
    await expect(client.services.photos.rendition({ sha256: sha256(bytes), variant: 'web' })).rejects.toMatchObject({ code: 'photo_unavailable' });
    expect((await attach('b.jpg', bytes)).alreadyStored).toBe(false);
    expect((await attach('a.jpg', fixture('exif-only.jpg'))).alreadyStored).toBe(true);
  });
});

describe('photo store: the seam for fetching missing photos (the uploader plugs the server in)', () => {
  let other: ReturnType<typeof tempProfile>;
  let db: Database.Database;
  beforeEach(() => {
    other = tempProfile('rr-photos-other-');
    db = openDatabase(join(other.dir, DATABASE_FILE));
  });
  afterEach(() => {
    db.close();
    other.remove();
  });

  it('stores a fetched original that hashes right, and makes its renditions from it', async () => {
    const bytes = fixture('iptc-xmp-credit.jpg');
    const asked: string[] = [];
    const photos = createPhotosService({
      db,
      profileDir: other.dir,
      fetchMissing: async ({ sha256: wanted, variant }) => {
        asked.push(variant);
        return variant === 'original' && wanted === sha256(bytes) ? bytes : null;
      },
    });
    const thumb = await photos.rendition({ sha256: sha256(bytes), variant: 'thumb' });
    expect(await sharp(Buffer.from(thumb.bytes)).metadata()).toMatchObject({ format: 'webp', width: 320, height: 213 });
    // Smallest first: the thumbnail, then the web rendition, then the original.
    expect(asked).toEqual(['thumb', 'web', 'original']);
    expect(readFileSync(originalPhotoPath(other.dir, sha256(bytes), 'jpg')).equals(Buffer.from(bytes))).toBe(true);
    expect(db.prepare('SELECT mime, width, height, has_original FROM photos').get()).toEqual({ mime: 'image/jpeg', width: 1200, height: 800, has_original: 1 });
    // Cached from now on: nothing more is fetched.
    await photos.rendition({ sha256: sha256(bytes), variant: 'web' });
    await photos.rendition({ sha256: sha256(bytes), variant: 'original' });
    expect(asked).toEqual(['thumb', 'web', 'original']);
  });

  it('refuses fetched bytes that are not the photo asked for, and refuses by default', async () => {
    const bytes = fixture('iptc-xmp-credit.jpg');
    const wrong = createPhotosService({ db, profileDir: other.dir, fetchMissing: async () => fixture('exif-only.jpg').slice(0, 0) });
    await expect(wrong.rendition({ sha256: sha256(bytes), variant: 'original' })).rejects.toMatchObject({ code: 'photo_unavailable' });
    const impostor = createPhotosService({ db, profileDir: other.dir, fetchMissing: async ({ variant }) => (variant === 'original' ? fixture('exif-only.jpg') : null) });
    await expect(impostor.rendition({ sha256: sha256(bytes), variant: 'web' })).rejects.toMatchObject({ code: 'photo_unavailable' });
    const offline = createPhotosService({ db, profileDir: other.dir });
    await expect(offline.rendition({ sha256: sha256(bytes), variant: 'thumb' })).rejects.toMatchObject({ code: 'photo_unavailable' });
    expect(db.prepare('SELECT count(*) FROM photos').pluck().get()).toBe(0);
    expect(existsSync(originalPhotoPath(other.dir, sha256(bytes), 'jpg'))).toBe(false);
  });
});
