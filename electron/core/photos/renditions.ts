import type Sharp from 'sharp';
import type { Metadata } from 'sharp';
import { RENDITION_FORMAT } from './photoFiles';

/**
 * How strict decoding is: libvips stops on a truncated file and on decoder errors, but lets
 * through the warnings many real cameras' files raise ("extraneous bytes before marker"),
 * which would refuse a reporter's good photo for nothing.
 */
const FAIL_ON = 'error' as const;

export class UndecodablePhotoError extends Error {}

let loading: Promise<typeof Sharp> | undefined;

/**
 * sharp (libvips), loaded with the first photo rather than at core start: loading it takes
 * about 0.1 s, which every start of the app would pay, and a broken native install then
 * fails photo calls only, never the store of stories.
 */
export function imageLibrary(): Promise<typeof Sharp> {
  return (loading ??= import('sharp').then((module) => module.default));
}

/** The image's header: format, size, orientation and metadata blocks (nothing beyond is decoded). */
export async function imageHeader(bytes: Uint8Array): Promise<Metadata> {
  const sharp = await imageLibrary();
  return sharp(bytes).metadata();
}

export interface WebRendition {
  /** The photo as people see it (after its EXIF orientation), in pixels. */
  width: number;
  height: number;
  /** JPEG, long edge at most 1600 px, upright, no metadata. */
  web: Buffer;
}

/**
 * Decodes the whole photo once and makes its web rendition from it. This is also the check
 * that the file is a photo at all: a truncated or corrupt file fails here (a header alone,
 * as `metadata()` reads, says nothing about the rest of the file).
 */
export async function makeWebRendition(original: Buffer): Promise<WebRendition> {
  const sharp = await imageLibrary();
  try {
    const meta = await sharp(original, { failOn: FAIL_ON }).metadata();
    const { longEdge } = RENDITION_FORMAT.web;
    const web = await sharp(original, { failOn: FAIL_ON })
      .autoOrient()
      .resize({ width: longEdge, height: longEdge, fit: 'inside', withoutEnlargement: true })
      // A transparent PNG would otherwise turn black where it was see-through.
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82 })
      .toBuffer();
    return { width: meta.autoOrient.width, height: meta.autoOrient.height, web };
  } catch (error) {
    throw new UndecodablePhotoError(error instanceof Error ? error.message : String(error));
  }
}

/** WebP thumbnail (long edge at most 320 px) from the web rendition: it is upright already and far cheaper to decode. */
export async function makeThumbRendition(web: Buffer): Promise<Buffer> {
  const { longEdge } = RENDITION_FORMAT.thumb;
  const sharp = await imageLibrary();
  try {
    return await sharp(web, { failOn: FAIL_ON })
      .resize({ width: longEdge, height: longEdge, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
  } catch (error) {
    throw new UndecodablePhotoError(error instanceof Error ? error.message : String(error));
  }
}
