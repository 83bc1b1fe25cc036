import { describe, expect, it } from 'vitest';
import { countWords } from './wordCount';

describe('countWords (Indonesian)', () => {
  it('counts plain words and ignores punctuation', () => {
    expect(countWords('JAKARTA - Kementerian Perindustrian (Kemenperin) mendorong industri otomotif.')).toBe(7);
  });
  it('treats hyphenated reduplication as one word', () => {
    expect(countWords('anak-anak bermain di tepi sungai, sayur-mayur dijual murah')).toBe(8);
  });
  it('keeps numbers with separators whole', () => {
    expect(countWords('Harga naik 3,5 persen menjadi Rp10.000 per kilogram pada 2026.')).toBe(10);
  });
  it('counts elisions and diacritics as single words', () => {
    expect(countWords("Salat Jum'at di Masjid Istiqlal, kata Ma’ruf")).toBe(7);
    expect(countWords('café résumé naïve')).toBe(3);
  });
  it('is zero for empty or symbol-only text', () => {
    expect(countWords('')).toBe(0);
    expect(countWords(' — … -- !!! ')).toBe(0);
  });
  it('counts across line breaks and page breaks', () => {
    expect(countWords('Paragraf satu.\n\nParagraf dua\nbaris baru.')).toBe(6);
  });
});
