import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createRpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import type { RpcEndpoint, RpcMessage } from '../../../shared/rpc/protocol';
import { openCore, type Core } from '../core';
import { rowCounts, tempProfile } from '../testing/tempProfile';
import type { MessagePortLike } from '../transport/messagePortEndpoint';
import { serveParentPort, type ParentPortMessage } from './parentPortServer';

function electronLike(port: MessagePort): MessagePortLike {
  return {
    on(event: 'message' | 'close', listener: (e: { data: unknown }) => void) {
      if (event === 'message') port.on('message', (data: unknown) => listener({ data }));
      else port.on('close', () => (listener as () => void)());
      return this;
    },
    postMessage: (m: unknown) => port.postMessage(m),
    start: () => port.start(),
    close: () => port.close(),
  } as MessagePortLike;
}
function plainEndpoint(port: MessagePort): RpcEndpoint {
  return {
    send: (m) => port.postMessage(m),
    onMessage(l) {
      const h = (d: RpcMessage) => l(d);
      port.on('message', h);
      return () => port.off('message', h);
    },
    onClose: () => () => {},
    close: () => port.close(),
  };
}

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
      deliver({ data: { type: 'connect' }, ports: [electronLike(port1)] });
      return { client: createRpcClient<CoreServices, CoreEvents>(plainEndpoint(port2)), port2 };
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
