import { describe, expect, it } from 'vitest';
import { anySelected, parseBenchArgs, selected } from '../bench/args';
import { median, percentile, round2 } from '../bench/stats';
import { textToType } from '../bench/storyFixture';
import { paragraph, seededRandom, storyParagraphs } from '../bench/text';
import { countWords } from '../../shared/text/wordCount';

describe('bench percentiles', () => {
  it('interpolates between closest ranks', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(s, 0)).toBe(1);
    expect(percentile(s, 100)).toBe(10);
    expect(percentile(s, 50)).toBe(5.5);
    expect(percentile(s, 95)).toBeCloseTo(9.55, 10);
  });
  it('does not depend on input order and does not reorder the input', () => {
    const s = [9, 1, 5, 3, 7];
    expect(median(s)).toBe(5);
    expect(s).toEqual([9, 1, 5, 3, 7]);
    expect(percentile([42], 95)).toBe(42);
  });
  it('refuses an empty sample or a percentile out of range', () => {
    expect(() => percentile([], 50)).toThrow();
    expect(() => percentile([1], 101)).toThrow();
    expect(() => percentile([1], Number.NaN)).toThrow();
  });
  it('rounds to hundredths', () => {
    expect(round2(5.6789)).toBe(5.68);
  });
});

describe('bench arguments', () => {
  it('reads --out and --only in both spellings', () => {
    expect(parseBenchArgs([])).toEqual({ out: null, only: null });
    expect(parseBenchArgs(['--out', 'r.json', '--only', 'keystroke.'])).toEqual({ out: 'r.json', only: 'keystroke.' });
    expect(parseBenchArgs(['--out=r.json', '--only=open'])).toEqual({ out: 'r.json', only: 'open' });
  });
  it('rejects unknown flags and missing values', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown argument/);
    expect(() => parseBenchArgs(['--out'])).toThrow(/needs a value/);
    expect(() => parseBenchArgs(['--out', '--only', 'x'])).toThrow(/needs a value/);
  });
  it('selects ids by prefix', () => {
    expect(selected('open.app.ms', null)).toBe(true);
    expect(selected('open.app.ms', 'open.')).toBe(true);
    expect(selected('open.app.ms', 'keystroke')).toBe(false);
    expect(anySelected(['start.list10k.ms', 'search.10k.ms'], 'search')).toBe(true);
    expect(anySelected(['start.list10k.ms', 'search.10k.ms'], 'sync')).toBe(false);
  });
});

describe('bench text', () => {
  it('is the same for the same seed', () => {
    expect(storyParagraphs(7, 500, 49)).toEqual(storyParagraphs(7, 500, 49));
    expect(paragraph(seededRandom(1), 30)).not.toEqual(paragraph(seededRandom(2), 30));
  });
  it('has exactly the words asked for, as the app counts them', () => {
    const body = storyParagraphs(20_000, 20_000, 49);
    expect(countWords(body.join('\n\n'))).toBe(20_000);
    expect(body.length).toBe(409);
  });
  it('types only characters of a US keyboard (each must send a real keydown)', () => {
    const text = textToType();
    expect(text).toHaveLength(200);
    expect(text).toMatch(/^[A-Za-z0-9 ,.-]+$/);
  });
});
