import type { PhotoMime } from '../../../shared/domain/photo';

/**
 * The photo type a file's first bytes declare (its magic number), or null for anything core
 * does not accept. The file's name is never consulted: a PNG named `.jpg` is a PNG, a text
 * file named `.jpg` is refused.
 */
export function sniffPhotoMime(bytes: Uint8Array): PhotoMime | null {
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'image/webp';
  if (isHeic(bytes)) return 'image/heic';
  return null;
}

/** ISO-BMFF brands of HEVC-coded HEIF (HEIC). AVIF shares the container but is not accepted. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);

/**
 * An ISO-BMFF file whose `ftyp` box names a HEIC brand, major or compatible. `mif1`/`msf1`
 * alone are generic HEIF (AVIF uses them too), so they do not count.
 */
function isHeic(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== 'ftyp') return false;
  const boxSize = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const end = Math.min(boxSize, bytes.length, 4096);
  if (HEIC_BRANDS.has(ascii(bytes, 8, 4))) return true;
  // Compatible brands follow the major brand (4) and minor version (4).
  for (let at = 16; at + 4 <= end; at += 4) if (HEIC_BRANDS.has(ascii(bytes, at, 4))) return true;
  return false;
}

function startsWith(bytes: Uint8Array, at: number, magic: readonly number[]): boolean {
  return bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  if (bytes.length < at + length) return '';
  return String.fromCharCode(...bytes.subarray(at, at + length));
}
