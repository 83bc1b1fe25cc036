import { describe, expect, it } from 'vitest';
import { iptcText, newsroomCredit, prefillFromBlocks } from './photoMetadata';
import { sniffPhotoMime } from './sniffPhoto';

describe('newsroomCredit: the credit in the form "Foto : …"', () => {
  it.each([
    ['Istimewa', '', 'Foto : Istimewa'],
    ['Istimewa', 'Fredrikus W. Sabini', 'Foto : Istimewa'],
    ['Foto: ANTARA/Budi', '', 'Foto : ANTARA/Budi'],
    ['FOTO : Istimewa', '', 'Foto : Istimewa'],
    ['foto:Humas Pemkab Klaten', '', 'Foto : Humas Pemkab Klaten'],
    ['ANTARA FOTO', 'Budi Santoso', 'Foto : ANTARA/Budi Santoso'],
    ['antara', 'Budi Santoso', 'Foto : ANTARA/Budi Santoso'],
    ['ANTARA', '', 'Foto : ANTARA'],
    ['ANTARA/Sigid Kurniawan', 'Sigid Kurniawan', 'Foto : ANTARA/Sigid Kurniawan'],
    ['Koran Jakarta', 'Rama', 'Foto : Koran Jakarta/Rama'],
    ['', 'Rama', ''],
    ['Foto :', 'Rama', ''],
  ])('%j (by-line %j) → %j', (credit, photographer, expected) => {
    expect(newsroomCredit(credit, photographer)).toBe(expected);
  });
});

describe('iptcText: IPTC text exifr decoded as Latin-1', () => {
  it('re-decodes UTF-8 bytes', () => {
    expect(iptcText('Uji coba \u00e2\u0080\u0093 Klaten')).toBe('Uji coba – Klaten');
    expect(iptcText('Jalan Raya \u00c3\u00a9')).toBe('Jalan Raya é');
  });
  it('keeps text that really was Latin-1 (its bytes are not UTF-8)', () => {
    expect(iptcText('Caf\u00e9 Batavia')).toBe('Café Batavia');
  });
  it('trims, drops control characters and takes the first of repeated fields', () => {
    expect(iptcText(['  Klaten\u0000 ', 'Solo'])).toBe('Klaten');
    expect(iptcText(42)).toBe('');
  });
});

describe('prefillFromBlocks', () => {
  it('prefers XMP to IPTC to EXIF, and reads language alternatives and lists', () => {
    const prefill = prefillFromBlocks({
      dc: { creator: ['Andi', 'Budi'], description: [{ lang: 'en', value: 'Rice field' }, { lang: 'x-default', value: 'Sawah' }] },
      iptc: { Byline: 'Iptc Name', Caption: 'Iptc caption', City: 'Klaten' },
      ifd0: { Artist: 'Exif Name', ImageDescription: 'Exif caption' },
    });
    expect(prefill).toMatchObject({ photographer: 'Andi', caption: 'Sawah', city: 'Klaten' });
  });

  it('ignores the text cameras write into every photo', () => {
    expect(prefillFromBlocks({ ifd0: { ImageDescription: 'OLYMPUS DIGITAL CAMERA         ' } }).caption).toBe('');
  });

  it.each([
    ['EXIF with offset', { exif: { DateTimeOriginal: '2026:11:20 09:15:00', OffsetTimeOriginal: '+07:00' } }, '2026-11-20T09:15:00+07:00'],
    ['EXIF without offset (never moved into this machine’s zone)', { exif: { DateTimeOriginal: '2026:11:20 09:15:00' } }, '2026-11-20T09:15:00'],
    ['EXIF unset', { exif: { DateTimeOriginal: '0000:00:00 00:00:00' } }, null],
    ['XMP photoshop:DateCreated', { photoshop: { DateCreated: '2026-11-20T09:15:00+07:00' } }, '2026-11-20T09:15:00+07:00'],
    ['XMP date only', { photoshop: { DateCreated: '2026-11-20' } }, '2026-11-20'],
    ['IPTC date and time', { iptc: { DateCreated: '20261120', TimeCreated: '091500+0700' } }, '2026-11-20T09:15:00+07:00'],
    ['IPTC date only', { iptc: { DateCreated: '20261120' } }, '2026-11-20'],
    ['EXIF digitised date as the last resort', { exif: { CreateDate: '2026:11:20 10:00:00', OffsetTimeDigitized: '+0800' } }, '2026-11-20T10:00:00+08:00'],
    ['garbage', { exif: { DateTimeOriginal: 'yesterday' }, iptc: { DateCreated: 'soon' } }, null],
  ])('date taken from %s', (_what, blocks, expected) => {
    expect(prefillFromBlocks(blocks).dateTaken).toBe(expected);
  });
});

describe('sniffPhotoMime', () => {
  const bytes = (...parts: Array<string | number[]>) =>
    new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));
  it.each([
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'],
    ['PNG', bytes([0x89], 'PNG\r\n\x1a\n'), 'image/png'],
    ['WebP', bytes('RIFF', [1, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['HEIC (major brand)', bytes([0, 0, 0, 24], 'ftypheic', [0, 0, 0, 0], 'mif1heic'), 'image/heic'],
    ['HEIC (compatible brand)', bytes([0, 0, 0, 24], 'ftypmif1', [0, 0, 0, 0], 'mif1heic'), 'image/heic'],
    ['AVIF', bytes([0, 0, 0, 24], 'ftypavif', [0, 0, 0, 0], 'mif1avif'), null],
    ['RIFF that is not WebP', bytes('RIFF', [1, 0, 0, 0], 'WAVEfmt '), null],
    ['GIF', bytes('GIF89a'), null],
    ['text', bytes('Ini bukan foto'), null],
    ['two bytes of JPEG', bytes([0xff, 0xd8]), null],
    ['nothing', bytes(), null],
  ])('%s', (_what, input, expected) => {
    expect(sniffPhotoMime(input)).toBe(expected);
  });
});
