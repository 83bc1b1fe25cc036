import * as Y from 'yjs';
import { getPhotosMap } from './storyDoc';

/**
 * A story's photos in its Y.Doc: `photos` map of photo id (a UUID made by the client that
 * attaches it) → Y.Map of the fields below. Plain values, last writer wins per field: a
 * caption is one sentence a person rewrites, rarely two people at once. The bytes are not
 * here: `sha256` names them in the local store and on the server.
 */
export interface StoryPhoto {
  id: string;
  sha256: string;
  mime: string;
  width: number;
  height: number;
  caption: string;
  credit: string;
  photographer: string;
  source: string;
  /** ISO 8601 or empty. */
  dateTaken: string;
  /** Shown above the body; at most one photo of a story is featured. */
  featured: boolean;
  /** Position in the photo panel; ties broken by id. */
  order: number;
}

export type StoryPhotoFields = Omit<StoryPhoto, 'id'>;
export type EditablePhotoField = 'caption' | 'credit' | 'photographer' | 'source' | 'dateTaken';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Every photo of the story, in panel order. Entries without a sha256 (damaged, foreign) are left out. */
export function readPhotos(doc: Y.Doc): StoryPhoto[] {
  const out: StoryPhoto[] = [];
  getPhotosMap(doc).forEach((entry, id) => {
    if (!(entry instanceof Y.Map)) return;
    const sha256 = str(entry.get('sha256'));
    if (!/^[0-9a-f]{64}$/.test(sha256)) return;
    out.push({
      id,
      sha256,
      mime: str(entry.get('mime')),
      width: num(entry.get('width')),
      height: num(entry.get('height')),
      caption: str(entry.get('caption')),
      credit: str(entry.get('credit')),
      photographer: str(entry.get('photographer')),
      source: str(entry.get('source')),
      dateTaken: str(entry.get('dateTaken')),
      featured: entry.get('featured') === true,
      order: num(entry.get('order')),
    });
  });
  return out.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Adds a photo at the end of the panel (one transaction). */
export function addPhoto(doc: Y.Doc, id: string, fields: Omit<StoryPhotoFields, 'order' | 'featured'> & { featured?: boolean }): void {
  doc.transact(() => {
    const photos = getPhotosMap(doc);
    const last = readPhotos(doc).at(-1);
    const entry = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(fields)) entry.set(k, v);
    entry.set('featured', fields.featured === true);
    entry.set('order', last ? last.order + 1 : 0);
    photos.set(id, entry);
    if (fields.featured === true) setFeaturedPhoto(doc, id);
  });
}

export function setPhotoField(doc: Y.Doc, id: string, field: EditablePhotoField, value: string): void {
  const entry = getPhotosMap(doc).get(id);
  if (entry instanceof Y.Map && entry.get(field) !== value) entry.set(field, value);
}

/** Makes `id` the featured photo (null: none), clearing the flag on every other photo. */
export function setFeaturedPhoto(doc: Y.Doc, id: string | null): void {
  doc.transact(() => {
    getPhotosMap(doc).forEach((entry, key) => {
      if (!(entry instanceof Y.Map)) return;
      const want = key === id;
      if ((entry.get('featured') === true) !== want) entry.set('featured', want);
    });
  });
}

/** Puts the photos in the given order (ids not listed keep their relative order after them). */
export function reorderPhotos(doc: Y.Doc, orderedIds: readonly string[]): void {
  doc.transact(() => {
    const current = readPhotos(doc).map((p) => p.id);
    const rest = current.filter((id) => !orderedIds.includes(id));
    [...orderedIds.filter((id) => current.includes(id)), ...rest].forEach((id, index) => {
      const entry = getPhotosMap(doc).get(id);
      if (entry instanceof Y.Map && entry.get('order') !== index) entry.set('order', index);
    });
  });
}

/** Removes the photo from the story (the bytes stay in the store: another story may use them). */
export function removePhoto(doc: Y.Doc, id: string): void {
  getPhotosMap(doc).delete(id);
}
