import type * as Y from 'yjs';
import { bodyPlainText, readMeta } from '../../../shared/doc/storyDoc';
import { countWords } from '../../../shared/text/wordCount';

export interface StoryProjection {
  headline: string;
  wordCount: number;
  bodyText: string;
}

/** What the list and search need from a story document. Cost grows with the body length. */
export function projectStory(doc: Y.Doc): StoryProjection {
  const bodyText = bodyPlainText(doc);
  return { headline: readMeta(doc).headline, wordCount: countWords(bodyText), bodyText };
}
