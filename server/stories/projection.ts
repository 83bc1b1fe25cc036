import type * as Y from 'yjs';
import { bodyPlainText, readMeta } from '../../shared/doc/storyDoc';
import { countWords } from '../../shared/text/wordCount';

/** What the server keeps per story beside its document: enough for lists and permissions. */
export interface StoryProjection {
  headline: string;
  rubrikId: string | null;
  redakturId: string | null;
  penulisIds: string[];
  wordCount: number;
}

/** Reads the projection headlessly from the story's Y.Doc, with the same readers clients use. */
export function projectStory(doc: Y.Doc): StoryProjection {
  const meta = readMeta(doc);
  return {
    headline: meta.headline,
    rubrikId: meta.rubrikId,
    redakturId: meta.redakturId,
    penulisIds: meta.penulisIds,
    wordCount: countWords(bodyPlainText(doc)),
  };
}
