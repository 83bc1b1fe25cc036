import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeMetaText } from '../../../shared/doc/metaText';
import { getMetaMap, getMetaText, readMeta } from '../../../shared/doc/storyDoc';
import { FakeInput } from '../../../tests/support/fakeTextField';
import { META_FIELD_ORIGIN, MetaTextBinding } from './metaTextBinding';

function bound(doc: Y.Doc, field: 'headline' | 'lead' = 'lead') {
  const input = new FakeInput();
  const binding = new MetaTextBinding(doc, field, input, () => true);
  /** Types character by character, one input event each, like a keyboard. */
  const typeText = (s: string) => {
    for (const ch of Array.from(s)) {
      input.type(ch);
      binding.input();
    }
  };
  return { input, binding, typeText };
}

function exchange(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB, 'remote');
  Y.applyUpdate(a, toA, 'remote');
}

function twoClients(lead: string) {
  const a = new Y.Doc();
  writeMetaText(a, 'lead', lead);
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return { a, b };
}

describe('MetaTextBinding', () => {
  it('two people typing into the same lead offline both keep their words, and each caret stays put', () => {
    const { a, b } = twoClients('Harga beras naik.');
    const fieldA = bound(a);
    const fieldB = bound(b);
    expect(fieldA.input.value).toBe('Harga beras naik.');

    // A adds a word before the full stop; B adds one at the start.
    fieldA.input.setSelectionRange(16, 16);
    fieldA.typeText(' tajam');
    fieldB.input.setSelectionRange(0, 0);
    fieldB.typeText('Kemarin ');
    fieldB.input.setSelectionRange(8, 9);
    fieldB.typeText('h'); // lower-cases "Harga"

    exchange(a, b);
    const both = 'Kemarin harga beras naik tajam.';
    expect(readMeta(a).lead).toBe(both);
    expect(readMeta(b).lead).toBe(both);
    expect(fieldA.input.value).toBe(both);
    expect(fieldB.input.value).toBe(both);
    // A's caret was after "tajam": it moved right by B's 8 characters.
    expect(fieldA.input.selectionStart).toBe(16 + 6 + 8);
    // B's caret was after "h" (index 9): A's insert is later in the text, so it stays.
    expect(fieldB.input.selectionStart).toBe(9);
    expect(Y.encodeStateAsUpdate(a)).toEqual(Y.encodeStateAsUpdate(b));
  });

  it('sends a keystroke as a one-character change, not a rewrite of the field', () => {
    const { a } = twoClients('Harga beras naik');
    const { typeText, input, binding } = bound(a);
    const deltas: unknown[] = [];
    getMetaText(a, 'lead').observe((e, tr) => {
      expect(tr.origin).toBe(META_FIELD_ORIGIN);
      deltas.push(e.delta);
    });
    input.setSelectionRange(16, 16);
    typeText('!');
    input.backspace();
    binding.input();
    expect(deltas).toEqual([[{ retain: 16 }, { insert: '!' }], [{ retain: 16 }, { delete: 1 }]]);
  });

  it('keeps emoji and Indonesian text whole', () => {
    const { a, b } = twoClients('Warga senang 😀');
    const fieldA = bound(a);
    fieldA.input.setSelectionRange(13, 15);
    fieldA.typeText('😃');
    const fieldB = bound(b);
    fieldB.input.setSelectionRange(0, 0);
    fieldB.typeText('Akhirnya, ');
    exchange(a, b);
    expect(fieldA.input.value).toBe('Akhirnya, Warga senang 😃');
    expect(fieldB.input.value).toBe('Akhirnya, Warga senang 😃');
    expect(fieldA.input.value).not.toContain('\uFFFD');
  });

  it('leaves the field alone during IME composition and merges the composed text afterwards', () => {
    const { a, b } = twoClients('Berita: ');
    const fieldA = bound(a);
    const writesBefore = fieldA.input.writes;
    fieldA.input.setSelectionRange(8, 8);
    fieldA.binding.compositionStart();
    fieldA.input.type('k'); // the input method's preview ...
    fieldA.binding.input();
    fieldA.input.setSelectionRange(8, 9);
    fieldA.input.type('か'); // ... replaced by the composed character
    fieldA.binding.input();
    expect(getMetaText(a, 'lead').toString()).toBe('Berita: '); // nothing committed mid-composition

    // Meanwhile the other person's edit arrives.
    const fieldB = bound(b);
    fieldB.input.setSelectionRange(0, 0);
    fieldB.typeText('Baru! ');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'remote');
    expect(fieldA.input.writes).toBe(writesBefore); // the composition was not disturbed

    fieldA.binding.compositionEnd();
    expect(getMetaText(a, 'lead').toString()).toBe('Baru! Berita: か');
    expect(fieldA.input.value).toBe('Baru! Berita: か');
    exchange(a, b);
    expect(fieldB.input.value).toBe('Baru! Berita: か');
  });

  it('a deletion made against an older text keeps words inserted into that range meanwhile', () => {
    const { a, b } = twoClients('satu dua tiga');
    const fieldA = bound(a);
    fieldA.input.setSelectionRange(4, 8);
    fieldA.binding.compositionStart();
    fieldA.input.type(''); // " dua" selected and removed while composing
    const fieldB = bound(b);
    fieldB.input.setSelectionRange(6, 6);
    fieldB.typeText('X');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'remote');
    fieldA.binding.compositionEnd();
    // " dua" went (the diff sees "dua " at 5..9: the same characters' worth), X stayed.
    expect(getMetaText(a, 'lead').toString()).toBe('satu Xtiga');
  });

  it('shows an old-style string and moves it into the text on the first keystroke', () => {
    const doc = new Y.Doc();
    getMetaMap(doc).set('lead', 'Naskah lama');
    const { input, typeText } = bound(doc);
    expect(input.value).toBe('Naskah lama');
    input.setSelectionRange(11, 11);
    typeText(' sekali');
    expect(getMetaMap(doc).has('lead')).toBe(false);
    expect(getMetaText(doc, 'lead').toString()).toBe('Naskah lama sekali');
    expect(input.value).toBe('Naskah lama sekali');
  });

  it('follows the stored document applied after the field mounted (opening a story)', () => {
    const stored = new Y.Doc();
    writeMetaText(stored, 'headline', 'Gempa Cianjur');
    const doc = new Y.Doc();
    const { input } = bound(doc, 'headline');
    expect(input.value).toBe('');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(stored), 'core');
    expect(input.value).toBe('Gempa Cianjur');
  });

  it('stops following the document once destroyed', () => {
    const { a } = twoClients('Awal');
    const { input, binding } = bound(a);
    binding.destroy();
    writeMetaText(a, 'lead', 'Akhir');
    expect(input.value).toBe('Awal');
  });
});
