import { describe, expect, it } from 'vitest';
import { contentTypeFor } from './contentTypes';

describe('contentTypeFor', () => {
  it('maps the renderer build files by extension, case-insensitively', () => {
    expect(contentTypeFor('/srv/dist/renderer/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('C:\\app\\assets\\index-B7X3.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('assets/icon.svg')).toBe('image/svg+xml');
  });

  it('serves unknown, extension-less and dot files as opaque bytes', () => {
    expect(contentTypeFor('/srv/dist/archive.tar.zst')).toBe('application/octet-stream');
    expect(contentTypeFor('/srv/dist/README')).toBe('application/octet-stream');
    expect(contentTypeFor('/srv/.html')).toBe('application/octet-stream');
    expect(contentTypeFor('/srv.d/file')).toBe('application/octet-stream');
  });
});
