import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InflatedTooLargeError, zlibWithCappedGunzip } from './cappedGunzip';

async function inflate(gz: Buffer, cap: number): Promise<{ bytes: number; error: unknown }> {
  let bytes = 0;
  const error = await pipeline(Readable.from([gz]), zlibWithCappedGunzip(cap).createGunzip(), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) bytes += chunk.length;
  }).catch((e: unknown) => e);
  return { bytes, error };
}

describe('request gunzip with a cap', () => {
  it('inflates a body up to the cap as usual', async () => {
    const body = Buffer.from('{"stories":[]}'.padEnd(100_000, ' '));
    expect(await inflate(gzipSync(body), 100_000)).toEqual({ bytes: 100_000, error: undefined });
  });

  it('stops a zip bomb at the cap instead of inflating it to the end', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const { bytes, error } = await inflate(bomb, 1024 * 1024);
    expect(error).toBeInstanceOf(InflatedTooLargeError);
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
  });
});
