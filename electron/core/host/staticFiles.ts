import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { contentTypeFor } from '../../../shared/web/contentTypes';

export type StaticResolution =
  | { kind: 'file'; file: string; immutable: boolean }
  | { kind: 'not_built' }
  | { kind: 'forbidden' }
  | { kind: 'bad_request' }
  | { kind: 'not_found' };

/**
 * Maps a request path onto a file under `root` (the built renderer). A path with a `..`
 * segment, a NUL or a backslash is refused before touching the disk, and the real path of
 * the result must still lie under root (no escape through symlinks). Paths without an
 * extension fall back to index.html (client-side routes).
 */
export function resolveStatic(root: string, rawUrl: string): StaticResolution {
  const index = join(root, 'index.html');
  if (!existsSync(index)) return { kind: 'not_built' };

  const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '/';
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'bad_request' };
  }
  if (!path.startsWith('/') || path.includes('\0') || path.includes('\\')) return { kind: 'bad_request' };
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return { kind: 'forbidden' };

  const rootReal = realpathSync(root);
  if (segments.length === 0) return { kind: 'file', file: index, immutable: false };
  const candidate = join(rootReal, ...segments);
  if (existsSync(candidate)) {
    const real = realpathSync(candidate);
    if (real !== rootReal && !real.startsWith(rootReal + sep)) return { kind: 'forbidden' };
    if (statSync(real).isFile()) return { kind: 'file', file: real, immutable: segments[0] === 'assets' };
    if (existsSync(join(real, 'index.html'))) return { kind: 'file', file: join(real, 'index.html'), immutable: false };
  }
  if (extname(segments[segments.length - 1]!) === '') return { kind: 'file', file: index, immutable: false };
  return { kind: 'not_found' };
}

/** Streams a resolved file (HEAD gets headers only). */
export function sendFile(req: IncomingMessage, res: ServerResponse, file: string, immutable: boolean): void {
  const size = statSync(file).size;
  res.writeHead(200, {
    'Content-Type': contentTypeFor(file),
    'Content-Length': size,
    // Vite puts content-hashed names under assets/; everything else may change between builds.
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
