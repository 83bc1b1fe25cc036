import { $wrapSelectionInMarkNode } from '@lexical/mark';
import { $createRangeSelection, $getRoot, $setSelection, type TextNode } from 'lexical';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bodyPlainText } from '../../../shared/doc/storyDoc';
import { editStoryBody, readStoryBody, writeStoryBody } from '../../../shared/editor/headless';
import { $collectAnchors, $removeAnchor } from './anchors';

/**
 * Comment anchors through the real binding: each client is a headless Lexical editor bound to
 * its own Y.Doc through @lexical/yjs (shared/editor/headless), exchanging Yjs updates as core
 * and the server carry them.
 */

const THREAD = '0b5c7a52-3f0e-4c3e-9f1a-1d2b3c4d5e6f';
const OTHER = '6d1f0e2a-8b7c-4a59-b1e3-aa00bb11cc22';

function $textNodes(): TextNode[] {
  return $getRoot().getAllTextNodes();
}

/**
 * Selects `words` (their first occurrence in the first paragraph, across text nodes and marks)
 * as a user would with the mouse.
 */
function $select(words: string) {
  const nodes = $textNodes();
  const all = nodes.map((n) => n.getTextContent()).join('');
  const start = all.indexOf(words);
  if (start < 0) throw new Error(`"${words}" not found`);
  const pointAt = (offset: number, preferNext: boolean) => {
    let seen = 0;
    for (const node of nodes) {
      const len = node.getTextContentSize();
      if (offset < seen + len || (offset === seen + len && !preferNext)) return { key: node.getKey(), offset: offset - seen };
      seen += len;
    }
    const last = nodes[nodes.length - 1]!;
    return { key: last.getKey(), offset: last.getTextContentSize() };
  };
  const from = pointAt(start, true);
  const to = pointAt(start + words.length, false);
  const selection = $createRangeSelection();
  selection.anchor.set(from.key, from.offset, 'text');
  selection.focus.set(to.key, to.offset, 'text');
  $setSelection(selection);
  return selection;
}

/** Deletes `words` with a selection, as pressing Delete over them does. */
function deleteWords(doc: Y.Doc, words: string) {
  return editStoryBody(doc, () => $select(words).removeText());
}

function comment(doc: Y.Doc, words: string, threadId: string) {
  return editStoryBody(doc, () => {
    const selection = $select(words);
    $wrapSelectionInMarkNode(selection, false, threadId);
  });
}

/** Inserts `text` at the start of the text node holding `before` (the node where those words begin). */
function insertBefore(doc: Y.Doc, before: string, text: string) {
  return editStoryBody(doc, () => {
    const node = $textNodes().find((n) => n.getTextContent().includes(before));
    if (!node) throw new Error(`"${before}" not found`);
    node.spliceText(node.getTextContent().indexOf(before), 0, text);
  });
}

function replaceWords(doc: Y.Doc, words: string, by: string) {
  return editStoryBody(doc, () => {
    const node = $textNodes().find((n) => n.getTextContent().includes(words));
    if (!node) throw new Error(`"${words}" not found`);
    node.spliceText(node.getTextContent().indexOf(words), words.length, by);
  });
}

function anchorsOf(doc: Y.Doc): Map<string, string> {
  let anchors = new Map<string, string>();
  editStoryBody(doc, () => {
    anchors = $collectAnchors();
  });
  return anchors;
}

/** Both ways, as one sync round carries them. */
function exchange(a: Y.Doc, b: Y.Doc) {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
}

function twoClients(text: string) {
  const a = new Y.Doc();
  writeStoryBody(a, [{ type: 'paragraph', children: [text] }]);
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return { a, b };
}

const SENTENCE = 'Kementerian Perindustrian mendorong produksi mobil listrik tahun depan.';

describe('comment anchors (MarkNode carrying thread ids) through two bound Y.Docs', () => {
  it('a mark holds exactly the selected words, carries only the thread id, and reaches the other client', () => {
    const { a, b } = twoClients(SENTENCE);
    comment(a, 'mobil listrik', THREAD);
    exchange(a, b);
    expect(anchorsOf(b)).toEqual(new Map([[THREAD, 'mobil listrik']]));
    // The text itself is unchanged by the mark.
    expect(bodyPlainText(b)).toBe(SENTENCE);
    const mark = JSON.stringify(readStoryBody(b).json);
    expect(mark).toContain(`"type":"mark"`);
    expect(mark).toContain(`"ids":["${THREAD}"]`);
  });

  it('stays on the same words when the other client types before the passage and inside it, offline, and both merge', () => {
    const { a, b } = twoClients(SENTENCE);
    comment(a, 'mobil listrik', THREAD);
    exchange(a, b);
    // Offline on both sides: B writes before the passage, A inside it.
    insertBefore(b, 'Kementerian', 'JAKARTA - ');
    insertBefore(b, 'produksi', 'sangat ');
    replaceWords(a, 'listrik', 'listrik nasional');
    exchange(a, b);
    const expected = 'JAKARTA - Kementerian Perindustrian mendorong sangat produksi mobil listrik nasional tahun depan.';
    expect(bodyPlainText(a)).toBe(expected);
    expect(bodyPlainText(b)).toBe(expected);
    expect(anchorsOf(a)).toEqual(new Map([[THREAD, 'mobil listrik nasional']]));
    expect(anchorsOf(b)).toEqual(new Map([[THREAD, 'mobil listrik nasional']]));
  });

  it('keeps two threads apart, and overlapping marks give each thread its own words', () => {
    const { a, b } = twoClients(SENTENCE);
    comment(a, 'Kementerian Perindustrian', THREAD);
    comment(b, 'tahun depan', OTHER);
    exchange(a, b);
    const expected = new Map([
      [THREAD, 'Kementerian Perindustrian'],
      [OTHER, 'tahun depan'],
    ]);
    expect(anchorsOf(a)).toEqual(expected);
    expect(anchorsOf(b)).toEqual(expected);
  });

  it('a passage deleted by another client offline leaves the thread without an anchor (detached), the rest intact', () => {
    const { a, b } = twoClients(SENTENCE);
    comment(a, 'mobil listrik', THREAD);
    comment(a, 'Kementerian', OTHER);
    exchange(a, b);
    // B (offline) deletes the commented words; A (offline) keeps writing elsewhere.
    deleteWords(b, 'mobil listrik ');
    insertBefore(a, 'mendorong', 'terus ');
    exchange(a, b);
    expect(bodyPlainText(a)).toBe('Kementerian Perindustrian terus mendorong produksi tahun depan.');
    expect(bodyPlainText(b)).toBe(bodyPlainText(a));
    for (const doc of [a, b]) {
      const anchors = anchorsOf(doc);
      expect(anchors.has(THREAD)).toBe(false);
      expect(anchors.get(OTHER)).toBe('Kementerian');
    }
  });

  it('removing an anchor takes the mark away and leaves the words', () => {
    const { a } = twoClients(SENTENCE);
    comment(a, 'mobil listrik', THREAD);
    editStoryBody(a, () => $removeAnchor(THREAD));
    expect(anchorsOf(a).size).toBe(0);
    expect(bodyPlainText(a)).toBe(SENTENCE);
    expect(JSON.stringify(readStoryBody(a).json)).not.toContain('"type":"mark"');
  });
});
