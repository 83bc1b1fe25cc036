import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class ProfileInUseError extends Error {
  constructor(
    readonly profileDir: string,
    readonly pid: number,
  ) {
    super(`The profile ${profileDir} is already in use by another Ruang Redaksi core (process ${pid}). Close it first or use another --profile.`);
    this.name = 'ProfileInUseError';
  }
}

export interface ProfileLock {
  release(): void;
}

const LOCK_FILE = 'core.lock';

/**
 * One core per profile: two would each keep their own in-memory documents and append to
 * the same logs with clashing sequence numbers. A lock left by a killed process (its pid is
 * gone) is taken over, so kill -9 never locks the user out.
 */
export function lockProfile(profileDir: string): ProfileLock {
  const file = join(profileDir, LOCK_FILE);
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
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder !== null && isAlive(holder)) throw new ProfileInUseError(profileDir, holder);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock the profile ${profileDir}`);
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
