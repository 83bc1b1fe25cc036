import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { RpcErrorCode } from '../../../shared/rpc/protocol';
import { RpcError } from '../../../shared/rpc/protocol';
import type { ApiErrorCode } from '../../../shared/server-api/errors';
import type { DirectoryResponse, LoginResponse, MeResponse } from '../../../shared/server-api/schemas';

/**
 * Core's HTTP client for the newsroom server: Node's fetch, a deadline on every call (a
 * stalled connection or a body that stops half way fails instead of waiting forever), and
 * the server's JSON errors (`{"error":{"code","message"}}`) turned into RpcErrors the
 * renderer understands. Responses compressed with gzip/deflate/br are decoded by fetch
 * itself; request bodies can be gzipped (`gzipRequestsOver`) once the server accepts them.
 */

const GZIP = promisify(gzip);

/** What one HTTP call failed with; `code` is the RpcError code, the rest says exactly why. */
export class ServerRequestError extends RpcError {
  override name = 'ServerRequestError';
  constructor(
    code: RpcErrorCode,
    message: string,
    /** HTTP status, or null when no answer came (connection refused, timeout, DNS). */
    readonly status: number | null,
    /** The server's own error code when it answered one. */
    readonly apiCode: ApiErrorCode | null,
  ) {
    super(code, message);
  }
}

export interface ServerClientOptions {
  /** Deadline of a whole call, answer body included (default 15 s). */
  timeoutMs?: number;
  /** Gzip JSON request bodies larger than this many bytes (default: never). */
  gzipRequestsOver?: number;
  /** Injected in tests only to reach fault paths; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface ServerCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/changes?since=0`. */
  path: string;
  token?: string;
  body?: unknown;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ServerClient {
  /** One JSON call; resolves with the parsed body (undefined for 204). */
  request<T>(serverUrl: string, call: ServerCall): Promise<T>;
  /** `login_failed` for wrong credentials (and a username the server could never hold). */
  login(serverUrl: string, username: string, password: string, signal?: AbortSignal): Promise<LoginResponse>;
  logout(serverUrl: string, token: string, signal?: AbortSignal): Promise<void>;
  me(serverUrl: string, token: string, signal?: AbortSignal): Promise<MeResponse>;
  directory(serverUrl: string, token: string, signal?: AbortSignal): Promise<DirectoryResponse>;
}

export const DEFAULT_SERVER_TIMEOUT_MS = 15_000;

/** `https://host:port/base` without a trailing slash, or a RpcError for anything else. */
export function normalizeServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new RpcError('invalid_input', `"${raw}" is not a server address (http://… or https://…)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RpcError('invalid_input', `"${raw}" is not an http:// or https:// address`);
  if (url.username || url.password || url.search || url.hash) throw new RpcError('invalid_input', `"${raw}": a server address carries no user, query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function createServerClient(options: ServerClientOptions = {}): ServerClient {
  const doFetch = options.fetch ?? fetch;
  const defaultTimeout = options.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS;

  async function request<T>(serverUrl: string, call: ServerCall): Promise<T> {
    const base = normalizeServerUrl(serverUrl);
    const url = `${base}${call.path}`;
    const timeoutMs = call.timeoutMs ?? defaultTimeout;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const signal = call.signal ? AbortSignal.any([deadline.signal, call.signal]) : deadline.signal;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    let body: Uint8Array<ArrayBuffer> | string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
      if (options.gzipRequestsOver !== undefined && Buffer.byteLength(body) > options.gzipRequestsOver) {
        body = new Uint8Array(await GZIP(body));
        headers['content-encoding'] = 'gzip';
      }
    }
    const unreachable = (why: string) =>
      new ServerRequestError('server_unreachable', `The newsroom server at ${base} ${why}`, null, null);
    try {
      let response: Response;
      let text: string;
      try {
        response = await doFetch(url, { method: call.method, headers, body, signal, redirect: 'error' });
        text = await response.text();
      } catch (error) {
        if (call.signal?.aborted) throw unreachable('call was cancelled');
        if (deadline.signal.aborted) throw unreachable(`did not answer within ${Math.round(timeoutMs / 100) / 10} s`);
        throw unreachable(`cannot be reached (${describeNetworkError(error)})`);
      }
      if (response.ok) {
        if (response.status === 204 || text === '') return undefined as T;
        try {
          return JSON.parse(text) as T;
        } catch {
          throw unreachable(`answered something that is not JSON (is this a Ruang Redaksi server?)`);
        }
      }
      throw errorFromResponse(base, response.status, text);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    request,
    async login(serverUrl, username, password, signal) {
      try {
        return await request<LoginResponse>(serverUrl, { method: 'POST', path: '/auth/login', body: { username, password }, signal });
      } catch (error) {
        if (error instanceof ServerRequestError && (error.apiCode === 'invalid_credentials' || error.apiCode === 'invalid_request')) {
          // invalid_request: a username the server's rules could never hold, so no such account.
          throw new ServerRequestError('login_failed', 'Wrong username or password, or the account is deactivated', error.status, error.apiCode);
        }
        if (error instanceof ServerRequestError && error.apiCode === 'rate_limited') {
          throw new ServerRequestError('login_failed', `Too many login attempts: ${error.message}`, error.status, error.apiCode);
        }
        throw error;
      }
    },
    async logout(serverUrl, token, signal) {
      await request<void>(serverUrl, { method: 'POST', path: '/auth/logout', token, signal });
    },
    me: (serverUrl, token, signal) => request<MeResponse>(serverUrl, { method: 'GET', path: '/auth/me', token, signal }),
    directory: (serverUrl, token, signal) => request<DirectoryResponse>(serverUrl, { method: 'GET', path: '/directory', token, signal }),
  };
}

/** Maps an HTTP error answer to an RpcError code; the server's own code and message are kept. */
export function errorFromResponse(base: string, status: number, text: string): ServerRequestError {
  let apiCode: ApiErrorCode | null = null;
  let message = `HTTP ${status}`;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (parsed && typeof parsed.error?.code === 'string') {
      apiCode = parsed.error.code as ApiErrorCode;
      if (typeof parsed.error.message === 'string') message = parsed.error.message;
    }
  } catch {
    // Not our server's JSON (a proxy's page, another web server): decided by status below.
  }
  if (apiCode === null && status !== 401) {
    return new ServerRequestError('server_unreachable', `The address ${base} answered HTTP ${status}, not like a Ruang Redaksi server`, status, null);
  }
  const code: RpcErrorCode =
    status === 401 || status === 403
      ? 'unauthorized'
      : status === 404
        ? 'not_found'
        : status === 409
          ? 'conflict'
          : status === 429 || status >= 500
            ? 'server_unreachable' // busy or broken for now: worth trying again later
            : 'invalid_input';
  return new ServerRequestError(code, `The newsroom server refused the request: ${message}`, status, apiCode);
}

function describeNetworkError(error: unknown): string {
  // undici wraps the system error (ECONNREFUSED, ENOTFOUND, ...) as the cause of "fetch failed".
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
