import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirError, lockDataDir, prepareDataDir } from './dataDir';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rr-datadir-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('server data directory', () => {
  it('is created when missing', () => {
    expect(prepareDataDir(join(dir, 'a', 'b'))).toBe(join(dir, 'a', 'b'));
  });

  it('is refused with a clear message when a file is in the way', () => {
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => prepareDataDir(join(dir, 'file'))).toThrow(DataDirError);
    expect(() => prepareDataDir(join(dir, 'file', 'nested'))).toThrow(/is not usable/);
  });

  it('is locked for one server at a time; a lock left by a dead process is taken over', () => {
    const lock = lockDataDir(dir);
    writeFileSync(join(dir, 'server.lock'), JSON.stringify({ pid: process.ppid }));
    expect(() => lockDataDir(dir)).toThrow(/in use by another Ruang Redaksi server/);
    lock.release();
    // A pid that cannot exist: the lock is stale.
    writeFileSync(join(dir, 'server.lock'), JSON.stringify({ pid: 2 ** 22 + 1 }));
    lockDataDir(dir).release();
  });
});
