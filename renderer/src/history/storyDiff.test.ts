import { $wrapSelectionInMarkNode } from '@lexical/mark';
import { $createRangeSelection, $getRoot } from 'lexical';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeMetaText } from '../../../shared/doc/metaText';
import { addPhoto, setPhotoField } from '../../../shared/doc/photos';
import { getMetaMap } from '../../../shared/doc/storyDoc';
import { editStoryBody, writeStoryBody } from '../../../shared/editor/headless';
import { diffBody, diffStoryStates, diffText, type DiffPart } from './storyDiff';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const RUBRIK_NASIONAL = '11111111-1111-4111-8111-111111111111';
const RUBRIK_OTOMOTIF = '22222222-2222-4222-8222-222222222222';
const REDAKTUR = '33333333-3333-4333-8333-333333333333';

/** Replaces `words` in the body's text node holding them, as typing over a selection does. */
function replaceInBody(doc: Y.Doc, words: string, by: string) {
  editStoryBody(doc, () => {
    const node = $getRoot()
      .getAllTextNodes()
      .find((n) => n.getTextContent().includes(words));
    if (!node) throw new Error(`"${words}" not in the body`);
    node.spliceText(node.getTextContent().indexOf(words), words.length, by);
  });
}

/** A story as a reporter files it, then as the redaktur edits it: the bytes of each version. */
function filedAndEdited() {
  const doc = new Y.Doc();
  writeStoryBody(doc, [
    { type: 'paragraph', children: ['Kementerian Perindustrian mendorong produksi mobil listrik tahun depan.'] },
    { type: 'paragraph', children: ['Harga jual diperkirakan Rp300 juta per unit, kata pejabat itu.'] },
    { type: 'paragraph', children: ['Penutup berita tidak berubah.'] },
  ]);
  writeMetaText(doc, 'headline', 'Produksi Mobil Listrik Naik');
  writeMetaText(doc, 'lead', 'Pemerintah mendorong mobil listrik.');
  getMetaMap(doc).set('dateline', 'JAKARTA');
  getMetaMap(doc).set('rubrikId', RUBRIK_NASIONAL);
  addPhoto(doc, 'photo-1', { sha256: SHA_A, mime: 'image/jpeg', width: 10, height: 10, caption: 'Pabrik mobil', credit: '', photographer: '', source: '', dateTaken: '' });
  const filed = Y.encodeStateAsUpdate(doc);

  replaceInBody(doc, 'mendorong', 'terus mendorong');
  replaceInBody(doc, 'Rp300 juta', 'Rp350 juta');
  replaceInBody(doc, ', kata pejabat itu', '');
  writeMetaText(doc, 'headline', 'Produksi Mobil Listrik Akan Naik');
  getMetaMap(doc).set('rubrikId', RUBRIK_OTOMOTIF);
  getMetaMap(doc).set('redakturId', REDAKTUR);
  setPhotoField(doc, 'photo-1', 'credit', 'ANTARA/Foto');
  addPhoto(doc, 'photo-2', { sha256: SHA_B, mime: 'image/jpeg', width: 10, height: 10, caption: 'Uji jalan', credit: 'KJ', photographer: '', source: '', dateTaken: '' });
  const edited = Y.encodeStateAsUpdate(doc);
  return { filed, edited };
}

