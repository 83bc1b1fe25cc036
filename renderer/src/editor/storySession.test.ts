import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { getMetaMap, readMeta, readMetaText } from '../../../shared/doc/storyDoc';
import { settle, standInCore } from '../testing/standInCore';

const STORY = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

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

afterEach(() => vi.useRealTimers());

/** An edit made elsewhere (the server, a redaktur), as core would broadcast it. */
function remoteEdit(base: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  const remote = new Y.Doc();
  Y.applyUpdate(remote, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(remote);
  edit(remote);
  return Y.encodeStateAsUpdate(remote, before);
}

describe('an open story session and docRemoteUpdate', () => {
  it("applies a redaktur's edits to the open document live and never pushes them back", async () => {
    const { createStorySession } = await import('./storySession');
    const fake = standInCore();
    const stored = fake.docOf(STORY);
    stored.getText('meta.headline').insert(0, 'Harga beras naik');

    const session = createStorySession(fake.connection, STORY);
    session.provider.connect(); // what the editor's binding does
    await session.opened;
    expect(readMetaText(session.doc, 'headline')).toBe('Harga beras naik');

    const update = remoteEdit(stored, (doc) => {
      doc.getText('meta.headline').insert(16, ' lagi');
      getMetaMap(doc).set('redakturId', 'u-redaktur-1');
    });
    Y.applyUpdate(stored, update); // core stores it, then tells the windows holding the story
    fake.emit('docRemoteUpdate', { storyId: STORY, update });
    fake.emit('docRemoteUpdate', { storyId: OTHER, update: remoteEdit(new Y.Doc(), (d) => d.getText('meta.headline').insert(0, 'lain')) });
    await settle();

    expect(readMetaText(session.doc, 'headline')).toBe('Harga beras naik lagi');
    expect(readMeta(session.doc).redakturId).toBe('u-redaktur-1');
    await session.queue.flush();
    expect(fake.state.pushes).toEqual([]); // the remote edit went nowhere but the document

    // The reporter keeps typing: only their own edit is pushed.
    session.doc.getText('meta.headline').insert(0, 'Breaking: ');
    await session.queue.flush();
    expect(fake.state.pushes).toHaveLength(1);
    expect(readMetaText(stored, 'headline')).toBe('Breaking: Harga beras naik lagi');
    await session.close();
  });

  it('holds remote edits that arrive before the stored document is in, then applies them after it', async () => {
    const { createStorySession } = await import('./storySession');
    const fake = standInCore();
    const stored = fake.docOf(STORY);
    stored.getText('meta.headline').insert(0, 'Banjir');

    const session = createStorySession(fake.connection, STORY);
    await settle(); // docs.open answered, but the editor has not connected yet
    const update = remoteEdit(stored, (doc) => doc.getText('meta.headline').insert(6, ' Jakarta'));
    fake.emit('docRemoteUpdate', { storyId: STORY, update });
    await settle();
    expect(session.provider.isLoaded).toBe(false);
    expect(readMetaText(session.doc, 'headline')).toBe(''); // nothing before the binding listens

    session.provider.connect();
    await session.opened;
    expect(readMetaText(session.doc, 'headline')).toBe('Banjir Jakarta');
    await session.queue.flush();
    expect(fake.state.pushes).toEqual([]);

    // Closed: later events for the story are ignored.
    await session.close();
    expect(() => fake.emit('docRemoteUpdate', { storyId: STORY, update })).not.toThrow();
    await settle();
  });
});
