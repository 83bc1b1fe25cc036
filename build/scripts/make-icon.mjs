#!/usr/bin/env node
// Draws the app icon (build/icon.png, 1024×1024) with no image tools: a red tile with a
// white newspaper page (masthead bar, headline, text columns). electron-builder derives the
// macOS .icns and Windows .ico from it. Run again after changing the drawing:
//   node build/scripts/make-icon.mjs
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 1024;
const RED = [179, 38, 30, 255];
const WHITE = [250, 248, 242, 255];
const INK = [40, 40, 40, 255];
const GREY = [150, 150, 150, 255];

const pixels = Buffer.alloc(SIZE * SIZE * 4); // transparent

function roundedRect(x0, y0, x1, y1, radius, color) {
  for (let y = y0; y < y1; y += 1) {
    for (let x = x0; x < x1; x += 1) {
      const dx = Math.max(x0 + radius - x - 0.5, 0, x + 0.5 - (x1 - radius));
      const dy = Math.max(y0 + radius - y - 0.5, 0, y + 0.5 - (y1 - radius));
      const coverage = Math.min(1, Math.max(0, radius + 0.5 - Math.hypot(dx, dy)));
      if (coverage > 0) blend(x, y, color, coverage);
    }
  }
}

function blend(x, y, [r, g, b, a], coverage) {
  const i = (y * SIZE + x) * 4;
  const alpha = (a / 255) * coverage;
  const keep = 1 - alpha;
  pixels[i] = Math.round(r * alpha + pixels[i] * keep);
  pixels[i + 1] = Math.round(g * alpha + pixels[i + 1] * keep);
  pixels[i + 2] = Math.round(b * alpha + pixels[i + 2] * keep);
  pixels[i + 3] = Math.round(255 * (alpha + (pixels[i + 3] / 255) * keep));
}

roundedRect(64, 64, 960, 960, 180, RED);
roundedRect(232, 180, 792, 860, 28, WHITE);
roundedRect(292, 240, 732, 320, 10, INK); // masthead
roundedRect(292, 370, 732, 410, 8, INK); // headline
roundedRect(292, 430, 640, 462, 8, INK);
for (let row = 0; row < 6; row += 1) {
  const y = 520 + row * 52;
  roundedRect(292, y, 500, y + 22, 6, GREY); // left column
  roundedRect(524, y, 732, y + 22, 6, GREY); // right column
}

function crc32(bytes) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y += 1) pixels.copy(rows, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
