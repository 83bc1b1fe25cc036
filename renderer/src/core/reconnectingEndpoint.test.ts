import { describe, expect, it } from 'vitest';
import { createRpcClient } from '../../../shared/rpc/client';
import { RpcError, type RpcMessage } from '../../../shared/rpc/protocol';
import type { CoreLink } from './link';
import { createReconnectingEndpoint, type ConnectionStatus, type Timers } from './reconnectingEndpoint';

function manualTimers(): Timers & { runAll(): void; count(): number } {
  const pending = new Map<number, () => void>();
  let id = 0;
  return {
    setTimeout(fn) {
      pending.set(++id, fn);
      return id;
    },
    clearTimeout(h) {
      pending.delete(h as number);
    },
    runAll() {
      const fns = [...pending.values()];
      pending.clear();
      for (const f of fns) f();
    },
    count: () => pending.size,
  };
}

/** A fake link to an echo "core" that answers every request with its method name. */
function fakeLink(): CoreLink & { kill(): void } {
  let onMessage: (m: RpcMessage) => void = () => {};
  let onClose: () => void = () => {};
  return {
    send(m) {
      if (m.t === 'req') queueMicrotask(() => onMessage({ t: 'res', id: m.id, ok: true, result: m.method }));
    },
    onMessage: (l) => (onMessage = l),
    onClose: (l) => (onClose = l),
    close: () => onClose(),
    kill: () => onClose(),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('reconnecting endpoint', () => {
  it('reports unreachable core, retries with backoff and connects when core appears', async () => {
    const timers = manualTimers();
    let coreUp = false;
    const links: ReturnType<typeof fakeLink>[] = [];
    const statuses: ConnectionStatus[] = [];
    const ep = createReconnectingEndpoint(
      async () => {
        if (!coreUp) throw new Error('refused');
        const l = fakeLink();
        links.push(l);
        return l;
      },
      { timers, random: () => 0 },
    );
    ep.onStatus((s) => statuses.push(s));
    await tick();
    expect(ep.status()).toMatchObject({ state: 'disconnected', everConnected: false, failures: 1 });
    expect(timers.count()).toBe(1);
    coreUp = true;
    timers.runAll();
    await tick();
    expect(ep.status()).toMatchObject({ state: 'connected', everConnected: true, failures: 0 });
    const client = createRpcClient<{ a: { b(i: object): Promise<string> } }, object>(ep);
    await expect(client.services.a.b({})).resolves.toBe('a.b');
    ep.close();
  });

  it('fails pending and new calls while down (so callers keep their data), then recovers', async () => {
    const timers = manualTimers();
    const links: ReturnType<typeof fakeLink>[] = [];
    const ep = createReconnectingEndpoint(
      async () => {
        const l = fakeLink();
        links.push(l);
        return l;
      },
      { timers, random: () => 0 },
    );
    const reconnects: boolean[] = [];
    ep.onConnected((again) => reconnects.push(again));
    await tick();
    const client = createRpcClient<{ docs: { push(i: object): Promise<string> } }, object>(ep);
    links[0]!.send = () => {}; // core never answers this one
    const lost = client.services.docs.push({});
    links[0]!.kill();
    await expect(lost).rejects.toMatchObject({ code: 'transport_closed' });
    await expect(client.services.docs.push({})).rejects.toBeInstanceOf(RpcError);
    expect(ep.status().state).toBe('disconnected');
    timers.runAll();
    await tick();
    expect(ep.status().state).toBe('connected');
    expect(reconnects).toEqual([false, true]);
    await expect(client.services.docs.push({})).resolves.toBe('docs.push');
    ep.close();
  });
});
