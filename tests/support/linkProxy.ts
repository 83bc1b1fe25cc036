/**
 * A small TCP proxy on 127.0.0.1 that makes a loopback connection behave like a weak link,
 * for tests and benchmarks (the kernel here has no netem qdisc, and Debian no toxiproxy):
 *
 * - latency: every byte is held `delayMs` in each direction (one way), so a round trip
 *   costs 2 × delayMs more than on loopback;
 * - bandwidth: each direction is one shared link of `bytesPerSecond` (all connections
 *   together, like a field modem), paced in small slices so bytes arrive gradually;
 * - cut: every open connection is reset at once (both sides see the connection die), now,
 *   after a chosen time or after a chosen number of forwarded bytes; later connections
 *   work again, like a link that dropped and came back;
 * - stall: connections are still accepted but nothing is forwarded until `restore()`
 *   (bytes are held, as TCP would, and flow again then), so a client's deadline must fire.
 *
 * Bounded: it stops by itself after `lifetimeMs`, and `close()` destroys every socket and
 * frees the port. The sender is paused while more than HIGH_WATER bytes wait in the proxy,
 * so a fast writer meets back-pressure as it would on a real slow link.
 */
import net from 'node:net';

export interface LinkProxyOptions {
  /** Where connections go (a server on this machine). */
  targetPort: number;
  targetHost?: string;
  /** Port to listen on, 127.0.0.1 only; 0 (the default) picks a free one. */
  port?: number;
  /** Added one-way delay in each direction, ms (round trip = 2 ×). Default 0. */
  delayMs?: number;
  /** Link capacity per direction in bytes per second, shared by all connections; null = unlimited. */
  bytesPerSecond?: number | null;
  /** The proxy closes itself after this long, so a forgotten one never outlives its test. Default 10 minutes. */
  lifetimeMs?: number;
}

export type Direction = 'up' | 'down';

export interface LinkProxyStats {
  /** Connections accepted so far. */
  accepted: number;
  /** Connections open now. */
  open: number;
  /** Bytes delivered client → server ('up') and server → client ('down'). */
  bytesUp: number;
  bytesDown: number;
  /** Cuts performed so far. */
  cuts: number;
}

export interface CutPlan {
  /** Cut this many ms from now. */
  afterMs?: number;
  /** Cut once this many more bytes have been delivered (counting `direction`, both by default). */
  afterBytes?: number;
  direction?: Direction | 'both';
}

export interface LinkProxy {
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  setDelay(ms: number): void;
  setBandwidth(bytesPerSecond: number | null): void;
  /** Resets every open connection now; returns how many were cut. */
  cutNow(): number;
  /** Arms one cut of every open connection (whichever of time or bytes comes first); replaces an armed one. */
  cutAfter(plan: CutPlan): void;
  /** Accept, but forward nothing (either way) until restore(). */
  stall(): void;
  /** Ends a stall: held bytes flow again. */
  restore(): void;
  stats(): LinkProxyStats;
  /** Destroys every connection, stops listening; resolves when the port is free. */
  close(): Promise<void>;
}

/** Bytes a single delivery carries at most when pacing: small slices make the flow gradual. */
const SLICE_BYTES = 1024;
/** Pause the sender while this much waits inside the proxy for one direction of one connection. */
const HIGH_WATER = 64 * 1024;
const DEFAULT_LIFETIME_MS = 10 * 60 * 1000;

interface Pending {
  due: number;
  data: Buffer;
}

/** One direction of one connection: bytes read from `source`, delivered to `sink` when due. */
interface Pipe {
  direction: Direction;
  source: net.Socket;
  sink: net.Socket;
  queue: Pending[];
  queuedBytes: number;
  /** Bytes read while stalled, scheduled when the stall ends. */
  held: Buffer[];
  sourceEnded: boolean;
  sinkEnded: boolean;
  timer: NodeJS.Timeout | null;
}

interface Connection {
  client: net.Socket;
  upstream: net.Socket;
  up: Pipe;
  down: Pipe;
}

