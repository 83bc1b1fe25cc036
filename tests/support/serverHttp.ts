import http from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * A minimal HTTP client for the newsroom server, as a desktop client would use it: one
 * keep-alive connection per client (its own agent), JSON bodies, a deadline per request,
 * and a gzip answer accepted when the server offers one.
 */
export interface ServerResponse<T> {
  status: number;
  body: T;
  /** Bytes of the request body and of the response body as they crossed the wire. */
  sentBytes: number;
  receivedBytes: number;
}

export class ServerHttpError extends Error {
  override name = 'ServerHttpError';
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
  }
}

export interface ServerClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  token?: string;
  /** Deadline for one request (connect to last byte), ms. */
  timeoutMs?: number;
}

export class ServerClient {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly base: URL;
  token: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: ServerClientOptions) {
    this.base = new URL(options.baseUrl);
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Sends a request; any status is returned (check it), network failures and deadlines reject. */
  request<T>(method: string, path: string, body?: unknown): Promise<ServerResponse<T>> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: http.OutgoingHttpHeaders = { 'accept-encoding': 'gzip' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.base.hostname, port: this.base.port, path, method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          try {
            const raw = Buffer.concat(chunks);
            const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : null) as T, sentBytes: payload?.length ?? 0, receivedBytes: raw.length });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
      const timer = setTimeout(() => req.destroy(new Error(`${method} ${path}: no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(payload);
    });
  }

  /** Like request(), but anything but a 2xx is a ServerHttpError. */
  async ok<T>(method: string, path: string, body?: unknown): Promise<ServerResponse<T>> {
    const res = await this.request<T>(method, path, body);
    if (res.status < 200 || res.status > 299) throw new ServerHttpError(res.status, res.body, `${method} ${path}`);
    return res;
  }

  close(): void {
    this.agent.destroy();
  }
}
