import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempProfile } from '../testing/tempProfile';
import { removeTempFiles, TEMP_SUFFIX, writeFileAtomic } from './atomicFile';

let dir: ReturnType<typeof tempProfile>;
beforeEach(() => {
  dir = tempProfile('rr-atomic-');
});
afterEach(() => dir.remove());

describe('writeFileAtomic', () => {
  it('writes the whole file under its name and leaves no temporary file', async () => {
    const path = join(dir.dir, 'photos', 'a.jpg');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    await writeFileAtomic(path, new Uint8Array([4, 5]));
    expect([...readFileSync(path)]).toEqual([4, 5]);
    expect(readdirSync(join(dir.dir, 'photos'))).toEqual(['a.jpg']);
  });

  it('when the final step fails, the name keeps what it held and the temporary file is removed', async () => {
    // A directory in the way: the rename fails after the bytes were written and flushed.
    const path = join(dir.dir, 'b.jpg');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'x');
    await expect(writeFileAtomic(path, new Uint8Array(1000))).rejects.toThrow();
    expect(readdirSync(dir.dir)).toEqual(['b.jpg']);
    expect(readdirSync(path)).toEqual(['inside']);
  });
});

describe('removeTempFiles', () => {
  it('removes only temporary files, and does not mind a missing folder', () => {
    writeFileSync(join(dir.dir, 'keep.jpg'), 'photo');
    writeFileSync(join(dir.dir, `.keep.jpg.abc${TEMP_SUFFIX}`), 'half');
    expect(removeTempFiles(dir.dir)).toEqual([`.keep.jpg.abc${TEMP_SUFFIX}`]);
    expect(readdirSync(dir.dir)).toEqual(['keep.jpg']);
    expect(removeTempFiles(join(dir.dir, 'nowhere'))).toEqual([]);
    expect(existsSync(join(dir.dir, 'nowhere'))).toBe(false);
  });
});
