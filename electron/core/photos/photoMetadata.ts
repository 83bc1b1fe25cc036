import * as exifrModule from 'exifr';
import { CREDIT_PRESETS, type PhotoMime, type PhotoPrefill } from '../../../shared/domain/photo';
import { imageHeader } from './renditions';

type Exifr = Pick<typeof exifrModule, 'parse' | 'sidecar'>;
/**
 * exifr ships two builds: bundlers (Vite, esbuild) pick its ESM build, whose named exports are
 * complete but whose default export lacks `sidecar`; Node's own ESM loader (Playwright's test
 * runner loading core) gets the UMD build, whose only export is the default, holding everything.
 */
const exifr: Exifr = typeof exifrModule.sidecar === 'function' ? exifrModule : (exifrModule as unknown as { default: Exifr }).default;
const parseMetadata: Exifr['parse'] = (...args) => exifr.parse(...args);
const parseSidecar: Exifr['sidecar'] = (...args) => exifr.sidecar(...args);

export const EMPTY_PREFILL: PhotoPrefill = { caption: '', credit: '', photographer: '', source: '', city: '', dateTaken: null };

/**
 * exifr's output with `mergeOutput: false`: one object per block (`ifd0`, `exif`, `iptc`) and
 * per XMP namespace (`dc`, `photoshop`, `xmp`, `exif`…), values as stored (`reviveValues: false`).
 */
export type MetadataBlocks = Record<string, Record<string, unknown> | undefined>;

const EXIFR_OPTIONS = {
  tiff: true,
  exif: true,
  gps: false,
  interop: false,
  ifd1: false,
  xmp: true,
  iptc: true,
  icc: false,
  jfif: false,
  ihdr: false,
  // Dates as written (exifr would turn them into Dates in this machine's time zone, losing the offset).
  reviveValues: false,
  translateValues: false,
  translateKeys: true,
  mergeOutput: false,
  multiSegment: true,
} as const;

/**
 * Reads caption, credit, by-line, source, city and date taken from the photo's IPTC, XMP and
 * EXIF fields. Metadata is a courtesy: a photo whose metadata does not parse is still a
 * photo, so any failure here gives empty fields, never a refusal.
 */
export async function readPhotoPrefill(bytes: Buffer, mime: PhotoMime): Promise<PhotoPrefill> {
  try {
    return prefillFromBlocks(await readBlocks(bytes, mime));
  } catch {
    return { ...EMPTY_PREFILL };
  }
}

async function readBlocks(bytes: Buffer, mime: PhotoMime): Promise<MetadataBlocks> {
  // exifr reads JPEG, PNG and HEIC itself (given a Buffer, so it sees every XMP segment).
  if (mime !== 'image/webp') return ((await parseMetadata(bytes, EXIFR_OPTIONS)) as MetadataBlocks | undefined) ?? {};
  // exifr does not know WebP: libvips hands over the EXIF, XMP and IPTC chunks it found.
  const meta = await imageHeader(bytes);
  const blocks: MetadataBlocks = {};
  const merge = (part: unknown) => {
    if (!part || typeof part !== 'object') return;
    for (const [key, value] of Object.entries(part as MetadataBlocks)) blocks[key] = { ...blocks[key], ...value };
  };
  // The EXIF chunk is a TIFF structure, sometimes behind JPEG's "Exif\0\0" marker.
  if (meta.exif) merge(await parseMetadata(stripExifMarker(meta.exif), EXIFR_OPTIONS).catch(() => undefined));
  if (meta.xmp) merge(await parseSidecar(meta.xmp, EXIFR_OPTIONS, 'xmp').catch(() => undefined));
  if (meta.iptc) blocks.iptc = (await parseSidecar(meta.iptc, EXIFR_OPTIONS, 'iptc').catch(() => undefined)) as Record<string, unknown>;
  return blocks;
}

function stripExifMarker(exif: Buffer): Buffer {
  return exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
}

