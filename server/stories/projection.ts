import type * as Y from 'yjs';
import { readPhotos } from '../../shared/doc/photos';
import { bodyPlainText, readMeta } from '../../shared/doc/storyDoc';
import { countWords } from '../../shared/text/wordCount';

/** What the server keeps per story beside its document: enough for lists and permissions. */
export interface StoryProjection {
  headline: string;
  rubrikId: string | null;
  redakturId: string | null;
  penulisIds: string[];
  wordCount: number;
  /**
   * The photos the story shows: the sha256 of each entry of its `photos` map, once each,
   * sorted. Body photo nodes carry only a photo id, which names an entry of that map, so
   * the map is the whole list. Who may read a photo follows from it (server/photos/photoAccess.ts).
   */
  photoSha256s: string[];
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
    photoSha256s: photoSha256sOf(doc),
  };
}

/** The sha256 of every photo in the story's `photos` map, once each, sorted. */
export function photoSha256sOf(doc: Y.Doc): string[] {
  return [...new Set(readPhotos(doc).map((photo) => photo.sha256))].sort();
}
