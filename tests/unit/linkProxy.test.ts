// The weak-link proxy of tests/support/linkProxy.ts, with real sockets on 127.0.0.1. Timing
// is asserted as lower bounds only (a loaded machine is slower, never faster).
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLinkProxy, type LinkProxy, type LinkProxyOptions } from '../support/linkProxy';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A TCP server for the far end; `onSocket` decides what it does with each connection. */
async function startTarget(onSocket: (socket: net.Socket) => void): Promise<{ port: number; sockets: net.Socket[] }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as net.AddressInfo).port, sockets };
}

async function proxyTo(targetPort: number, options: Omit<LinkProxyOptions, 'targetPort'> = {}): Promise<LinkProxy> {
  const proxy = await startLinkProxy({ targetPort, ...options });
  cleanups.push(() => proxy.close());
  return proxy;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.on('error', reject);
    cleanups.push(() => void socket.destroy());
  });
}

function closed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed && socket.closed ? resolve() : socket.once('close', () => resolve())));
}

/** Reads until `count` bytes arrived or the socket closed; resolves with what arrived. */
function readBytes(socket: net.Socket, count: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = () => {
      socket.off('data', onData);
      resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= count) done();
    };
    socket.on('data', onData);
    socket.once('close', done);
    socket.on('error', () => undefined);
  });
}

const echo = (socket: net.Socket) => socket.pipe(socket);

