import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRpcClient } from '../../../shared/rpc/client';
import type { CoreEvents, CoreServices } from '../../../shared/rpc/contract';
import { createMemoryEndpointPair } from '../../../shared/rpc/memoryTransport';
import { createRpcServer } from '../../../shared/rpc/server';
import { setCore } from './coreContext';
import { claimPreopened, preopenDoc } from './docPrefetch';
import type { ReconnectingEndpoint } from './reconnectingEndpoint';

/** A stand-in core over the real RPC layer (memory transport) that records docs.open / docs.close. */
function recordingCore(): string[] {
  const calls: string[] = [];
  const fail = () => Promise.reject(new Error('not in this test'));
  const services = {
    stories: { create: fail, list: fail, get: fail, search: fail, delete: fail, restore: fail },
    docs: {
      async open({ storyId }: { storyId: string }) {
        calls.push(`open ${storyId}`);
        return { storyId, state: new Uint8Array([0, 0]) };
      },
      push: fail,
      async close({ storyId }: { storyId: string }) {
        calls.push(`close ${storyId}`);
      },
    },
    settings: { getAll: fail, set: fail },
  };
  const [a, b] = createMemoryEndpointPair();
  const anySchema = { safeParse: (v: unknown) => ({ success: true, data: v }) };
  const schemas = Object.fromEntries(
    Object.entries(services).map(([s, methods]) => [s, Object.fromEntries(Object.keys(methods).map((m) => [m, anySchema]))]),
  );
  createRpcServer(services as never, schemas as never).attach(a);
  setCore({ client: createRpcClient<CoreServices, CoreEvents>(b), endpoint: b as unknown as ReconnectingEndpoint, transport: 'websocket' });
  return calls;
}

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('pre-opening a story on the press of its row', () => {
  afterEach(() => {
    claimPreopened(A);
    claimPreopened(B);
    vi.useRealTimers();
  });

  it('closes a pre-open at once when another row is pressed before the click', async () => {
    const calls = recordingCore();
    preopenDoc(A);
    preopenDoc(B); // the press on A never became a click
    await vi.waitFor(() => expect(calls).toEqual([`open ${A}`, `close ${A}`, `open ${B}`]));
    expect(claimPreopened(A)).toBeNull();
    await expect(claimPreopened(B)).resolves.toMatchObject({ storyId: B });
  });

  it('closes an unclaimed pre-open after a while, and never one that was claimed', async () => {
    vi.useFakeTimers();
    const calls = recordingCore();
    preopenDoc(A);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toEqual([`open ${A}`, `close ${A}`]);
    preopenDoc(B);
    expect(claimPreopened(B)).not.toBeNull();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toEqual([`open ${A}`, `close ${A}`, `open ${B}`]);
  });
});
