import * as Y from 'yjs';
import { writeMetaText } from '../../shared/doc/metaText';
import { getBody } from '../../shared/doc/storyDoc';
import { writeStoryBody } from '../../shared/editor/headless';
import { headline, seededRandom, storyParagraphs, WORDS } from './text';

/**
 * Story documents for the sync and server benchmarks: templates written once by the
 * headless editor (so their structure is exactly what the editor stores), copied into
 * each benchmark story, and keystrokes typed at the Yjs level the way @lexical/yjs writes
 * them (one character into a paragraph's Y.XmlText, one transaction per key).
 */

/** A story's full state (headline + body of `words` words) as one Yjs update. */
export function storyTemplate(seed: number, words = 600): Uint8Array {
  const doc = new Y.Doc();
  try {
    const rand = seededRandom(seed);
    writeMetaText(doc, 'headline', headline(rand));
    writeStoryBody(
      doc,
      storyParagraphs(seed + 1, words, 40).map((p) => ({ type: 'paragraph' as const, children: [p] })),
    );
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** The paragraphs (nested Y.XmlText) of a story body. */
function paragraphs(doc: Y.Doc): Y.XmlText[] {
  return (getBody(doc).toDelta() as Array<{ insert: unknown }>).map((op) => op.insert).filter((x): x is Y.XmlText => x instanceof Y.XmlText);
}

/**
 * Types `count` keystrokes into `doc`: words at the end of a paragraph, moving to another
 * paragraph every 100 keys, with a backspace now and then. Each key is its own
 * transaction, as each keystroke is its own editor update.
 */
export function typeKeystrokes(doc: Y.Doc, count: number, seed: number): void {
  const rand = seededRandom(seed);
  const blocks = paragraphs(doc);
  if (blocks.length === 0) throw new Error('typeKeystrokes: the story has no paragraph');
  let target = blocks[blocks.length - 1]!;
  let word = '';
  for (let key = 0; key < count; key++) {
    if (key % 100 === 0) target = blocks[Math.floor(rand() * blocks.length)]!;
    if (word.length === 0) word = ` ${WORDS[Math.floor(rand() * WORDS.length)]!}`;
    if (rand() < 0.04 && target.length > 1) {
      doc.transact(() => target.delete(target.length - 1, 1));
      continue;
    }
    const ch = word[0]!;
    word = word.slice(1);
    doc.transact(() => target.insert(target.length, ch));
  }
}