export async function startLinkProxy(options: LinkProxyOptions): Promise<LinkProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  let delayMs = checkedNonNegative(options.delayMs ?? 0, 'delayMs');
  let bytesPerSecond = checkedRate(options.bytesPerSecond ?? null);
  let stalled = false;
  let closed = false;
  const connections = new Set<Connection>();
  /** When each direction's shared link is next free to start sending (ms, performance clock). */
  const linkFreeAt: Record<Direction, number> = { up: 0, down: 0 };
  const stats: LinkProxyStats = { accepted: 0, open: 0, bytesUp: 0, bytesDown: 0, cuts: 0 };
  let armedCut: { bytesLeft: number | null; direction: Direction | 'both'; timer: NodeJS.Timeout | null } | null = null;

  const now = () => performance.now();

  function schedule(pipe: Pipe, data: Buffer): void {
    // Pacing: each slice occupies the direction's link for size / rate; latency is added on top.
    const sliceSize = bytesPerSecond === null ? data.length : SLICE_BYTES;
    for (let offset = 0; offset < data.length; offset += sliceSize) {
      const slice = data.subarray(offset, Math.min(data.length, offset + sliceSize));
      let sentAt = now();
      if (bytesPerSecond !== null) {
        const start = Math.max(sentAt, linkFreeAt[pipe.direction]);
        sentAt = start + (slice.length / bytesPerSecond) * 1000;
        linkFreeAt[pipe.direction] = sentAt;
      }
      // Never overtake: a delay lowered mid-stream still keeps bytes in order.
      const last = pipe.queue[pipe.queue.length - 1];
      const due = Math.max(sentAt + delayMs, last ? last.due : 0);
      pipe.queue.push({ due, data: slice });
      pipe.queuedBytes += slice.length;
    }
    if (pipe.queuedBytes > HIGH_WATER) pipe.source.pause();
    armTimer(pipe);
  }

  function armTimer(pipe: Pipe): void {
    if (pipe.timer || pipe.queue.length === 0 || stalled) return;
    const wait = Math.max(0, pipe.queue[0]!.due - now());
    pipe.timer = setTimeout(() => {
      pipe.timer = null;
      deliver(pipe);
    }, wait);
  }

  function deliver(pipe: Pipe): void {
    if (stalled) return;
    const t = now();
    while (pipe.queue.length > 0 && pipe.queue[0]!.due <= t + 1) {
      const item = pipe.queue.shift()!;
      pipe.queuedBytes -= item.data.length;
      let data = item.data;
      let cutAfterThis = false;
      if (armedCut && armedCut.bytesLeft !== null && (armedCut.direction === 'both' || armedCut.direction === pipe.direction)) {
        if (data.length >= armedCut.bytesLeft) {
          data = data.subarray(0, armedCut.bytesLeft);
          cutAfterThis = true;
        }
        armedCut.bytesLeft -= data.length;
      }
      if (data.length > 0 && !pipe.sink.destroyed && !pipe.sinkEnded) {
        pipe.sink.write(data);
        if (pipe.direction === 'up') stats.bytesUp += data.length;
        else stats.bytesDown += data.length;
      }
      if (cutAfterThis) {
        fireArmedCut();
        return;
      }
    }
    if (pipe.queuedBytes <= HIGH_WATER / 2 && pipe.source.isPaused() && !pipe.source.destroyed) pipe.source.resume();
    if (pipe.queue.length === 0 && pipe.sourceEnded && !pipe.sinkEnded) {
      pipe.sinkEnded = true;
      if (!pipe.sink.destroyed) pipe.sink.end();
    }
    armTimer(pipe);
  }

  function makePipe(direction: Direction, source: net.Socket, sink: net.Socket): Pipe {
    const pipe: Pipe = { direction, source, sink, queue: [], queuedBytes: 0, held: [], sourceEnded: false, sinkEnded: false, timer: null };
    source.on('data', (chunk: Buffer) => {
      if (stalled) {
        pipe.held.push(chunk);
        if (pipe.held.reduce((n, b) => n + b.length, 0) > HIGH_WATER) source.pause();
        return;
      }
      schedule(pipe, chunk);
    });
    source.on('end', () => {
      pipe.sourceEnded = true;
      if (!stalled) deliver(pipe);
    });
    return pipe;
  }

  function dropConnection(conn: Connection, reset: boolean): void {
    if (!connections.delete(conn)) return;
    stats.open = connections.size;
    for (const pipe of [conn.up, conn.down]) {
      if (pipe.timer) clearTimeout(pipe.timer);
      pipe.timer = null;
      pipe.queue = [];
      pipe.queuedBytes = 0;
      pipe.held = [];
    }
    for (const socket of [conn.client, conn.upstream]) {
      if (socket.destroyed) continue;
      // A reset (RST) is what a peer sees when a link dies under a live connection.
      if (reset) socket.resetAndDestroy();
      else socket.destroy();
    }
  }

  function cutAll(): number {
    const victims = [...connections];
    for (const conn of victims) dropConnection(conn, true);
    stats.cuts++;
    return victims.length;
  }

  function disarmCut(): void {
    if (armedCut?.timer) clearTimeout(armedCut.timer);
    armedCut = null;
  }

  function fireArmedCut(): void {
    disarmCut();
    cutAll();
  }

  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false }, (client) => {
    if (closed) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: targetHost, port: options.targetPort, allowHalfOpen: true });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const conn: Connection = { client, upstream, up: makePipe('up', client, upstream), down: makePipe('down', upstream, client) };
    connections.add(conn);
    stats.accepted++;
    stats.open = connections.size;
    const onError = () => dropConnection(conn, true);
    client.on('error', onError);
    upstream.on('error', onError);
    // Both directions finished (each side ended and was told so) or one side vanished.
    const onClose = () => {
      if (client.destroyed && upstream.destroyed) dropConnection(conn, false);
      else if (conn.up.sinkEnded && conn.down.sinkEnded) dropConnection(conn, false);
    };
    client.on('close', onClose);
    upstream.on('close', onClose);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: options.port ?? 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      closed = true;
      clearTimeout(lifetime);
      disarmCut();
      for (const conn of [...connections]) dropConnection(conn, false);
      server.close(() => resolve());
    }));
  const lifetime = setTimeout(() => void close(), options.lifetimeMs ?? DEFAULT_LIFETIME_MS);
  lifetime.unref();

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    setDelay(ms) {
      delayMs = checkedNonNegative(ms, 'delayMs');
    },
    setBandwidth(rate) {
      bytesPerSecond = checkedRate(rate);
    },
    cutNow: cutAll,
    cutAfter(plan) {
      disarmCut();
      if (plan.afterMs === undefined && plan.afterBytes === undefined) throw new Error('cutAfter needs afterMs or afterBytes');
      const cut = {
        bytesLeft: plan.afterBytes === undefined ? null : checkedNonNegative(plan.afterBytes, 'afterBytes'),
        direction: plan.direction ?? 'both',
        timer: null as NodeJS.Timeout | null,
      };
      if (plan.afterMs !== undefined) {
        cut.timer = setTimeout(fireArmedCut, checkedNonNegative(plan.afterMs, 'afterMs'));
        cut.timer.unref();
      }
      armedCut = cut;
    },
    stall() {
      stalled = true;
      for (const conn of connections) {
        for (const pipe of [conn.up, conn.down]) {
          if (pipe.timer) clearTimeout(pipe.timer);
          pipe.timer = null;
        }
      }
    },
    restore() {
      if (!stalled) return;
      stalled = false;
      // Bytes that waited in the queue were "in flight": they go on from now, held ones behind them.
      for (const conn of connections) {
        for (const pipe of [conn.up, conn.down]) {
          const held = pipe.held;
          pipe.held = [];
          const t = now();
          for (const item of pipe.queue) item.due = Math.max(item.due, t);
          for (const chunk of held) schedule(pipe, chunk);
          deliver(pipe);
        }
      }
    },
    stats: () => ({ ...stats }),
    close,
  };
}

function checkedNonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a finite number ≥ 0, got ${value}`);
  return value;
}

function checkedRate(rate: number | null): number | null {
  if (rate === null) return null;
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`bytesPerSecond must be a positive number or null, got ${rate}`);
  return rate;
}
