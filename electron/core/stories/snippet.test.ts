import { describe, expect, it } from 'vitest';
import { makeSnippet } from './snippet';

describe('makeSnippet', () => {
  it('marks prefix matches, ignoring case and diacritics, around the first hit', () => {
    const text = 'Satu dua tiga empat lima enam tujuh Harga cabai melonjak di pasar, harga bawang juga.';
    expect(makeSnippet([text], ['harg'], 6, 2)).toBe('…enam tujuh [[Harga]] cabai melonjak di…');
    expect(makeSnippet(['Le café résumé'], ['resume'])).toBe('Le café [[résumé]]');
  });
  it('falls back to the next text and gives nothing without a match', () => {
    expect(makeSnippet(['tanpa hasil', 'Banjir Jakarta'], ['banjir'])).toBe('[[Banjir]] Jakarta');
    expect(makeSnippet(['tanpa hasil'], ['banjir'])).toBe('');
  });
});
