import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.map': 'application/json',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a built folder on 127.0.0.1 (any free port) for the bare baseline page, plus
 * extra in-memory files (the story's Y.Doc bytes). Files are read once and kept, so
 * serving costs nothing measurable.
 */
export async function startStaticServer(root: string, extra: Record<string, Uint8Array> = {}): Promise<StaticServer> {
  const cache = new Map<string, Buffer>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const rel = path === '/' ? 'index.html' : path.slice(1);
      const body = extra[rel] ? Buffer.from(extra[rel]) : await load(rel);
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    })().catch(() => res.writeHead(500).end());
  });

  async function load(rel: string): Promise<Buffer | null> {
    const full = normalize(join(root, rel));
    if (!full.startsWith(normalize(root) + sep)) return null;
    const hit = cache.get(full);
    if (hit) return hit;
    try {
      const data = await readFile(full);
      cache.set(full, data);
      return data;
    } catch {
      return null;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
