import WebSocket from 'ws';
import { NOTIFY_PATH, type NotifyMessage } from '../../shared/server-api/notify';

/** A test's notification socket: what core's client does, with every message kept for assertions. */
export interface TestNotifyClient {
  readonly messages: NotifyMessage[];
  /** Milliseconds (performance.now()) at which each message arrived. */
  readonly arrivals: number[];
  /** Resolves with the first message (from `from` on) that matches, or rejects after `timeoutMs`. */
  next(match: (m: NotifyMessage) => boolean, options?: { from?: number; timeoutMs?: number }): Promise<{ message: NotifyMessage; index: number; at: number }>;
  /** Resolves with the close code and reason once the socket is closed (by either side). */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): void;
  socket: WebSocket;
}

/** Opens `GET /notify` with the token; resolves once the hello arrived; rejects with the HTTP status if the upgrade is refused. */
export async function connectNotify(origin: string, token: string | null, options: { autoPong?: boolean } = {}): Promise<TestNotifyClient> {
  const url = origin.replace(/^http/, 'ws') + NOTIFY_PATH;
  const socket = new WebSocket(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, autoPong: options.autoPong ?? true });
  const messages: NotifyMessage[] = [];
  const arrivals: number[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as NotifyMessage);
    arrivals.push(performance.now());
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode} ${body}`), { statusCode: res.statusCode, body })));
    });
    socket.once('error', reject);
  });
  const client: TestNotifyClient = {
    messages,
    arrivals,
    socket,
    closed,
    close: () => socket.close(),
    next(match, { from = 0, timeoutMs = 20_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const index = messages.findIndex((m, i) => i >= from && match(m));
          if (index < 0) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve({ message: messages[index]!, index, at: arrivals[index]! });
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching notification within ${timeoutMs} ms; got ${JSON.stringify(messages.slice(from))}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
  };
  await client.next((m) => m.type === 'hello');
  return client;
}