/**
 * The pre-filled fields, each from the first source that has it. XMP comes first (always
 * UTF-8, and what current tools write), then IPTC (re-decoded: see `iptcText`), then EXIF.
 */
export function prefillFromBlocks(blocks: MetadataBlocks): PhotoPrefill {
  const xmpDc = blocks.dc ?? {};
  const xmpPhotoshop = blocks.photoshop ?? {};
  const iptc = blocks.iptc ?? {};
  const ifd0 = blocks.ifd0 ?? {};

  const photographer = first(langText(xmpDc.creator), iptcText(iptc.Byline), cameraText(ifd0.Artist));
  return {
    caption: first(langText(xmpDc.description), iptcText(iptc.Caption), cameraText(ifd0.ImageDescription)),
    credit: newsroomCredit(first(langText(xmpPhotoshop.Credit), iptcText(iptc.Credit)), photographer),
    photographer,
    source: first(langText(xmpPhotoshop.Source), iptcText(iptc.Source)),
    city: first(langText(xmpPhotoshop.City), iptcText(iptc.City)),
    dateTaken: dateTaken(blocks),
  };
}

/** Agencies whose credit names the photographer: the presets that end with "/" ("Foto : ANTARA/"). */
const AGENCY_PRESETS = CREDIT_PRESETS.filter((p) => p.endsWith('/'));
const CREDIT_PREFIX = /^foto\s*[:：]\s*/i;

/**
 * Credit in the newsroom's form, `Foto : <credit>`. Files carry the bare credit ("Istimewa",
 * "ANTARA FOTO"); the caption line under a printed photo reads "Foto : Istimewa", so that is
 * what is pre-filled. A credit already written as "Foto: X" / "FOTO : X" is normalised to
 * "Foto : X". An agency of the presets (ANTARA, Koran Jakarta; "ANTARA FOTO" counts as ANTARA)
 * without a name gets the by-line: "Foto : ANTARA/<by-line>". No credit stays empty (the UI
 * warns `photo-missing-credit`): a credit is a claim about rights, never guessed.
 */
export function newsroomCredit(raw: string, photographer: string): string {
  const bare = raw.replace(CREDIT_PREFIX, '').trim();
  if (!bare) return '';
  const agency = AGENCY_PRESETS.find((preset) => {
    const name = preset.replace(CREDIT_PREFIX, '').replace(/\/$/, '').toLowerCase();
    const credit = bare.toLowerCase();
    return credit === name || credit === `${name} foto`;
  });
  if (agency && photographer) return `${agency}${photographer}`;
  return `Foto : ${bare}`;
}

function first(...values: string[]): string {
  return values.find((v) => v !== '') ?? '';
}

/** Text as people read it: NFC, no control characters, single spaces, trimmed. */
function clean(value: string): string {
  return value.normalize('NFC').replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * An XMP value: a string, a language alternative (`{lang, value}`, or several: x-default
 * first), or an ordered list (dc:creator), of which the first entry counts.
 */
function langText(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return clean(String(value));
  if (Array.isArray(value)) {
    const preferred = value.find((v) => isLangValue(v) && v.lang === 'x-default') ?? value[0];
    return langText(preferred);
  }
  if (isLangValue(value)) return langText(value.value);
  return '';
}

function isLangValue(v: unknown): v is { lang?: string; value: unknown } {
  return typeof v === 'object' && v !== null && 'value' in v;
}

/**
 * exifr decodes IPTC text as Latin-1 even when the file says UTF-8 (as every current tool
 * writes it): "–" arrives as "â\u0080\u0093". When the Latin-1 string's bytes form valid UTF-8
 * with at least one multi-byte sequence, they were UTF-8; otherwise it really was Latin-1.
 */
export function iptcText(value: unknown): string {
  if (Array.isArray(value)) return iptcText(value[0]);
  if (typeof value !== 'string') return '';
  let text = value;
  if (/[\u0080-\u00ff]/.test(value) && !/[^\u0000-\u00ff]/.test(value)) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value, 'latin1'));
    } catch {
      text = value;
    }
  }
  return clean(text);
}

