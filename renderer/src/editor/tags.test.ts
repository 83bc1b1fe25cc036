import { describe, expect, it } from 'vitest';
import { formatTags, MAX_TAG_LENGTH, parseTags, sameTags } from './tags';

describe('parseTags', () => {
  it('splits on commas, trims and drops empty entries', () => {
    expect(parseTags(' ekonomi,otomotif , , industri ,')).toEqual(['ekonomi', 'otomotif', 'industri']);
  });
  it('keeps multi-word tags and collapses their spaces', () => {
    expect(parseTags('mobil  listrik,  Jawa   Barat')).toEqual(['mobil listrik', 'Jawa Barat']);
  });
  it('removes case-insensitive duplicates, keeping the first spelling and the order', () => {
    expect(parseTags('Otomotif, ekonomi, otomotif, EKONOMI')).toEqual(['Otomotif', 'ekonomi']);
  });
  it('accepts semicolons and newlines as separators too', () => {
    expect(parseTags('a;b\nc')).toEqual(['a', 'b', 'c']);
  });
  it('cuts overlong tags', () => {
    expect(parseTags('x'.repeat(100))[0]).toHaveLength(MAX_TAG_LENGTH);
  });
  it('round-trips through formatTags', () => {
    const tags = ['ekonomi', 'mobil listrik'];
    expect(parseTags(formatTags(tags))).toEqual(tags);
    expect(formatTags(tags)).toBe('ekonomi, mobil listrik');
  });
  it('returns [] for blank input', () => {
    expect(parseTags('  , ')).toEqual([]);
  });
});

describe('sameTags', () => {
  it('compares order and spelling', () => {
    expect(sameTags(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameTags(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameTags(['a'], ['a', 'b'])).toBe(false);
  });
});
