import { describe, expect, it } from 'vitest';
import { applyTextEdit, diffText, transformIndex, transformRange, type DeltaOp } from './textDiff';

const roundTrip = (before: string, after: string) => {
  const edit = diffText(before, after);
  expect(edit === null ? before : applyTextEdit(before, edit)).toBe(after);
  return edit;
};

const hasLoneSurrogate = (s: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('diffText', () => {
  it('gives nothing for equal strings', () => {
    expect(diffText('Harga beras naik', 'Harga beras naik')).toBeNull();
    expect(diffText('', '')).toBeNull();
  });

  it('turns one typed character into a one-character insert', () => {
    expect(roundTrip('Harga beras nai', 'Harga beras naik')).toEqual({ index: 15, deleteCount: 0, insert: 'k' });
    expect(roundTrip('Harga naik', 'Harga beras naik')).toEqual({ index: 6, deleteCount: 0, insert: 'beras ' });
  });

  it('turns a deletion into a delete of exactly those characters', () => {
    expect(roundTrip('Harga beras naik tajam', 'Harga beras naik')).toEqual({ index: 16, deleteCount: 6, insert: '' });
    expect(roundTrip('Pemerintah', '')).toEqual({ index: 0, deleteCount: 10, insert: '' });
  });

  it('replaces a selection with the text typed over it', () => {
    expect(roundTrip('Harga cabai turun', 'Harga cabai melonjak')).toEqual({ index: 12, deleteCount: 5, insert: 'melonjak' });
  });

  it('picks one edit for repeated letters (insert inside "ll" or "aa")', () => {
    expect(roundTrip('Jakarta', 'Jakaarta')).toEqual({ index: 4, deleteCount: 0, insert: 'a' });
    expect(roundTrip('tanggal', 'tangggal')?.insert).toBe('g');
  });

  it('handles Indonesian text with accents and combining marks as units', () => {
    roundTrip('Kafe di Cikini', 'Kafé di Cikini');
    roundTrip('Kafe\u0301 di Cikini', 'Kafe di Cikini');
    expect(roundTrip('Pak RT bilang', 'Pak RT bilang, “sudah surut”')).toEqual({ index: 13, deleteCount: 0, insert: ', “sudah surut”' });
  });

  it('never cuts an emoji in half', () => {
    // 😀 = D83D DE00 and 😃 = D83D DE03 share their high surrogate.
    const edit = roundTrip('Senang 😀 sekali', 'Senang 😃 sekali')!;
    expect(edit).toEqual({ index: 7, deleteCount: 2, insert: '😃' });
    expect(hasLoneSurrogate(edit.insert)).toBe(false);
    // 🇮🇩 is two pairs; the second pair changes (🇮🇩 → 🇮🇪): only whole pairs move.
    const flag = roundTrip('Bendera 🇮🇩', 'Bendera 🇮🇪')!;
    expect(hasLoneSurrogate(flag.insert)).toBe(false);
    expect(flag.index % 2).toBe(0); // 'Bendera ' is 8 units; pairs start at even offsets here
    // Same low surrogate, different high one: 𝄞 (D834 DD1E) vs 🄞 (D83C DD1E).
    const clef = roundTrip('a𝄞b', 'a🄞b')!;
    expect(clef).toEqual({ index: 1, deleteCount: 2, insert: '🄞' });
    // Typing an emoji next to an emoji.
    expect(roundTrip('😀', '😀😀')).toEqual({ index: 2, deleteCount: 0, insert: '😀' });
  });

  it('always round-trips and never leaves half a pair in the edit (many random cases)', () => {
    const alphabet = ['a', 'b', ' ', 'é', '😀', '😃', '🇮', '🇩', '𝄞', 'ñ'];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const word = () => Array.from({ length: Math.floor(rand() * 8) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    for (let i = 0; i < 2000; i++) {
      const before = word();
      const after = word();
      const edit = roundTrip(before, after);
      if (edit) {
        expect(hasLoneSurrogate(edit.insert)).toBe(false);
        expect(hasLoneSurrogate(before.slice(edit.index, edit.index + edit.deleteCount))).toBe(false);
      }
    }
  });
});

describe('transformIndex / transformRange', () => {
  // "Harga beras" → remote inserts "Kenaikan " at 0 and deletes "beras" → "Kenaikan Harga "
  const delta: DeltaOp[] = [{ insert: 'Kenaikan ' }, { retain: 6 }, { delete: 5 }];

  it('moves a caret by what changed before it', () => {
    expect(transformIndex(0, delta)).toBe(0); // an insert exactly at the caret goes after it
    expect(transformIndex(3, delta)).toBe(12);
    expect(transformIndex(6, delta)).toBe(15);
    expect(transformIndex(8, delta)).toBe(15); // inside the deleted word: its start
    expect(transformIndex(11, delta)).toBe(15);
    expect(transformIndex(4, [{ retain: 4 }, { insert: 'x' }])).toBe(4);
    expect(transformIndex(5, [{ retain: 4 }, { insert: 'xy' }])).toBe(7);
  });

  it('maps a range to the pieces that still exist, leaving out text inserted inside it', () => {
    expect(transformRange({ start: 0, end: 6 }, delta)).toEqual([{ start: 9, end: 15 }]);
    expect(transformRange({ start: 4, end: 11 }, delta)).toEqual([{ start: 13, end: 15 }]);
    expect(transformRange({ start: 2, end: 8 }, [{ retain: 4 }, { insert: 'XYZ' }])).toEqual([
      { start: 2, end: 4 },
      { start: 7, end: 11 },
    ]);
    expect(transformRange({ start: 6, end: 11 }, delta)).toEqual([]);
  });
});
