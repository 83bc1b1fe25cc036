import { describe, expect, it } from 'vitest';
import { toFtsQuery } from './ftsQuery';

describe('toFtsQuery', () => {
  it('makes every word a quoted prefix term, ANDed', () => {
    expect(toFtsQuery('Harga  Cabai')).toBe('"harga"* AND "cabai"*');
  });
  it('turns operators and syntax into plain words or nothing', () => {
    expect(toFtsQuery('a NEAR b')).toBe('"a"* AND "near"* AND "b"*');
    expect(toFtsQuery('"kata" OR (x*) headline:y -z ^w')).toBe('"kata"* AND "or"* AND "x"* AND "headline"* AND "y"* AND "z"* AND "w"*');
    expect(toFtsQuery('" * ( ) : ^ -')).toBeNull();
    expect(toFtsQuery('')).toBeNull();
  });
  it('splits like the unicode61 tokenizer and keeps letters with diacritics', () => {
    expect(toFtsQuery("anak-anak Jum'at café")).toBe('"anak"* AND "jum"* AND "at"* AND "café"*');
  });
});
