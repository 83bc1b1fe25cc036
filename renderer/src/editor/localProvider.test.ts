import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeMetaText } from '../../../shared/doc/metaText';
import { readMeta } from '../../../shared/doc/storyDoc';
import { LocalProvider } from './localProvider';

function storedState(): Uint8Array {
  const doc = new Y.Doc();
  writeMetaText(doc, 'headline', 'Harga beras naik');
  return Y.encodeStateAsUpdate(doc);
}

function record(provider: LocalProvider, doc: Y.Doc): string[] {
  const events: string[] = [];
  provider.on('sync', ((synced: boolean) => events.push(`sync:${synced}:${readMeta(doc).headline}`)) as never);
  provider.on('status', ((s: { status: string }) => events.push(s.status)) as never);
  return events;
}

describe('LocalProvider', () => {
  it('applies the stored bytes on the first connect only, then reports sync', () => {
    const doc = new Y.Doc();
    const provider = new LocalProvider(doc);
    const events = record(provider, doc);
    let loads = 0;
    provider.supply(() => {
      loads++;
      Y.applyUpdate(doc, storedState());
      return true;
    });
    expect(readMeta(doc).headline).toBe(''); // nothing before the binding listens
    provider.connect();
    provider.disconnect();
    provider.connect(); // a remount: no second load
    expect(loads).toBe(1);
    expect(events).toEqual(['connected', 'sync:true:Harga beras naik', 'disconnected', 'connected', 'sync:true:Harga beras naik']);
    provider.destroy();
  });

  it('when the editor connects before core answered, waits and syncs once the bytes are supplied', () => {
    const doc = new Y.Doc();
    const provider = new LocalProvider(doc);
    const events = record(provider, doc);
    let loadedSeen = false;
    provider.onLoaded(() => (loadedSeen = true));
    provider.connect();
    expect(events).toEqual([]); // no 'sync' yet: Lexical must not bootstrap an empty paragraph
    expect(provider.isLoaded).toBe(false);
    provider.supply(() => {
      Y.applyUpdate(doc, storedState());
      return true;
    });
    expect(events).toEqual(['connected', 'sync:true:Harga beras naik']);
    expect(loadedSeen).toBe(true);
    provider.destroy();
  });

  it('does not load when supplied but never connected', () => {
    const doc = new Y.Doc();
    const provider = new LocalProvider(doc);
    let loads = 0;
    provider.supply(() => ++loads > 0);
    expect(loads).toBe(0);
    provider.connect();
    expect(loads).toBe(1);
    provider.destroy();
  });

  it('offers an awareness for the collaboration plugin and releases it on destroy', () => {
    const doc = new Y.Doc();
    const provider = new LocalProvider(doc);
    provider.awareness.setLocalStateField('name', 'Penulis');
    expect(provider.awareness.getLocalState()).toMatchObject({ name: 'Penulis' });
    provider.destroy();
    expect(provider.awareness.getLocalState()).toBeNull();
  });

  it('after a load that failed, never reports sync or loaded (the editor stays read-only, Lexical seeds nothing)', () => {
    const doc = new Y.Doc();
    const provider = new LocalProvider(doc);
    const events = record(provider, doc);
    let loadedSeen = false;
    provider.onLoaded(() => (loadedSeen = true));
    provider.supply(() => false);
    provider.connect();
    provider.connect();
    expect(events.filter((e) => e.startsWith('sync'))).toEqual([]);
    expect(provider.isLoaded).toBe(false);
    expect(loadedSeen).toBe(false);
    provider.destroy();
  });
});
