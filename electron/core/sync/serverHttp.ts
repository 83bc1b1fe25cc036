import { gzipSync } from 'node:zlib';
import type { ServerSession } from './session';

/**
 * The few HTTP calls the sync engine makes, each with a deadline: a request that stalls
 * (a link that stops moving bytes) is abandoned and the exchange retried later.
 */

/** Why a request to the server did not give an answer to use. */
export class ServerCallError extends Error {
  constructor(
    /** `unreachable`: no answer (refused, reset, timed out); `rejected`: 401; `server`: any other failure. */
    readonly kind: 'unreachable' | 'rejected' | 'server',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ServerCallError';
  }
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string | Uint8Array<ArrayBuffer>; signal: AbortSignal }) => Promise<{
  status: number;
  ok: boolean;
  text(): Promise<string>;
}>;

/** Request bodies from this size on are sent gzip-compressed (the server inflates them). */
export const GZIP_FROM_CHARS = 1024;

export async function callServer<T>(
  fetchImpl: FetchLike,
  session: ServerSession,
  request: { method: 'GET' | 'POST'; path: string; body?: unknown },
  timeoutMs: number,
  /** Aborts the request at once (the engine stopping). */
  cancel?: AbortSignal,
): Promise<T> {
  const url = new URL(request.path, session.serverUrl.endsWith('/') ? session.serverUrl : `${session.serverUrl}/`).toString();
  const headers: Record<string, string> = { authorization: `Bearer ${session.token}`, accept: 'application/json' };
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.body);
    // Yjs updates travel as base64 in JSON: gzip takes more than half of it off, which is
    // seconds on a field link. Tiny bodies go as they are (the header would cost more).
    if (body.length >= GZIP_FROM_CHARS) {
      body = new Uint8Array(gzipSync(body));
      headers['content-encoding'] = 'gzip';
    }
  }
  const controller = new AbortController();
  // One deadline for the whole exchange, body included: a stall while reading the answer
  // counts as much as one before the headers.
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const onCancel = () => controller.abort();
  cancel?.addEventListener('abort', onCancel);
  try {
    let response: Awaited<ReturnType<FetchLike>>;
    let text: string;
    try {
      response = await fetchImpl(url, {
        method: request.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      const why = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error);
      throw new ServerCallError('unreachable', `${request.method} ${request.path}: ${why}`);
    }
    if (response.status === 401) throw new ServerCallError('rejected', `${request.method} ${request.path}: the server refused the session`, 401);
    if (!response.ok) throw new ServerCallError('server', `${request.method} ${request.path}: HTTP ${response.status} ${text.slice(0, 200)}`, response.status);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ServerCallError('server', `${request.method} ${request.path}: the answer is not JSON`, response.status);
    }
  } finally {
    clearTimeout(timer);
    cancel?.removeEventListener('abort', onCancel);
  }
}
