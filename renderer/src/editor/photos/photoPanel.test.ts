import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { AttachedPhoto, PhotoPrefill } from '../../../../shared/domain/photo';
import { readPhotos, setPhotoField } from '../../../../shared/doc/photos';
import { RpcError } from '../../../../shared/rpc/protocol';
import { settle, standInCore } from '../../testing/standInCore';
import type { StorySession } from '../storySession';
import { createPhotoPanel, MAX_SENDABLE_PHOTO_BYTES, missingCredit, uploadStateOf, type PhotoFile, type PhotoPanel } from './photoPanel';

const STORY = '00000000-0000-4000-8000-0000000000a1';
const SHA = (n: number) => n.toString(16).padStart(64, '0');

// The session lives in a page: give it the few browser globals it touches (no DOM needed).
beforeAll(() => {
  const storage = new Map<string, string>();
  vi.stubGlobal('window', Object.assign(new EventTarget(), {
    location: { hash: '' },
    history: { state: null, pushState() {}, replaceState() {}, back() {} },
    localStorage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
      removeItem: (k: string) => void storage.delete(k),
      key: (i: number) => [...storage.keys()][i] ?? null,
      get length() {
        return storage.size;
      },
    },
  }));
  vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }));
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function file(name: string, size = 1234): PhotoFile {
  return { name, size, arrayBuffer: async () => new Uint8Array(size).buffer };
}

function attached(n: number, prefill: Partial<PhotoPrefill> = {}): AttachedPhoto {
  return {
    sha256: SHA(n),
    mime: 'image/jpeg',
    byteSize: 1234,
    width: 1600,
    height: 1067,
    alreadyStored: false,
    prefill: { caption: '', credit: '', photographer: '', source: '', city: '', dateTaken: null, ...prefill },
  };
}

/** A stand-in core, an open story session on it (the real push path) and the panel of that story. */
async function openPanel(): Promise<{ core: ReturnType<typeof standInCore>; session: StorySession; panel: PhotoPanel }> {
  // Imported once the browser globals it reads at load are stubbed (beforeAll).
  const { createStorySession } = await import('../storySession');
  const core = standInCore();
  const session = createStorySession(core.connection, STORY);
  session.provider.connect();
  await session.opened;
  let n = 0;
  const panel = createPhotoPanel({ core: core.connection, storyId: STORY, doc: session.doc, loaded: session.opened, newId: () => `photo-${++n}` });
  cleanups.push(() => session.close(), () => panel.destroy());
  return { core, session, panel };
}

const coreCopy = (core: ReturnType<typeof standInCore>) => readPhotos(core.docOf(STORY));