describe('linkProxy', () => {
  it('forwards bytes both ways unchanged', async () => {
    const target = await startTarget(echo);
    const proxy = await proxyTo(target.port);
    const client = await connect(proxy.port);
    const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
    const got = readBytes(client, payload.length);
    client.write(payload);
    expect((await got).equals(payload)).toBe(true);
    expect(proxy.stats()).toMatchObject({ bytesUp: payload.length, bytesDown: payload.length, accepted: 1 });
  });

  it('adds the configured one-way delay in each direction (a round trip costs at least twice the delay)', async () => {
    const target = await startTarget(echo);
    const proxy = await proxyTo(target.port, { delayMs: 60 });
    const client = await connect(proxy.port);
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const got = readBytes(client, 4);
      client.write('ping');
      expect((await got).toString()).toBe('ping');
      // 1 ms of slack for timer rounding; no upper bound (a loaded machine is slower).
      expect(performance.now() - t0).toBeGreaterThanOrEqual(2 * 60 - 1);
    }
  });

  it('paces each direction to the bandwidth limit', async () => {
    const size = 48_000;
    const target = await startTarget((socket) => socket.end(Buffer.alloc(size, 7)));
    const rate = 32_000; // 256 kbit/s
    const proxy = await proxyTo(target.port, { bytesPerSecond: rate });
    const t0 = performance.now();
    const client = await connect(proxy.port);
    // Record when bytes arrive: pacing means they come gradually, not in one burst at the end.
    const arrivals: Array<{ at: number; total: number }> = [];
    let total = 0;
    client.on('data', (chunk: Buffer) => {
      total += chunk.length;
      arrivals.push({ at: performance.now() - t0, total });
    });
    await closed(client);
    expect(total).toBe(size);
    const elapsed = performance.now() - t0;
    // 48,000 bytes at 32,000 B/s take 1.5 s; the first slice may go at once.
    expect(elapsed).toBeGreaterThanOrEqual(((size - 1024) / rate) * 1000 - 5);
    const halfway = arrivals.find((a) => a.total >= size / 2)!;
    expect(halfway.at).toBeGreaterThanOrEqual(((size / 2 - 1024) / rate) * 1000 - 5);
  });

  it('shares one link per direction between connections', async () => {
    const size = 16_000;
    const target = await startTarget((socket) => socket.end(Buffer.alloc(size, 1)));
    const rate = 32_000;
    const proxy = await proxyTo(target.port, { bytesPerSecond: rate });
    const t0 = performance.now();
    const clients = await Promise.all([connect(proxy.port), connect(proxy.port)]);
    const sizes = await Promise.all(clients.map((c) => readBytes(c, size)));
    expect(sizes.map((b) => b.length)).toEqual([size, size]);
    // Two × 16,000 bytes through one 32,000 B/s link: a second at least.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(((2 * size - 2048) / rate) * 1000 - 5);
  });

  it('cutNow resets every open connection: both the client and the server side close', async () => {
    const target = await startTarget(() => undefined);
    const proxy = await proxyTo(target.port);
    const clients = await Promise.all([connect(proxy.port), connect(proxy.port)]);
    await expect.poll(() => target.sockets.length).toBe(2);
    const everyClose = [...clients, ...target.sockets].map(closed);
    expect(proxy.cutNow()).toBe(2);
    await Promise.all(everyClose);
    expect(proxy.stats()).toMatchObject({ open: 0, cuts: 1 });
    // The link came back: a new connection works.
    const again = await connect(proxy.port);
    await expect.poll(() => target.sockets.length).toBe(3);
    const got = readBytes(again, 2);
    target.sockets[2]!.write('ok');
    expect((await got).toString()).toBe('ok');
  });

  it('cuts once after a chosen number of bytes: exactly that many arrive, later connections work', async () => {
    const target = await startTarget((socket) => socket.write(Buffer.alloc(10_000, 2)));
    const proxy = await proxyTo(target.port);
    proxy.cutAfter({ afterBytes: 4_000, direction: 'down' });
    const client = await connect(proxy.port);
    const got = await readBytes(client, 10_000);
    expect(got.length).toBe(4_000);
    await closed(client);
    await expect.poll(() => target.sockets[0]!.destroyed).toBe(true);
    const second = await connect(proxy.port);
    expect((await readBytes(second, 10_000)).length).toBe(10_000);
    expect(proxy.stats().cuts).toBe(1);
  });

  it('cuts once after a chosen time', async () => {
    const target = await startTarget(() => undefined);
    const proxy = await proxyTo(target.port);
    const client = await connect(proxy.port);
    const t0 = performance.now();
    proxy.cutAfter({ afterMs: 150 });
    await closed(client);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(149);
    expect(proxy.stats().cuts).toBe(1);
  });

  it('a stalled link accepts but forwards nothing, so a client deadline fires; restore makes it work again', async () => {
    const server = http.createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    let requests = 0;
    server.on('request', () => requests++);
    const proxy = await proxyTo((server.address() as net.AddressInfo).port);

    proxy.stall();
    const t0 = performance.now();
    const stalled = fetch(`${proxy.url}/`, { signal: AbortSignal.timeout(300) });
    await expect(stalled).rejects.toThrow(/timeout|aborted/i);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(299);
    expect(proxy.stats().accepted).toBeGreaterThanOrEqual(1);
    expect(requests).toBe(0);

    proxy.restore();
    const res = await fetch(`${proxy.url}/`, { signal: AbortSignal.timeout(10_000), headers: { connection: 'close' } });
    expect(await res.text()).toBe('hello');
  });

  it('close() closes every connection and frees the port', async () => {
    const target = await startTarget(() => undefined);
    const proxy = await startLinkProxy({ targetPort: target.port });
    const client = await connect(proxy.port);
    await expect.poll(() => target.sockets.length).toBe(1);
    const gone = [closed(client), closed(target.sockets[0]!)];
    await proxy.close();
    await Promise.all(gone);
    const again = net.createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(proxy.port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });

  it('stops by itself after its lifetime', async () => {
    const target = await startTarget(() => undefined);
    const proxy = await startLinkProxy({ targetPort: target.port, lifetimeMs: 1_500 });
    cleanups.push(() => proxy.close());
    const client = await connect(proxy.port);
    await closed(client);
    await expect(connect(proxy.port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('rejects nonsense settings with a clear error', async () => {
    await expect(startLinkProxy({ targetPort: 1, delayMs: -1 })).rejects.toThrow(/delayMs/);
    await expect(startLinkProxy({ targetPort: 1, bytesPerSecond: 0 })).rejects.toThrow(/bytesPerSecond/);
  });
});
