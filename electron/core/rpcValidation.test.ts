import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeMetaText } from '../../shared/doc/metaText';
import type { StorySummary } from '../../shared/domain/story';
import { createRpcClient, type RpcClient } from '../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../shared/rpc/contract';
import { createMemoryEndpointPair } from '../../shared/rpc/memoryTransport';
import { RpcError } from '../../shared/rpc/protocol';
import { openCore, type Core } from './core';
import { rowCounts, tempProfile } from './testing/tempProfile';

let profile: ReturnType<typeof tempProfile>;
let core: Core;
let client: RpcClient<CoreServices, CoreEvents>;
let storyId: string;

beforeEach(async () => {
  profile = tempProfile();
  core = openCore({ profileDir: profile.dir, onInternalError: (m, e) => console.error(m, e) });
  const [serverSide, clientSide] = createMemoryEndpointPair();
  core.rpcServer.attach(serverSide);
  client = createRpcClient<CoreServices, CoreEvents>(clientSide);
  storyId = (await client.services.stories.create({})).id;
  const doc = new Y.Doc();
  writeMetaText(doc, 'headline', 'Awal');
  await client.services.docs.push({ storyId, update: Y.encodeStateAsUpdate(doc) });
  await client.services.settings.set({ key: 'uiLanguage', value: 'en' });
  core.flush();
});
afterEach(() => {
  client.dispose();
  core.close();
  profile.remove();
});

async function rpcError(method: string, input: unknown): Promise<RpcError> {
  try {
    await client.call(method, input);
  } catch (error) {
    expect(error).toBeInstanceOf(RpcError);
    return error as RpcError;
  }
  throw new Error(`${method} accepted ${JSON.stringify(input)}`);
}

const uuid = () => crypto.randomUUID();
const BAD_INPUTS: Array<[string, unknown]> = [
  ['stories.create', { extra: 1 }],
  ['stories.create', 'create please'],
  ['stories.create', null],
  ['stories.list', { limit: 'ten' }],
  ['stories.list', { limit: 0 }],
  ['stories.list', { offset: -1 }],
  ['stories.list', { status: 'bogus' }],
  ['stories.list', { trash: 'yes' }],
  ['stories.list', { sort: 'headline' }],
  ['stories.get', { id: 'not-a-uuid' }],
  ['stories.get', { id: 42 }],
  ['stories.get', {}],
  ['stories.search', { query: 7 }],
  ['stories.search', { query: 'x'.repeat(501) }],
  ['stories.delete', { id: "1' OR '1'='1" }],
  ['stories.delete', { id: 'STORY', extra: true }],
  ['stories.restore', { id: [] }],
  ['docs.open', { storyId: 'abc' }],
  ['docs.open', { id: 'wrong-key' }],
  ['docs.push', { storyId: 'abc', update: new Uint8Array([0, 0]) }],
  ['docs.push', { storyId: 'STORY', update: 'AAAA' }],
  ['docs.push', { storyId: 'STORY', update: [0, 0] }],
  ['docs.push', { storyId: 'STORY', update: new Uint8Array(0) }],
  ['docs.push', { storyId: 'STORY', update: new Uint8Array([0, 0]), seq: 9 }],
  ['docs.push', { storyId: 'STORY', update: new Uint8Array([1, 2, 3]) }],
  ['docs.push', { storyId: 'STORY', update: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) }],
  ['docs.push', { storyId: 'STORY', update: new TextEncoder().encode('{"ops":[]}') }],
  ['docs.close', { storyId: 'STORY', now: true }],
  ['settings.set', { key: 'uiLanguage', value: 'fr' }],
  ['settings.set', { key: 'theme', value: 'dark' }],
  ['settings.set', { key: 'uiLanguage', value: 'id', extra: 1 }],
  ['settings.set', { key: 'maxPhotoMegabytes', value: 0 }],
  ['settings.set', { key: 'maxPhotoMegabytes', value: 61 }],
  ['settings.set', { key: 'maxPhotoMegabytes', value: 2.5 }],
  ['settings.set', { key: 'maxPhotoMegabytes', value: '50' }],
  ['settings.getAll', { all: true }],
];

describe('RPC input validation against the real core', () => {
  it.each(BAD_INPUTS.map(([m, input], i) => [i, m, input] as const))('#%i %s rejects bad input and writes nothing', async (_i, method, rawInput) => {
    const input = JSON.parse(JSON.stringify(rawInput ?? null, (_k, v: unknown) => (v === 'STORY' ? storyId : v)), (_k, v: unknown) => v);
    // JSON round trip loses Uint8Array: put the bytes back.
    if (rawInput && typeof rawInput === 'object' && 'update' in rawInput) (input as { update: unknown }).update = (rawInput as { update: unknown }).update;
    const before = rowCounts(profile.dir);
    const listBefore = await client.services.stories.list({});
    const settingsBefore = await client.services.settings.getAll({});

    const error = await rpcError(method, input);
    expect(error.code).toBe('invalid_input');

    expect(rowCounts(profile.dir)).toEqual(before);
    expect(await client.services.stories.list({})).toEqual(listBefore);
    expect(await client.services.settings.getAll({})).toEqual(settingsBefore);
  });

  it('names the failing field', async () => {
    const error = await rpcError('stories.get', { id: 'nope' });
    expect(error.issues?.[0]?.path).toBe('id');
  });

  it('answers unknown methods and prototype keys with unknown_method', async () => {
    for (const method of ['stories.drop', 'nothing', '__proto__.toString', 'stories.constructor', 'docs.hasOwnProperty']) {
      expect((await rpcError(method, {})).code).toBe('unknown_method');
    }
  });

  it('answers an unknown story with not_found, and good input still works', async () => {
    expect((await rpcError('stories.get', { id: uuid() })).code).toBe('not_found');
    expect((await rpcError('docs.push', { storyId: uuid(), update: new Uint8Array([0, 0]) })).code).toBe('not_found');
    const events: StorySummary[] = [];
    client.on('storyChanged', (s) => events.push(s));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await client.services.docs.open({ storyId })).state); // edit on top of 'Awal', not beside it
    writeMetaText(doc, 'headline', 'Baru');
    await client.services.docs.push({ storyId, update: Y.encodeStateAsUpdate(doc) });
    expect(await client.services.stories.get({ id: storyId })).toMatchObject({ headline: 'Baru' });
    await new Promise((r) => setTimeout(r, 10));
    expect(events.at(-1)).toMatchObject({ id: storyId, headline: 'Baru' });
  });
});
