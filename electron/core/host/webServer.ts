import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RpcEndpoint } from '../../../shared/rpc/protocol';
import { contentSecurityPolicy } from '../../../shared/web/contentSecurityPolicy';
import { webSocketEndpoint } from '../transport/webSocketEndpoint';
import { resolveStatic, sendFile } from './staticFiles';

export const RPC_PATH = '/rpc';
const HOST = '127.0.0.1';
/** A 20,000-word story as one update is well under this; anything bigger is not ours. */
const MAX_WS_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface WebServerOptions {
  /** 0 = any free port. */
  port: number;
  /** The built renderer (dist/renderer). May not exist yet: a 503 page explains. */
  rendererDir: string;
  /** Serves one connected client (core's rpcServer.attach). */
  attach: (endpoint: RpcEndpoint) => void;
  /** The secret the socket demands: the profile's (webToken.ts) in web mode; random when absent. */
  token?: string;
}

export interface WebServer {
  port: number;
  token: string;
  /** The line web mode prints: open this in a browser. */
  url: string;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} on ${HOST} is already in use. Choose another with --port N (0 picks a free one).`);
    this.name = 'PortInUseError';
  }
}

/**
 * Web mode's only listener, bound to 127.0.0.1: the built renderer as static files, and
 * the RPC WebSocket at /rpc. The socket is for this profile's pages only: it needs the
 * token, an Origin of exactly this server (no other local page or site), and a Host of
 * exactly 127.0.0.1:PORT (no DNS rebinding).
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  let port = options.port;
  const origin = () => `http://${HOST}:${port}`;
  const hostHeader = () => `${HOST}:${port}`;

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });
  wss.on('connection', (socket) => options.attach(webSocketEndpoint(socket)));

  const server = createServer((req, res) => {
    try {
      handleHttp(req, res);
    } catch {
      if (!res.headersSent) text(res, 500, 'Internal error');
      else res.destroy();
    }
  });

  function handleHttp(req: IncomingMessage, res: ServerResponse): void {
    setSecurityHeaders(res, port);
    if (req.headers.host !== hostHeader()) {
      // localhost is the same machine: send the browser to the one origin the socket accepts.
      if (req.headers.host === `localhost:${port}`) {
        res.writeHead(302, { Location: `${origin()}${req.url ?? '/'}` }).end();
        return;
      }
      return text(res, 421, `Use ${origin()}/`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return text(res, 405, 'Method not allowed');
    }
    const r = resolveStatic(options.rendererDir, req.url ?? '/');
    switch (r.kind) {
      case 'file':
        return sendFile(req, res, r.file, r.immutable);
      case 'not_built':
        return text(
          res,
          503,
          `Ruang Redaksi: the renderer is not built yet (no ${join(options.rendererDir, 'index.html')}).\nRun "npm run build:renderer" (or "npm run web", which builds everything), then reload.\n`,
        );
      case 'forbidden':
        return text(res, 403, 'Forbidden');
      case 'bad_request':
        return text(res, 400, 'Bad request');
      case 'not_found':
        return text(res, 404, 'Not found');
    }
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', origin());
    if (url.pathname !== RPC_PATH) return refuse(socket, 404, 'Not Found');
    if (req.headers.host !== hostHeader() || req.headers.origin !== origin()) return refuse(socket, 403, 'Forbidden');
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return refuse(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port, HOST);
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `${origin()}/#token=${token}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function setSecurityHeaders(res: ServerResponse, port: number): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy({ webSocketOrigin: `ws://${HOST}:${port}` }));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
