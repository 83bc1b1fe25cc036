import { describe, expect, it } from 'vitest';
import { parseServerArgs, UsageError } from './args';

describe('server arguments: where photos go', () => {
  it('keeps photos in DATA/photos by default, or in --photos DIR', () => {
    expect(parseServerArgs(['--data', '/srv/rr'], {}).photoStorage).toEqual({ kind: 'file', directory: '/srv/rr/photos' });
    expect(parseServerArgs(['--data', '/srv/rr', '--photos', '/mnt/foto'], {}).photoStorage).toEqual({ kind: 'file', directory: '/mnt/foto' });
  });

  it('keeps photos in an S3-compatible bucket when PHOTOS_S3_BUCKET names one', () => {
    const args = parseServerArgs(['--data', '/srv/rr'], {
      PHOTOS_S3_BUCKET: 'redaksi-foto',
      PHOTOS_S3_REGION: 'ap-southeast-3',
      PHOTOS_S3_ENDPOINT: 'http://127.0.0.1:9000',
      PHOTOS_S3_FORCE_PATH_STYLE: '1',
    });
    expect(args.photoStorage).toEqual({ kind: 's3', bucket: 'redaksi-foto', region: 'ap-southeast-3', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true });
    expect(() => parseServerArgs(['--data', '/srv/rr'], { PHOTOS_S3_BUCKET: 'b', PHOTOS_S3_ENDPOINT: 'minio:9000' })).toThrow(UsageError);
  });

  it('takes the largest photo in whole megabytes', () => {
    expect(parseServerArgs(['--data', '/srv/rr'], {}).maxPhotoBytes).toBeUndefined();
    expect(parseServerArgs(['--data', '/srv/rr', '--max-photo-mb', '80'], {}).maxPhotoBytes).toBe(80 * 1024 * 1024);
    expect(() => parseServerArgs(['--data', '/srv/rr', '--max-photo-mb', '0'], {})).toThrow(/--max-photo-mb/);
    expect(() => parseServerArgs(['--data', '/srv/rr', '--max-photo-mb', 'lots'], {})).toThrow(/--max-photo-mb/);
  });
});
