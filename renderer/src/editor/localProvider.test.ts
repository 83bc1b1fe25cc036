import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getMetaMap } from '../../../shared/doc/storyDoc';
import { LocalProvider } from './localProvider';

function storedState(): Uint8Array {
  const doc = new Y.Doc();
  getMetaMap(doc).set('headline', 'Harga beras naik');
  return Y.encodeStateAsUpdate(doc);
}

describe('LocalProvider', () => {
  it('applies the stored bytes on the first connect only, then reports sync', () => {
    const doc = new Y.Doc();
    const state = storedState();
    let loads = 0;
    const provider = new LocalProvider(doc, () => {
      loads++;
      Y.applyUpdate(doc, state);
    });
    const events: string[] = [];
    const onSync = (synced: boolean) => events.push(`sync:${synced}:${getMetaMap(doc).get('headline')}`);
    const onStatus = (s: { status: string }) => events.push(s.status);
    provider.on('sync', onSync as never);
    provider.on('status', onStatus as never);
    expect(getMetaMap(doc).get('headline')).toBeUndefined(); // nothing before the binding listens
    provider.connect();
    provider.disconnect();
    provider.connect(); // React StrictMode / remount: no second load
    expect(loads).toBe(1);
    expect(events).toEqual(['connected', 'sync:true:Harga beras naik', 'disconnected', 'connected', 'sync:true:Harga beras naik']);
    provider.off('sync', onSync as never);
    provider.connect();
    expect(events.filter((e) => e.startsWith('sync'))).toHaveLength(2);
    provider.destroy();
  });

  it('offers an awareness for the collaboration plugin and releases it on destroy', () => {
    const doc = new Y.Doc();
    const provider = new LocalProvider(doc, () => {});
    provider.awareness.setLocalStateField('name', 'Penulis');
    expect(provider.awareness.getLocalState()).toMatchObject({ name: 'Penulis' });
    provider.destroy();
    expect(provider.awareness.getLocalState()).toBeNull();
  });
});
