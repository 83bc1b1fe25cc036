import { accessSync, closeSync, constants, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The data directory cannot be used: the CLI prints the message and exits 1. */
export class DataDirError extends Error {
  override name = 'DataDirError';
}

export interface DataDirLock {
  release(): void;
}

const LOCK_FILE = 'server.lock';

/** Creates the data directory if needed and checks that this process can write in it. */
export function prepareDataDir(dir: string): string {
  const abs = resolve(dir);
  try {
    mkdirSync(abs, { recursive: true });
    if (!statSync(abs).isDirectory()) throw new Error('not a directory');
    accessSync(abs, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new DataDirError(`The data directory ${abs} is not usable: ${reason(error)}`);
  }
  return abs;
}

/**
 * PGlite is one process's database: a second server on the same directory would corrupt
 * it. A lock left by a killed process (its pid is gone) is taken over.
 */
export function lockDataDir(dir: string): DataDirLock {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid }));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new DataDirError(`The data directory ${dir} is not usable: ${reason(error)}`);
      const holder = readHolder(file);
      if (holder !== null && holder !== process.pid && isAlive(holder)) {
        throw new DataDirError(`The data directory ${dir} is in use by another Ruang Redaksi server (process ${holder}). Stop it first or use another --data.`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new DataDirError(`Could not lock the data directory ${dir}`);
}

function readHolder(file: string): number | null {
  try {
    const pid = (JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOTDIR' || e.code === 'EEXIST') return 'a file is in the way (not a directory)';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  return e.message ?? String(error);
}
