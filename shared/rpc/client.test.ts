import { describe, expect, it } from 'vitest';
import { createRpcClient, type CallTimers } from './client';
import { rpcFailureKind, isTransientRpcError } from './errors';
import { createMemoryEndpointPair } from './memoryTransport';
import { RpcError, type RpcEndpoint, type RpcErrorCode, type RpcRequest } from './protocol';

/** Timers that fire only when the test says so. */
function manualTimers(): CallTimers & { fireAll(): void; armed(): number[] } {
  let next = 1;
  const timers = new Map<number, { fn: () => void; ms: number }>();
  return {
    setTimeout(fn, ms) {
      const id = next++;
      timers.set(id, { fn, ms });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    fireAll() {
      const due = [...timers.values()];
      timers.clear();
      for (const t of due) t.fn();
    },
    armed: () => [...timers.values()].map((t) => t.ms),
  };
}

/** A core that records requests and answers only when told. */
function heldCore(side: RpcEndpoint) {
  const requests: RpcRequest[] = [];
  side.onMessage((m) => {
    if (m.t === 'req') requests.push(m);
  });
  return {
    requests,
    answer(req: RpcRequest, result: unknown) {
      side.send({ t: 'res', id: req.id, ok: true, result });
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

type Svc = { docs: { push(i: object): Promise<string>; open(i: object): Promise<string> } };

describe('RPC client deadlines', () => {
  it('rejects a call nobody answers with a transient timeout, and ignores the late answer', async () => {
    const [clientSide, coreSide] = createMemoryEndpointPair();
    const timers = manualTimers();
    const core = heldCore(coreSide);
    const client = createRpcClient<Svc, object>(clientSide, { timers });
    const hung = client.services.docs.push({});
    await tick();
    expect(core.requests).toHaveLength(1);
    timers.fireAll();
    const error = await hung.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RpcError);
    expect((error as RpcError).code).toBe('timeout');
    expect(isTransientRpcError(error)).toBe(true);

    // The answer arrives after the deadline: dropped, and the next call still works.
    core.answer(core.requests[0]!, 'late');
    await tick();
    const next = client.services.docs.open({});
    await tick();
    core.answer(core.requests[1]!, 'fresh');
    await expect(next).resolves.toBe('fresh');
    expect(timers.armed()).toEqual([]); // an answered call leaves no timer behind
  });

  it('gives docs.push its own deadline, every other call the default, and lets a call override both', async () => {
    const [clientSide, coreSide] = createMemoryEndpointPair();
    const timers = manualTimers();
    heldCore(coreSide);
    const client = createRpcClient<Svc, object>(clientSide, { timers, defaultTimeoutMs: 30_000, timeouts: { 'docs.push': 10_000 } });
    void client.services.docs.push({}).catch(() => {});
    void client.services.docs.open({}).catch(() => {});
    void client.call('docs.open', {}, { timeoutMs: 0 }).catch(() => {});
    expect(timers.armed()).toEqual([10_000, 30_000]);
    client.dispose();
  });

  it('uses the shipped deadlines when none are given', async () => {
    const [clientSide] = createMemoryEndpointPair();
    const timers = manualTimers();
    const client = createRpcClient<Svc, object>(clientSide, { timers });
    void client.services.docs.push({}).catch(() => {});
    void client.services.docs.open({}).catch(() => {});
    expect(timers.armed()).toEqual([10_000, 30_000]);
    client.dispose();
  });

  it('a closed link rejects pending calls at once and clears their deadlines', async () => {
    const [clientSide] = createMemoryEndpointPair();
    const timers = manualTimers();
    const client = createRpcClient<Svc, object>(clientSide, { timers });
    const pending = client.services.docs.push({});
    clientSide.close();
    await expect(pending).rejects.toMatchObject({ code: 'transport_closed' });
    expect(timers.armed()).toEqual([]);
  });
});

describe('RPC failure classification', () => {
  it('tells a refusal from an absence', () => {
    for (const code of ['transport_closed', 'timeout'] as const) expect(rpcFailureKind(new RpcError(code, ''))).toBe('transient');
    expect(rpcFailureKind(new RpcError('internal', ''))).toBe('bounded');
    expect(isTransientRpcError(new RpcError('internal', ''))).toBe(true);
    for (const code of ['invalid_input', 'not_found', 'unknown_method', 'story_damaged'] as string[] as RpcErrorCode[]) {
      expect(rpcFailureKind(new RpcError(code, ''))).toBe('permanent');
      expect(isTransientRpcError(new RpcError(code, ''))).toBe(false);
    }
    // A throw that never came from core (a link failing while sending) keeps the data queued.
    expect(rpcFailureKind(new Error('socket gone'))).toBe('transient');
  });
});
