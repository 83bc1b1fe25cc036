import type * as Y from 'yjs';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AttachedPhoto, PhotoUploadStatus, PhotoVariant } from '../../../../shared/domain/photo';
import { getPhotosMap } from '../../../../shared/doc/storyDoc';
import {
  addPhoto,
  readPhotos,
  removePhoto,
  reorderPhotos,
  setFeaturedPhoto,
  setPhotoField,
  type EditablePhotoField,
  type StoryPhoto,
} from '../../../../shared/doc/photos';
import { RpcError } from '../../../../shared/rpc/protocol';
import type { CoreConnection } from '../../core/connection';

/**
 * The photo panel of one open story, without React: what the panel, the featured photo and
 * the photos in the body show, and what they do. Photo metadata is read from and written to
 * the story's Y.Doc `photos` map (so it is pushed like any edit, and remote changes show up
 * live); upload progress comes from core (photos.uploads, then photoUploadChanged); bytes
 * never pass through the document.
 */

/** What a file picker, a drop or a paste hands over (a DOM File satisfies it). */
export interface PhotoFile {
  readonly name: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A file core (or this page) refused, named so the reporter knows which one. */
export interface PhotoRefusal {
  id: number;
  fileName: string;
  /** photo_invalid | photo_too_large | another RPC error code (core unreachable, …). */
  code: string;
}

export interface AttachProgress {
  /** Files asked for since the batch began (several picks or drops add up). */
  total: number;
  /** Files finished (attached or refused). */
  done: number;
  /** File being read and stored now. */
  current: string | null;
}

export interface PhotoPanelState {
  photos: StoryPhoto[];
  uploads: Readonly<Record<string, PhotoUploadStatus>>;
  attaching: AttachProgress | null;
  refusals: PhotoRefusal[];
}

/**
 * Largest file this page sends to core. Core refuses photos above its own setting (50 MB by
 * default) with photo_too_large; a file far beyond it is refused here, before it is read into
 * memory, and so it never exceeds what one message to core may carry (64 MiB on the socket).
 */
export const MAX_SENDABLE_PHOTO_BYTES = 60 * 1024 * 1024;

/** Storing a large photo (hashing, reading metadata) can take a while on a loaded machine. */
const ATTACH_TIMEOUT_MS = 120_000;

const EMPTY_UPLOADS: Readonly<Record<string, PhotoUploadStatus>> = Object.freeze({});

export interface PhotoPanel {
  readonly store: StoreApi<PhotoPanelState>;
  /**
   * Stores the files one after another (photos.attach), adding each accepted photo to the
   * story with its pre-filled caption, credit, photographer and date. Resolves to the ids of
   * the photos added, in order (a photo the story has already answers with its existing id);
   * refused files are listed in `refusals` and add nothing.
   */
  attachFiles(files: readonly PhotoFile[]): Promise<string[]>;
  setField(photoId: string, field: EditablePhotoField, value: string): void;
  /** On: this photo is the story's one featured photo. Off: none is. */
  setFeatured(photoId: string, featured: boolean): void;
  /** Moves a photo up (-1) or down (+1) in the panel; false when it is already at that end. */
  move(photoId: string, delta: -1 | 1): boolean;
  /** Removes a photo from the story; the returned function puts it back where it was, as it was. */
  remove(photoId: string): () => void;
  dismissRefusal(id: number): void;
  /** A rendition's bytes (thumb for the panel, web for the body) as a Blob for an object URL. */
  rendition(sha256: string, variant: Exclude<PhotoVariant, 'original'>): Promise<Blob>;
  destroy(): void;
}

export function missingCredit(photo: Pick<StoryPhoto, 'credit'>): boolean {
  return photo.credit.trim() === '';
}

export function createPhotoPanel(options: {
  core: CoreConnection;
  storyId: string;
  doc: Y.Doc;
  /** Resolves once the stored document is in the Y.Doc: photos are added only after, so they are pushed and never land in an empty doc. */
  loaded: Promise<void>;
  newId?: () => string;
}): PhotoPanel {
  const { core, storyId, doc, loaded } = options;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const store = createStore<PhotoPanelState>(() => ({
    photos: readPhotos(doc),
    uploads: EMPTY_UPLOADS,
    attaching: null,
    refusals: [],
  }));
  let destroyed = false;
  let nextRefusalId = 1;

  // --- photos, live from the document (local edits and remote ones alike)
  const photosMap = getPhotosMap(doc);
  const onPhotosChanged = () => {
    const photos = readPhotos(doc);
    store.setState({ photos });
    void fetchUploads(photos.map((p) => p.sha256));
  };
  photosMap.observeDeep(onPhotosChanged);

  // --- upload progress
  const asked = new Set<string>();
  const putUploads = (list: readonly PhotoUploadStatus[]) => {
    if (destroyed || list.length === 0) return;
    store.setState((s) => {
      const uploads = { ...s.uploads };
      for (const u of list) uploads[u.sha256] = u;
      return { uploads };
    });
  };
  async function fetchUploads(sha256s: readonly string[], again = false): Promise<void> {
    const wanted = [...new Set(sha256s)].filter((sha) => again || !asked.has(sha));
    if (wanted.length === 0) return;
    wanted.forEach((sha) => asked.add(sha));
    try {
      putUploads(await core.client.services.photos.uploads({ sha256s: wanted }));
    } catch (error) {
      // No answer now (core restarting, an older core): shown as pending; asked again on reconnect.
      wanted.forEach((sha) => asked.delete(sha));
      console.warn('photos.uploads failed', error);
    }
  }
  const offUpload = core.client.on('photoUploadChanged', (status) => {
    if (store.getState().photos.some((p) => p.sha256 === status.sha256)) putUploads([status]);
  });
  const offConnected = core.endpoint.onConnected(() => {
    void fetchUploads(store.getState().photos.map((p) => p.sha256), true);
  });
  void fetchUploads(store.getState().photos.map((p) => p.sha256));

  // --- attaching, one file at a time (a queue: picks and drops made meanwhile wait their turn)
  let queue: Promise<unknown> = Promise.resolve();
  const refuse = (fileName: string, code: string) => {
    store.setState((s) => ({ refusals: [...s.refusals, { id: nextRefusalId++, fileName, code }] }));
  };
  async function attachOne(file: PhotoFile): Promise<string | null> {
    store.setState((s) => ({ attaching: s.attaching && { ...s.attaching, current: file.name } }));
    try {
      if (file.size > MAX_SENDABLE_PHOTO_BYTES) {
        refuse(file.name, 'photo_too_large');
        return null;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const attached = (await core.client.call(
        'photos.attach',
        { storyId, fileName: file.name.slice(0, 1000), bytes },
        { timeoutMs: ATTACH_TIMEOUT_MS },
      )) as AttachedPhoto;
      await loaded;
      if (destroyed) return null;
      // The same photo twice in one story is one photo (its caption and credit are one): a
      // second drop or paste of it places the one already there.
      const existing = readPhotos(doc).find((p) => p.sha256 === attached.sha256);
      if (existing) return existing.id;
      const id = newId();
      // One transaction: the photo arrives whole, with every pre-filled field, or not at all.
      addPhoto(doc, id, {
        sha256: attached.sha256,
        mime: attached.mime,
        width: attached.width,
        height: attached.height,
        caption: attached.prefill.caption,
        credit: attached.prefill.credit,
        photographer: attached.prefill.photographer,
        source: attached.prefill.source,
        dateTaken: attached.prefill.dateTaken ?? '',
      });
      return id;
    } catch (error) {
      // Not an answer from core: the file itself could not be read (moved, unreadable).
      refuse(file.name, error instanceof RpcError ? error.code : 'read_failed');
      return null;
    } finally {
      store.setState((s) => ({ attaching: s.attaching && { ...s.attaching, done: s.attaching.done + 1, current: null } }));
    }
  }

  return {
    store,
    attachFiles(files) {
      if (files.length === 0) return Promise.resolve([]);
      store.setState((s) => ({
        attaching: { total: (s.attaching?.total ?? 0) + files.length, done: s.attaching?.done ?? 0, current: s.attaching?.current ?? null },
      }));
      const run = queue.then(async () => {
        const ids: string[] = [];
        for (const file of files) {
          if (destroyed) break;
          const id = await attachOne(file);
          if (id) ids.push(id);
        }
        const a = store.getState().attaching;
        if (a && a.done >= a.total) store.setState({ attaching: null });
        return ids;
      });
      queue = run.catch(() => {});
      return run;
    },
    setField(photoId, field, value) {
      setPhotoField(doc, photoId, field, value);
    },
    setFeatured(photoId, featured) {
      setFeaturedPhoto(doc, featured ? photoId : null);
    },
    move(photoId, delta) {
      const ids = readPhotos(doc).map((p) => p.id);
      const from = ids.indexOf(photoId);
      const to = from + delta;
      if (from < 0 || to < 0 || to >= ids.length) return false;
      [ids[from], ids[to]] = [ids[to]!, ids[from]!];
      reorderPhotos(doc, ids);
      return true;
    },
    remove(photoId) {
      const order = readPhotos(doc).map((p) => p.id);
      const photo = readPhotos(doc).find((p) => p.id === photoId);
      if (!photo) return () => {};
      removePhoto(doc, photoId);
      return () => {
        if (destroyed || readPhotos(doc).some((p) => p.id === photoId)) return;
        const { id: _id, order: _order, ...fields } = photo;
        doc.transact(() => {
          addPhoto(doc, photoId, fields);
          reorderPhotos(doc, order);
        });
      };
    },
    dismissRefusal(id) {
      store.setState((s) => ({ refusals: s.refusals.filter((r) => r.id !== id) }));
    },
    async rendition(sha256, variant) {
      const answer = await core.client.services.photos.rendition({ sha256, variant });
      return new Blob([answer.bytes as Uint8Array<ArrayBuffer>], { type: answer.mime });
    },
    destroy() {
      destroyed = true;
      photosMap.unobserveDeep(onPhotosChanged);
      offUpload();
      offConnected();
    },
  };
}

/** What `photo-item` data-upload says: pending until core has told otherwise. */
export function uploadStateOf(state: Pick<PhotoPanelState, 'uploads'>, sha256: string): PhotoUploadStatus {
  return state.uploads[sha256] ?? { sha256, state: 'pending', bytesSent: 0, bytesTotal: 0, error: null };
}
