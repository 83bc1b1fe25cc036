import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeMetaText } from '../../../shared/doc/metaText';
import { readMeta } from '../../../shared/doc/storyDoc';
import { createRpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { openCore, type Core } from '../core';
import { tempProfile } from '../testing/tempProfile';
import { messagePortEndpoint } from './messagePortEndpoint';
import { electronLikePort, rendererPortEndpoint } from '../testing/nodePorts';

let core: Core | undefined;
let profile: ReturnType<typeof tempProfile> | undefined;
afterEach(() => {
  core?.close();
  profile?.remove();
});

describe('MessagePort transport', () => {
  it('carries calls, Uint8Array updates (structured clone) and events; drops foreign messages', async () => {
    profile = tempProfile();
    core = openCore({ profileDir: profile.dir });
    const { port1, port2 } = new MessageChannel();
    core.rpcServer.attach(messagePortEndpoint(electronLikePort(port1)));
    const client = createRpcClient<CoreServices, CoreEvents>(rendererPortEndpoint(port2));

    port2.postMessage('hello'); // not an RPC message: ignored
    port2.postMessage({ t: 'nonsense' });
    const changed: string[] = [];
    client.on('storyChanged', (s) => changed.push(s.headline));
    const { id } = await client.services.stories.create({});
    const doc = new Y.Doc();
    writeMetaText(doc, 'headline', 'Lewat port');
    await client.services.docs.push({ storyId: id, update: Y.encodeStateAsUpdate(doc) });
    const { state } = await client.services.docs.open({ storyId: id });
    expect(state).toBeInstanceOf(Uint8Array);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, state);
    expect(readMeta(copy).headline).toBe('Lewat port');
    expect(changed).toContain('Lewat port');
    expect(core.rpcServer.clientCount).toBe(1);
    port2.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(core.rpcServer.clientCount).toBe(0);
  });
});
