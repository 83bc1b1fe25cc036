// Draining stashed edits into a real core (SQLite in a temp profile, the real RPC server
// and client over the in-memory transport). The only stand-in is the browser's
// localStorage, a plain Map behind the Storage interface.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openCore, type Core } from '../../electron/core/core';
import { rowCounts, tempProfile } from '../../electron/core/testing/tempProfile';
import { drainStashes } from '../../renderer/src/editor/stashDrain';
import { readRefused } from '../../renderer/src/editor/setAside';
import { readStash, stashedStoryIds, writeStash } from '../../renderer/src/editor/stash';
import { getMetaMap } from '../../shared/doc/storyDoc';
import { writeStoryBody } from '../../shared/editor/headless';
import { createRpcClient, type RpcClient } from '../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../shared/rpc/contract';
import { createMemoryEndpointPair } from '../../shared/rpc/memoryTransport';
import { RpcError } from '../../shared/rpc/protocol';

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
    clear: () => map.clear(),
  };
}

let profile: ReturnType<typeof tempProfile>;
let core: Core;
let client: RpcClient<CoreServices, CoreEvents>;
const push = (input: { storyId: string; update: Uint8Array }) => client.services.docs.push(input);

beforeEach(() => {
  (globalThis as { window?: unknown }).window = { localStorage: memoryStorage() };
  profile = tempProfile();
  core = openCore({ profileDir: profile.dir, onInternalError: (m, e) => console.error(m, e) });
  const [serverSide, clientSide] = createMemoryEndpointPair();
  core.rpcServer.attach(serverSide);
  client = createRpcClient<CoreServices, CoreEvents>(clientSide);
});
afterEach(() => {
  client.dispose();
  core.close();
  profile.remove();
  delete (globalThis as { window?: unknown }).window;
});

/** What a session stashes: the story's unsent edits, here a headline and a body. */
function edits(headline: string, words: string): { doc: Y.Doc; update: Uint8Array } {
  const doc = new Y.Doc();
  getMetaMap(doc).set('headline', headline);
  writeStoryBody(doc, [{ type: 'paragraph', children: [words] }]);
  return { doc, update: Y.encodeStateAsUpdate(doc) };
}

describe('draining stashes at start', () => {
  it("pushes a story's stash into core without opening it: list and search see it, the stash is cleared", async () => {
    const { id } = await client.services.stories.create({});
    writeStash(id, edits('Banjir Rob Pekalongan', 'Air laut merendam pesisir Pekalongan sejak subuh').update);

    const report = await drainStashes(push);

    expect(report).toMatchObject({ delivered: [id], refused: [], kept: [] });
    expect(stashedStoryIds()).toEqual([]);
    const listed = await client.services.stories.list({});
    expect(listed.items.find((s) => s.id === id)?.headline).toBe('Banjir Rob Pekalongan');
    const hits = await client.services.stories.search({ query: 'Pekalongan' });
    expect(hits.map((h) => h.id)).toContain(id);
  });

  it('clears a stash core already has (a replay that changes nothing)', async () => {
    const { id } = await client.services.stories.create({});
    const { update } = edits('Sudah tersimpan', 'kata kata');
    await push({ storyId: id, update });
    writeStash(id, update);

    const report = await drainStashes(push);

    expect(report.delivered).toEqual([id]);
    expect(readStash(id)).toBeNull();
  });

  it('clears a stash that holds nothing without sending it', async () => {
    const { id } = await client.services.stories.create({});
    writeStash(id, Y.encodeStateAsUpdate(new Y.Doc()));
    core.flush();
    const before = rowCounts(profile.dir);
    const report = await drainStashes(push);
    expect(report.delivered).toEqual([id]);
    expect(readStash(id)).toBeNull();
    expect(rowCounts(profile.dir)).toEqual(before);
  });

  it('moves a stash core refuses for good apart (kept, not retried), and keeps one it cannot reach', async () => {
    const gone = crypto.randomUUID(); // a story this profile does not have: not_found
    const refusedBytes = edits('Hilang', 'tidak ada cerita ini').update;
    writeStash(gone, refusedBytes);
    const { id } = await client.services.stories.create({});
    writeStash(id, edits('Nanti', 'dikirim nanti').update);

    // The link drops before the second push: what the reconnecting endpoint answers while down.
    const linkDown = () => Promise.reject(new RpcError('transport_closed', 'Not connected to core'));
    const first = await drainStashes((input) => (input.storyId === gone ? push(input) : linkDown()));

    expect(first.refused).toEqual([gone]);
    expect(first.kept).toEqual([id]);
    expect(readStash(gone)).toBeNull();
    expect(readRefused(gone).map((r) => r.code)).toEqual(['not_found']);
    expect(readRefused(gone)[0]!.update).toEqual(refusedBytes);
    expect(readStash(id)).not.toBeNull();

    // Next start: the kept stash goes in, the refused edits stay for the user.
    const second = await drainStashes(push);
    expect(second.delivered).toEqual([id]);
    expect(readRefused(gone)).toHaveLength(1);
  });

  it("retries edits set aside after core's own failures ('internal'), and forgets them once core took them", async () => {
    const { id } = await client.services.stories.create({});
    const { keepRefused } = await import('../../renderer/src/editor/setAside');
    keepRefused(id, edits('Gangguan disk', 'tulisan yang gagal disimpan').update, 'internal');
    keepRefused(id, new Uint8Array([1, 2, 3]), 'invalid_input');

    const report = await drainStashes(push);

    expect(report.recovered).toEqual([id]);
    expect(readRefused(id).map((r) => r.code)).toEqual(['invalid_input']);
    expect((await client.services.stories.get({ id })).headline).toBe('Gangguan disk');
  });
});
