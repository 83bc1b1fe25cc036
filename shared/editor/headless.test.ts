import { describe, expect, it } from 'vitest';
import { $wrapSelectionInMarkNode } from '@lexical/mark';
import { $createRangeSelection, $getRoot, $isTextNode } from 'lexical';
import * as Y from 'yjs';
import { bodyPlainText, getBody } from '../doc/storyDoc';
import { countWords } from '../text/wordCount';
import { editStoryBody, readStoryBody, writeStoryBody, type BodyBlock } from './headless';
import { sampleStoryBlocks } from './headlessSample';
import { PAGE_BREAK_TYPE } from './pageBreakNode';

const RICH: BodyBlock[] = [
  { type: 'heading', tag: 'h1', children: ['Produksi Mobil Listrik Naik'] },
  {
    type: 'paragraph',
    children: ['JAKARTA - Kementerian Perindustrian ', { text: 'mendorong', format: ['bold'] }, ' anak-anak muda, kata ', { text: 'situs resmi', href: 'https://kemenperin.go.id' }, ' pada Jum\'at.'],
  },
  { type: 'quote', children: ['"Harga naik 3,5 persen menjadi Rp10.000," ujarnya.'] },
  { type: 'list', listType: 'bullet', items: [['sayur-mayur'], ['beras dan ', { text: 'jagung', format: ['italic', 'underline'] }]] },
  { type: 'page-break' },
  { type: 'heading', tag: 'h2', children: ['Halaman kedua'] },
  { type: 'list', listType: 'number', items: [['satu'], ['dua']] },
  { type: 'paragraph', children: ['Penutup cerita.'] },
];

describe('headless story body (Lexical bound to Yjs without a DOM)', () => {
  it('writes a body that reads back with the same nodes and text', () => {
    const doc = new Y.Doc();
    const update = writeStoryBody(doc, RICH);
    expect(update.byteLength).toBeGreaterThan(0);
    expect(getBody(doc).length).toBeGreaterThan(0);

    const { json, text } = readStoryBody(doc);
    const types = json.root.children.map((c) => c.type);
    expect(types).toEqual(['heading', 'paragraph', 'quote', 'list', PAGE_BREAK_TYPE, 'heading', 'list', 'paragraph']);
    expect(JSON.stringify(json)).toContain('"url":"https://kemenperin.go.id"');
    expect(text).toContain('Produksi Mobil Listrik Naik');
    expect(text).toContain('situs resmi');

    // The same update applied to another doc gives the same body: it is an ordinary Yjs update.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, update);
    expect(readStoryBody(copy).json).toEqual(json);
  });

  it('bodyPlainText and countWords agree with Lexical getTextContent()', () => {
    const doc = new Y.Doc();
    writeStoryBody(doc, RICH);
    const lexicalText = readStoryBody(doc).text;
    const yjsText = bodyPlainText(doc);
    expect(countWords(yjsText)).toBe(countWords(lexicalText));
    // Same words in the same order, whatever the block separators.
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    expect(words(yjsText)).toEqual(words(lexicalText));
    expect(countWords(yjsText)).toBe(32); // 4 + 11 + 7 + 1 + 3 + 2 + 2 + 2, counted by hand
  });

  it('bodyPlainText reads links and comment marks inside their paragraph, as Lexical does', () => {
    const doc = new Y.Doc();
    writeStoryBody(doc, [
      { type: 'paragraph', children: ['Menurut ', { text: 'situs resmi', href: 'https://kemenperin.go.id' }, ', harga naik.'] },
      { type: 'paragraph', children: ['Penutup.'] },
    ]);
    editStoryBody(doc, () => {
      const text = $getRoot().getAllTextNodes().find((n) => n.getTextContent().includes('harga'))!;
      const selection = $createRangeSelection();
      selection.anchor.set(text.getKey(), 2, 'text');
      selection.focus.set(text.getKey(), 7, 'text');
      $wrapSelectionInMarkNode(selection, false, '00000000-0000-4000-8000-000000000001');
    });
    expect(JSON.stringify(readStoryBody(doc).json)).toContain('"type":"mark"');
    expect(bodyPlainText(doc)).toBe('Menurut situs resmi, harga naik.\n\nPenutup.');
    expect(bodyPlainText(doc)).toBe(readStoryBody(doc).text);
  });

  it('replaces an existing body, and the result merges like an editor edit', () => {
    const doc = new Y.Doc();
    writeStoryBody(doc, [{ type: 'paragraph', children: ['lama'] }]);
    writeStoryBody(doc, [{ type: 'paragraph', children: ['baru sekali'] }]);
    expect(bodyPlainText(doc)).toBe('baru sekali');
    expect(readStoryBody(doc).text).toBe('baru sekali');
  });

  it('seeds a 20,000-word story in about 410 blocks whose counts agree', () => {
    const blocks = sampleStoryBlocks(20_000);
    expect(blocks.length).toBeGreaterThan(380);
    expect(blocks.length).toBeLessThan(460);
    const doc = new Y.Doc();
    writeStoryBody(doc, blocks);
    expect(countWords(bodyPlainText(doc))).toBe(20_000);
    expect(countWords(readStoryBody(doc).text)).toBe(20_000);
  });
});

describe('editStoryBody', () => {
  it('produces small incremental updates, like typing', () => {
    const doc = new Y.Doc();
    writeStoryBody(doc, [{ type: 'paragraph', children: ['Awal'] }]);
    const update = editStoryBody(doc, () => {
      const text = $getRoot().getLastDescendant();
      if ($isTextNode(text)) text.setTextContent('Awal kata');
    });
    expect(update.byteLength).toBeLessThan(200);
    expect(bodyPlainText(doc)).toBe('Awal kata');
  });
});
