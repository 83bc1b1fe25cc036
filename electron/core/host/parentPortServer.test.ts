import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createRpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { openCore, type Core } from '../core';
import { rowCounts, tempProfile } from '../testing/tempProfile';
import { serveParentPort, type ParentPortMessage } from './parentPortServer';
import { electronLikePort, rendererPortEndpoint } from '../testing/nodePorts';

let profile: ReturnType<typeof tempProfile>;
let core: Core;
afterEach(() => {
  core.close();
  profile.remove();
});

describe('utility host protocol (process.parentPort)', () => {
  it('says ready, serves each connected port, and flushes and exits 0 on shutdown', async () => {
    profile = tempProfile();
    core = openCore({ profileDir: profile.dir, indexDelayMs: 60_000 });
    let deliver: (m: ParentPortMessage) => void = () => {};
    const toMain: unknown[] = [];
    const exits: number[] = [];
    serveParentPort({ on: (_e, l) => (deliver = l), postMessage: (m) => toMain.push(m) }, core, (code) => exits.push(code));
    expect(toMain).toEqual([{ type: 'ready' }]);

    const clients = [0, 1].map(() => {
      const { port1, port2 } = new MessageChannel();
      deliver({ data: { type: 'connect' }, ports: [electronLikePort(port1)] });
      return { client: createRpcClient<CoreServices, CoreEvents>(rendererPortEndpoint(port2)), port2 };
    });
    deliver({ data: 'garbage', ports: [] });
    const { id } = await clients[0]!.client.services.stories.create({});
    expect((await clients[1]!.client.services.stories.get({ id })).id).toBe(id);
    expect(core.rpcServer.clientCount).toBe(2);

    deliver({ data: { type: 'shutdown' }, ports: [] });
    expect(exits).toEqual([0]);
    expect(rowCounts(profile.dir).stories).toBe(1);
    for (const c of clients) c.port2.close();
  });
});
