import type * as Y from 'yjs';
import { bodyPlainText, readMeta } from '../../../shared/doc/storyDoc';
import { countWords } from '../../../shared/text/wordCount';

export interface StoryProjection {
  headline: string;
  wordCount: number;
  bodyText: string;
  rubrikId: string | null;
  redakturId: string | null;
  penulisIds: string[];
}

/** What the list, search and sync need from a story document. Cost grows with the body length. */
export function projectStory(doc: Y.Doc): StoryProjection {
  const bodyText = bodyPlainText(doc);
  const meta = readMeta(doc);
  return { headline: meta.headline, wordCount: countWords(bodyText), bodyText, rubrikId: meta.rubrikId, redakturId: meta.redakturId, penulisIds: meta.penulisIds };
}
