import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './base64';

describe('base64', () => {
  it('matches standard base64 for every length remainder', () => {
    for (const len of [0, 1, 2, 3, 4, 5, 255, 256, 7000, 70_001]) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + len) & 0xff);
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    }
  });

  it('refuses characters outside the alphabet', () => {
    expect(() => fromBase64('ab$d')).toThrow();
  });
});
