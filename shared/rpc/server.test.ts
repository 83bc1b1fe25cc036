import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRpcClient } from './client';
import { createMemoryEndpointPair } from './memoryTransport';
import { createRpcServer, type RpcCaller, type ServiceHandlers } from './server';

interface EchoServices {
  echo: { whoAmI(input: { tag: string }): Promise<string> };
}

/** A server whose one method answers with the caller's id, and remembers every caller it saw. */
function echoServer(onInternalError?: (method: string, error: unknown) => void) {
  const callers: RpcCaller[] = [];
  const handlers: ServiceHandlers<EchoServices> = {
    echo: {
      async whoAmI({ tag }, caller) {
        callers.push(caller);
        return `${tag}:${caller.id}`;
      },
    },
  };
  const server = createRpcServer<EchoServices, Record<string, never>>(handlers, { echo: { whoAmI: z.object({ tag: z.string() }) } }, { onInternalError });
  const connect = () => {
    const [serverSide, clientSide] = createMemoryEndpointPair();
    const detach = server.attach(serverSide);
    return { client: createRpcClient<EchoServices, Record<string, never>>(clientSide), clientSide, detach };
  };
  return { server, callers, connect };
}

describe('RPC server: the calling connection', () => {
  it('gives each attached client its own caller, the same for all its calls', async () => {
    const { callers, connect } = echoServer();
    const a = connect();
    const b = connect();
    const [a1, b1, a2] = await Promise.all([
      a.client.services.echo.whoAmI({ tag: 'a1' }),
      b.client.services.echo.whoAmI({ tag: 'b1' }),
      a.client.services.echo.whoAmI({ tag: 'a2' }),
    ]);
    expect(a1.split(':')[1]).toBe(a2.split(':')[1]);
    expect(a1.split(':')[1]).not.toBe(b1.split(':')[1]);
    expect(callers[0]).toBe(callers[2]);
  });

  it('tells detach listeners once, whether the endpoint closes or detach is called, and at once after that', async () => {
    const { server, callers, connect } = echoServer();
    const closing = connect();
    const detaching = connect();
    await closing.client.services.echo.whoAmI({ tag: 'x' });
    await detaching.client.services.echo.whoAmI({ tag: 'y' });
    const [closingCaller, detachingCaller] = callers as [RpcCaller, RpcCaller];
    const seen: string[] = [];
    closingCaller.onDetach(() => seen.push('closed'));
    const off = closingCaller.onDetach(() => seen.push('unsubscribed'));
    off();
    detachingCaller.onDetach(() => seen.push('detached'));
    expect(server.clientCount).toBe(2);

    closing.clientSide.close(); // the tab went away
    detaching.detach();
    detaching.detach();
    expect(seen).toEqual(['closed', 'detached']);
    expect([closingCaller.detached, detachingCaller.detached]).toEqual([true, true]);
    expect(server.clientCount).toBe(0);
    closingCaller.onDetach(() => seen.push('late'));
    expect(seen).toEqual(['closed', 'detached', 'late']);
  });

  it('reports a detach listener that throws and still runs the others', async () => {
    const errors: string[] = [];
    const { callers, connect } = echoServer((method) => errors.push(method));
    const tab = connect();
    await tab.client.services.echo.whoAmI({ tag: 'z' });
    const seen: string[] = [];
    callers[0]!.onDetach(() => {
      throw new Error('boom');
    });
    callers[0]!.onDetach(() => seen.push('second'));
    tab.clientSide.close();
    expect(errors).toEqual(['detach']);
    expect(seen).toEqual(['second']);
  });
});