describe('diffStoryStates (Yjs bytes of two versions → what changed)', () => {
  it('gives exactly the words added to and removed from the body, no others', () => {
    const { filed, edited } = filedAndEdited();
    const diff = diffStoryStates(filed, edited);
    expect(diff.addedWords).toEqual(['terus', 'Rp350']);
    expect(diff.removedWords).toEqual(['Rp300', 'kata', 'pejabat', 'itu']);
    // Reading the parts in order gives the old text (same + removed) and the new (same + added).
    const text = (keep: 'added' | 'removed') => diff.body.filter((p) => p.kind === 'same' || p.kind === keep).map((p) => p.text).join('');
    expect(text('removed')).toBe(
      'Kementerian Perindustrian mendorong produksi mobil listrik tahun depan.\n\nHarga jual diperkirakan Rp300 juta per unit, kata pejabat itu.\n\nPenutup berita tidak berubah.',
    );
    expect(text('added')).toBe(
      'Kementerian Perindustrian terus mendorong produksi mobil listrik tahun depan.\n\nHarga jual diperkirakan Rp350 juta per unit.\n\nPenutup berita tidak berubah.',
    );
  });

  it('lists the changed fields with their values before and after, and nothing unchanged', () => {
    const { filed, edited } = filedAndEdited();
    const { fields } = diffStoryStates(filed, edited);
    expect(fields.map((f) => f.field)).toEqual(['headline', 'rubrik', 'redaktur']);
    const headline = fields[0]!;
    expect(headline).toMatchObject({ before: 'Produksi Mobil Listrik Naik', after: 'Produksi Mobil Listrik Akan Naik' });
    expect(headline.parts?.filter((p) => p.kind !== 'same')).toEqual([{ kind: 'added', text: 'Akan ' }]);
    expect(fields[1]).toMatchObject({ before: RUBRIK_NASIONAL, after: RUBRIK_OTOMOTIF, parts: null });
    expect(fields[2]).toMatchObject({ before: '', after: REDAKTUR });
  });

  it("reports photos added and removed and changed captions and credits", () => {
    const { filed, edited } = filedAndEdited();
    expect(diffStoryStates(filed, edited).photos).toEqual([
      { kind: 'changed', photoId: 'photo-1', sha256: SHA_A, field: 'credit', before: '', after: 'ANTARA/Foto' },
      { kind: 'added', photoId: 'photo-2', sha256: SHA_B, caption: 'Uji jalan', credit: 'KJ' },
    ]);
    expect(diffStoryStates(edited, filed).photos).toContainEqual({ kind: 'removed', photoId: 'photo-2', sha256: SHA_B, caption: 'Uji jalan', credit: 'KJ' });
  });

  it('finds nothing between a version and itself, even when comment marks were added since', () => {
    const { edited } = filedAndEdited();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, edited);
    // A comment on "produksi mobil" wraps those words in a mark: the words are the same.
    editStoryBody(doc, () => {
      const node = $getRoot().getAllTextNodes()[0]!;
      const at = node.getTextContent().indexOf('produksi mobil');
      const selection = $createRangeSelection();
      selection.anchor.set(node.getKey(), at, 'text');
      selection.focus.set(node.getKey(), at + 'produksi mobil'.length, 'text');
      $wrapSelectionInMarkNode(selection, false, '44444444-4444-4444-8444-444444444444');
    });
    expect(JSON.stringify(Y.encodeStateAsUpdate(doc))).not.toBe(JSON.stringify(edited));
    const diff = diffStoryStates(edited, Y.encodeStateAsUpdate(doc));
    expect(diff.addedWords).toEqual([]);
    expect(diff.removedWords).toEqual([]);
    expect(diff.fields).toEqual([]);
    expect(diff.photos).toEqual([]);
    expect(diff.body.every((p) => p.kind === 'same')).toBe(true);
  });

  it('refuses bytes that are not a Yjs update with an error, not a wrong diff', () => {
    const { filed } = filedAndEdited();
    expect(() => diffStoryStates(filed, new Uint8Array([1, 2, 3]))).toThrow();
  });

  it('diffText splits at words, keeping punctuation and spacing in the unchanged parts', () => {
    expect(diffText('naik 3,5 persen', 'naik 4,5 persen')).toEqual([
      { kind: 'same', text: 'naik ' },
      { kind: 'removed', text: '3' },
      { kind: 'added', text: '4' },
      { kind: 'same', text: ',5 persen' },
    ]);
  });
});

describe('diffBody (paragraphs first, then words)', () => {
  const rebuild = (parts: DiffPart[], keep: 'added' | 'removed') => parts.filter((p) => p.kind === 'same' || p.kind === keep).map((p) => p.text).join('');
  const words = (parts: DiffPart[], kind: 'added' | 'removed') => parts.filter((p) => p.kind === kind).flatMap((p) => p.text.split(/\s+/)).filter(Boolean);
  const A = 'Paragraf satu di sini.';
  const B = 'Paragraf dua di sana.';
  const C = 'Paragraf tiga penutup.';
  const cases: Array<[string, string, string, string[], string[]]> = [
    ['a paragraph added at the start', [B, C].join('\n\n'), [A, B, C].join('\n\n'), ['Paragraf', 'satu', 'di', 'sini.'], []],
    ['a paragraph added in the middle', [A, C].join('\n\n'), [A, B, C].join('\n\n'), ['Paragraf', 'dua', 'di', 'sana.'], []],
    ['a paragraph added at the end', [A, B].join('\n\n'), [A, B, C].join('\n\n'), ['Paragraf', 'tiga', 'penutup.'], []],
    ['a paragraph removed from the start', [A, B, C].join('\n\n'), [B, C].join('\n\n'), [], ['Paragraf', 'satu', 'di', 'sini.']],
    ['the last paragraph removed', [A, B, C].join('\n\n'), [A, B].join('\n\n'), [], ['Paragraf', 'tiga', 'penutup.']],
    ['one word changed in the middle paragraph', [A, B, C].join('\n\n'), [A, B.replace('sana', 'situ'), C].join('\n\n'), ['situ'], ['sana']],
    ['everything from nothing', '', A, ['Paragraf', 'satu', 'di', 'sini.'], []],
  ];
  for (const [name, before, after, added, removed] of cases) {
    it(`${name}: rebuilds both texts exactly and names only the words that changed`, () => {
      const parts = diffBody(before, after);
      expect(rebuild(parts, 'removed')).toBe(before);
      expect(rebuild(parts, 'added')).toBe(after);
      expect(words(parts, 'added')).toEqual(added);
      expect(words(parts, 'removed')).toEqual(removed);
    });
  }
});
