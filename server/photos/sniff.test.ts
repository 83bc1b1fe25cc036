import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffImage } from './sniff';

const fixture = (name: string) => readFileSync(join(__dirname, '../../tests/fixtures/photos', name));

describe('sniffImage', () => {
  it('recognises JPEG, PNG and WebP by their bytes', () => {
    expect(sniffImage(fixture('iptc-xmp-credit.jpg'))).toBe('image/jpeg');
    expect(sniffImage(fixture('no-metadata.png'))).toBe('image/png');
    expect(sniffImage(fixture('webp-photo.webp'))).toBe('image/webp');
  });

  it('recognises a HEIC file by its ftyp brand', () => {
    const head = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(8)]);
    expect(sniffImage(head)).toBe('image/heic');
  });

  it('refuses what is not an image, whatever its name says', () => {
    expect(sniffImage(fixture('not-a-photo.jpg'))).toBeNull();
    expect(sniffImage(fixture('empty.jpg'))).toBeNull();
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeNull();
    expect(sniffImage(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
  });
});