/** Text some cameras write in every file; it describes nothing. */
const CAMERA_BOILERPLATE = /^(olympus digital camera|sony dsc|digital camera|default|camera|image|picture|untitled|minolta dsc|kodak digital still camera|samsung digital camera|ricoh digital camera)$/i;

function cameraText(value: unknown): string {
  const text = iptcText(value);
  return CAMERA_BOILERPLATE.test(text) ? '' : text;
}

/**
 * When the photo was taken, as the camera wrote it, with its offset when the file has one:
 * "2026-11-20T09:15:00+07:00" (or "2026-11-20T09:15:00" without an offset; never converted to
 * this machine's zone). EXIF's original date first (the camera's clock), then XMP, then IPTC,
 * then EXIF's digitised date.
 */
function dateTaken(blocks: MetadataBlocks): string | null {
  const exif = blocks.exif ?? {};
  const xmpPhotoshop = blocks.photoshop ?? {};
  const xmpBasic = blocks.xmp ?? {};
  const iptc = blocks.iptc ?? {};
  return (
    exifDate(exif.DateTimeOriginal, exif.OffsetTimeOriginal ?? exif.OffsetTime) ??
    isoDate(xmpPhotoshop.DateCreated) ??
    iptcDate(iptc.DateCreated, iptc.TimeCreated) ??
    exifDate(exif.CreateDate ?? exif.DateTimeDigitized, exif.OffsetTimeDigitized ?? exif.OffsetTime) ??
    isoDate(xmpBasic.CreateDate)
  );
}

const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

function offsetOf(value: unknown): string {
  if (typeof value !== 'string') return '';
  const text = value.trim();
  if (text === 'Z') return 'Z';
  const m = OFFSET.exec(text);
  return m && Number(m[2]) <= 14 && Number(m[3]) < 60 ? `${m[1]}${m[2]}:${m[3]}` : '';
}

/** EXIF "YYYY:MM:DD HH:MM:SS" (XMP's exif:DateTimeOriginal, merged into the same block, is ISO). */
function exifDate(value: unknown, offset: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(value.trim());
  if (!m) return isoDate(value);
  return validDate(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6] ?? '00', offsetOf(offset));
}

/** XMP dates are ISO 8601 already ("2026-11-20T09:15:00+07:00", or just "2026-11-20"). */
function isoDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  if (!m) return null;
  if (m[4] === undefined) return validDay(m[1]!, m[2]!, m[3]!);
  return validDate(m[1]!, m[2]!, m[3]!, m[4], m[5]!, m[6] ?? '00', offsetOf(m[7]));
}

/** IPTC DateCreated "CCYYMMDD" and TimeCreated "HHMMSS±HHMM". */
function iptcDate(date: unknown, time: unknown): string | null {
  if (typeof date !== 'string') return null;
  const d = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(date.trim());
  if (!d) return null;
  const t = typeof time === 'string' ? /^(\d{2}):?(\d{2}):?(\d{2})([+-]\d{2}:?\d{2}|Z)?$/.exec(time.trim()) : null;
  if (!t) return validDay(d[1]!, d[2]!, d[3]!);
  return validDate(d[1]!, d[2]!, d[3]!, t[1]!, t[2]!, t[3]!, offsetOf(t[4]));
}

function validDay(y: string, mo: string, d: string): string | null {
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1826 || month < 1 || month > 12 || day < 1 || day > 31) return null; // "0000:00:00" = unset
  return `${y}-${mo}-${d}`;
}

function validDate(y: string, mo: string, d: string, h: string, mi: string, s: string, offset: string): string | null {
  const day = validDay(y, mo, d);
  if (!day || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return null;
  return `${day}T${h}:${mi}:${s}${offset}`;
}
