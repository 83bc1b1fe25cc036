import { createServerClient, ServerRequestError } from '../net/serverClient';
import type { ServerSession } from './session';

/**
 * The sync engine's calls to the server. They go through core's one HTTP client
 * (net/serverClient.ts: a deadline on the whole exchange, body included, so a stalled link
 * is abandoned and the exchange retried later; gzip for larger bodies; the server's JSON
 * errors); this module only sorts its failures into what the engine does next.
 */

/** Why a request to the server did not give an answer to use. */
export class ServerCallError extends Error {
  constructor(
    /** `unreachable`: no answer (refused, reset, timed out, not a Ruang Redaksi answer); `rejected`: 401; `server`: any other failure. */
    readonly kind: 'unreachable' | 'rejected' | 'server',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ServerCallError';
  }
}

/** The network boundary the engine is given (tests inject faults here); the global fetch fits it. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string | Uint8Array<ArrayBuffer>; signal: AbortSignal }) => Promise<{
  status: number;
  ok: boolean;
  text(): Promise<string>;
}>;

/**
 * Request bodies from this size on are sent gzip-compressed (the server inflates them): Yjs
 * updates travel as base64 in JSON, and gzip takes more than half of it off, which is
 * seconds on a field link. Tiny bodies go as they are (the header would cost more).
 */
export const GZIP_FROM_CHARS = 1024;

export async function callServer<T>(
  fetchImpl: FetchLike,
  session: ServerSession,
  request: { method: 'GET' | 'POST'; path: string; body?: unknown },
  timeoutMs: number,
  /** Aborts the request at once (the engine stopping). */
  cancel?: AbortSignal,
): Promise<T> {
  // The engine's FetchLike is the part of fetch's signature the client uses.
  const client = createServerClient({ fetch: fetchImpl as unknown as typeof fetch, timeoutMs, gzipRequestsOver: GZIP_FROM_CHARS - 1 });
  const path = request.path.startsWith('/') ? request.path : `/${request.path}`;
  try {
    return await client.request<T>(session.serverUrl, {
      method: request.method,
      path,
      token: session.token,
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(cancel ? { signal: cancel } : {}),
    });
  } catch (error) {
    if (!(error instanceof ServerRequestError)) throw error;
    const what = `${request.method} ${path}: ${error.message}`;
    if (error.status === 401) throw new ServerCallError('rejected', what, 401);
    if (error.status === null) throw new ServerCallError('unreachable', what);
    throw new ServerCallError('server', what, error.status);
  }
}
