import zlib from 'node:zlib';

/** The error a capped gunzip stream is destroyed with; answered as 413. */
export class InflatedTooLargeError extends Error {
  override name = 'InflatedTooLargeError';
}

/**
 * zlib for @fastify/compress's request decompression, with gunzip streams that stop once
 * they have inflated more than `maxBytes`. Fastify answers 413 as soon as a route's own
 * limit is passed, but it only stops listening: without a cap the inflater would go on
 * through the rest of a zip bomb (a 16 MiB upload can inflate to 16 GiB) after the answer.
 */
export function zlibWithCappedGunzip(maxBytes: number): typeof zlib {
  return {
    ...zlib,
    createGunzip: (options?: zlib.ZlibOptions) => {
      const gunzip = zlib.createGunzip(options);
      let inflated = 0;
      const push = gunzip.push.bind(gunzip);
      gunzip.push = (chunk: unknown, encoding?: BufferEncoding) => {
        if (chunk !== null && !gunzip.destroyed) {
          inflated += (chunk as Buffer).length;
          if (inflated > maxBytes) {
            gunzip.destroy(new InflatedTooLargeError(`the body inflates to more than ${maxBytes} bytes`));
            return false;
          }
        }
        return push(chunk, encoding);
      };
      return gunzip;
    },
  };
}