describe('the photo panel against a stand-in core', () => {
  it('attach: the photo arrives with its pre-filled caption, credit, photographer and date, and reaches core', async () => {
    const { core, session, panel } = await openPanel();
    core.state.attachAnswers.set(
      'banjir.jpg',
      attached(1, { caption: 'Warga melintasi banjir di Kampung Melayu.', credit: 'Foto : ANTARA/Galih Pradipta', photographer: 'Galih Pradipta', dateTaken: '2026-11-30T08:15:00+07:00' }),
    );
    const ids = await panel.attachFiles([file('banjir.jpg')]);

    expect(ids).toEqual(['photo-1']);
    expect(core.state.attachCalls).toEqual([{ storyId: STORY, fileName: 'banjir.jpg', byteLength: 1234 }]);
    const [photo] = panel.store.getState().photos;
    expect(photo).toMatchObject({
      id: 'photo-1',
      sha256: SHA(1),
      caption: 'Warga melintasi banjir di Kampung Melayu.',
      credit: 'Foto : ANTARA/Galih Pradipta',
      photographer: 'Galih Pradipta',
      dateTaken: '2026-11-30T08:15:00+07:00',
      width: 1600,
      featured: false,
    });
    expect(missingCredit(photo!)).toBe(false);
    expect(panel.store.getState().refusals).toEqual([]);
    expect(panel.store.getState().attaching).toBeNull();
    // Pushed like any edit of the story: core's copy has the photo too.
    await session.queue.flush();
    expect(coreCopy(core).map((p) => p.credit)).toEqual(['Foto : ANTARA/Galih Pradipta']);
  });

  it('the same photo attached again is the photo already in the story, not a second copy', async () => {
    const { core, panel } = await openPanel();
    core.state.attachAnswers.set('banjir.jpg', attached(1, { credit: 'Foto : Istimewa' }));
    core.state.attachAnswers.set('banjir-salinan.jpg', { ...attached(1), alreadyStored: true });
    const [first] = await panel.attachFiles([file('banjir.jpg')]);
    panel.setField(first!, 'caption', 'Ditulis reporter');
    expect(await panel.attachFiles([file('banjir-salinan.jpg')])).toEqual([first]);
    expect(panel.store.getState().photos).toHaveLength(1);
    expect(panel.store.getState().photos[0]).toMatchObject({ caption: 'Ditulis reporter', credit: 'Foto : Istimewa' });
  });

  it('a refused file is named with the reason, and nothing of it is added; the others of the batch go in', async () => {
    const { core, session, panel } = await openPanel();
    core.state.attachAnswers.set('satu.jpg', attached(1, { credit: 'Foto : Istimewa' }));
    core.state.attachAnswers.set('bukan-foto.jpg', new RpcError('photo_invalid', 'not a photo'));
    core.state.attachAnswers.set('besar.jpg', new RpcError('photo_too_large', 'over 50 MB'));
    core.state.attachAnswers.set('dua.png', attached(2));
    const progress: Array<string> = [];
    const off = panel.store.subscribe((s) => s.attaching && progress.push(`${s.attaching.done}/${s.attaching.total}`));

    const ids = await panel.attachFiles([file('satu.jpg'), file('bukan-foto.jpg'), file('besar.jpg'), file('dua.png')]);
    off();

    expect(ids).toEqual(['photo-1', 'photo-2']);
    expect(panel.store.getState().photos.map((p) => p.sha256)).toEqual([SHA(1), SHA(2)]);
    expect(panel.store.getState().refusals.map(({ fileName, code }) => ({ fileName, code }))).toEqual([
      { fileName: 'bukan-foto.jpg', code: 'photo_invalid' },
      { fileName: 'besar.jpg', code: 'photo_too_large' },
    ]);
    // Progress was told file by file, and is gone once the batch is done.
    expect(progress).toContain('2/4');
    expect(progress.at(-1)).toBe('4/4');
    expect(panel.store.getState().attaching).toBeNull();
    await session.queue.flush();
    expect(coreCopy(core)).toHaveLength(2);

    const first = panel.store.getState().refusals[0]!;
    panel.dismissRefusal(first.id);
    expect(panel.store.getState().refusals.map((r) => r.fileName)).toEqual(['besar.jpg']);
  });

  it('a refused single file leaves the document untouched (nothing half-added)', async () => {
    const { core, session, panel } = await openPanel();
    core.state.attachAnswers.set('rusak.jpg', new RpcError('photo_invalid', 'truncated'));
    const before = Y.encodeStateVector(session.doc);
    expect(await panel.attachFiles([file('rusak.jpg')])).toEqual([]);
    expect(Y.encodeStateVector(session.doc)).toEqual(before);
    expect(panel.store.getState().refusals).toHaveLength(1);
  });

  it('a file far beyond any limit is refused before it is read or sent', async () => {
    const { core, panel } = await openPanel();
    let read = false;
    const huge: PhotoFile = { name: 'video.mov', size: MAX_SENDABLE_PHOTO_BYTES + 1, arrayBuffer: async () => ((read = true), new ArrayBuffer(0)) };
    expect(await panel.attachFiles([huge])).toEqual([]);
    expect(read).toBe(false);
    expect(core.state.attachCalls).toEqual([]);
    expect(panel.store.getState().refusals.map((r) => r.code)).toEqual(['photo_too_large']);
  });

  it('missing credit: flagged while the credit is empty (or blank), cleared once one is given, back when it is erased', async () => {
    const { core, panel } = await openPanel();
    core.state.attachAnswers.set('tanpa-kredit.png', attached(3));
    await panel.attachFiles([file('tanpa-kredit.png')]);
    const photo = () => panel.store.getState().photos[0]!;
    expect(missingCredit(photo())).toBe(true);
    panel.setField(photo().id, 'credit', '   ');
    expect(missingCredit(photo())).toBe(true);
    panel.setField(photo().id, 'credit', 'Foto : Koran Jakarta/Ismail Pohan');
    expect(missingCredit(photo())).toBe(false);
    panel.setField(photo().id, 'credit', '');
    expect(missingCredit(photo())).toBe(true);
  });

  it('featured is exclusive: featuring one photo unfeatures the other; toggling it off leaves none', async () => {
    const { core, panel } = await openPanel();
    core.state.attachAnswers.set('a.jpg', attached(1));
    core.state.attachAnswers.set('b.jpg', attached(2));
    const [a, b] = await panel.attachFiles([file('a.jpg'), file('b.jpg')]);
    const featured = () => panel.store.getState().photos.filter((p) => p.featured).map((p) => p.id);
    panel.setFeatured(a!, true);
    expect(featured()).toEqual([a]);
    panel.setFeatured(b!, true);
    expect(featured()).toEqual([b]);
    panel.setFeatured(b!, false);
    expect(featured()).toEqual([]);
  });

  it('reorder: up and down move a photo one place; the ends stay put', async () => {
    const { core, session, panel } = await openPanel();
    for (const n of [1, 2, 3]) core.state.attachAnswers.set(`${n}.jpg`, attached(n));
    const [one, two, three] = await panel.attachFiles([file('1.jpg'), file('2.jpg'), file('3.jpg')]);
    const order = () => panel.store.getState().photos.map((p) => p.id);
    expect(panel.move(three!, -1)).toBe(true);
    expect(order()).toEqual([one, three, two]);
    expect(panel.move(one!, -1)).toBe(false);
    expect(panel.move(one!, 1)).toBe(true);
    expect(order()).toEqual([three, one, two]);
    expect(panel.move(two!, 1)).toBe(false);
    await session.queue.flush();
    expect(coreCopy(core).map((p) => p.id)).toEqual([three, one, two]);
  });

  it('remove, then undo: the photo is back in its place with everything it had', async () => {
    const { core, panel } = await openPanel();
    for (const n of [1, 2, 3]) core.state.attachAnswers.set(`${n}.jpg`, attached(n, { credit: `Foto : Istimewa ${n}` }));
    const [one, two, three] = await panel.attachFiles([file('1.jpg'), file('2.jpg'), file('3.jpg')]);
    panel.setFeatured(two!, true);
    panel.setField(two!, 'caption', 'Keterangan dua');
    const before = panel.store.getState().photos;
    const undo = panel.remove(two!);
    expect(panel.store.getState().photos.map((p) => p.id)).toEqual([one, three]);
    undo();
    expect(panel.store.getState().photos).toEqual(before);
  });

  it('caption and credit edits from elsewhere (the redaktur, via core) show up live', async () => {
    const { core, session, panel } = await openPanel();
    core.state.attachAnswers.set('a.jpg', attached(1, { caption: 'Lama' }));
    const [id] = await panel.attachFiles([file('a.jpg')]);
    await session.queue.flush();
    // The redaktur's copy, edited and sent back as core broadcasts server changes.
    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(core.docOf(STORY)));
    const sv = Y.encodeStateVector(remote);
    setPhotoField(remote, id!, 'caption', 'Baru dari redaktur');
    core.emit('docRemoteUpdate', { storyId: STORY, update: Y.encodeStateAsUpdate(remote, sv) });
    await vi.waitFor(() => expect(panel.store.getState().photos[0]?.caption).toBe('Baru dari redaktur'));
  });

  it('upload state: asked of core for the story’s photos, then followed through photoUploadChanged', async () => {
    const { core, panel } = await openPanel();
    core.state.uploads.set(SHA(1), { sha256: SHA(1), state: 'uploading', bytesSent: 100, bytesTotal: 400, error: null });
    core.state.attachAnswers.set('a.jpg', attached(1));
    core.state.attachAnswers.set('b.jpg', attached(2));
    await panel.attachFiles([file('a.jpg'), file('b.jpg')]);
    await vi.waitFor(() => expect(uploadStateOf(panel.store.getState(), SHA(1)).state).toBe('uploading'));
    // Not listed by core: pending.
    expect(uploadStateOf(panel.store.getState(), SHA(2)).state).toBe('pending');

    core.emit('photoUploadChanged', { sha256: SHA(1), state: 'done', bytesSent: 400, bytesTotal: 400, error: null });
    core.emit('photoUploadChanged', { sha256: SHA(2), state: 'error', bytesSent: 0, bytesTotal: 900, error: 'server refused' });
    // A photo of another story is none of this panel's business.
    core.emit('photoUploadChanged', { sha256: SHA(9), state: 'uploading', bytesSent: 1, bytesTotal: 2, error: null });
    await settle();
    const state = panel.store.getState();
    expect(uploadStateOf(state, SHA(1))).toMatchObject({ state: 'done', bytesSent: 400 });
    expect(uploadStateOf(state, SHA(2))).toMatchObject({ state: 'error', error: 'server refused' });
    expect(state.uploads[SHA(9)]).toBeUndefined();
  });
});
