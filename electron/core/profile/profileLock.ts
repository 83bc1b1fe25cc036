import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export class ProfileInUseError extends Error {
  constructor(readonly profileDir: string) {
    super(`The profile ${profileDir} is already in use by another Ruang Redaksi core. Close it first or use another --profile.`);
    this.name = 'ProfileInUseError';
  }
}

export interface ProfileLock {
  release(): void;
}

/** A small SQLite database whose exclusive lock is the profile lock. Never deleted (see below). */
export const LOCK_FILE = 'profile.lock';
/**
 * The lock file of earlier versions: JSON naming a pid. Ignored, and removed once we hold the
 * lock. The lock has a new name so such a leftover is never read as, or swapped for, it.
 */
const LEGACY_LOCK_FILE = 'core.lock';

/**
 * One core per profile: two would each keep their own in-memory documents and append to
 * the same logs with clashing sequence numbers.
 *
 * The lock is an operating-system file lock, so it dies with the process that holds it:
 * kill -9, a crash or a reboot never leaves the user locked out, and no pid is trusted
 * (after a reboot a recorded pid may belong to any other process). Node has no flock, but
 * SQLite locks its files with the OS's own byte-range locks (fcntl on Linux and macOS,
 * LockFileEx on Windows), which the OS drops when the process ends. So the lock is a
 * separate tiny database, `profile.lock`, opened with locking_mode=EXCLUSIVE and an
 * exclusive transaction kept open for as long as the core runs. A second opener, in another
 * process or in this one (SQLite tracks its own connections per file), gets SQLITE_BUSY at
 * once because the busy timeout is 0.
 *
 * Why not lock core.db itself: exclusive locking mode would change how the store runs (no
 * shared WAL index, no second reader such as the sqlite3 shell or a test), and the profile
 * must be locked before core.db is opened, migrated or found damaged.
 *
 * The file is never deleted, not even on release: deleting a lock file lets a waiting opener
 * hold a lock on the unlinked file while a newcomer locks a new file of the same name.
 * Nothing else may open it either: on POSIX, closing any descriptor of a file drops every
 * fcntl lock this process holds on it, so only SQLite (which defers such closes) touches it.
 */
export function lockProfile(profileDir: string): ProfileLock {
  const file = join(profileDir, LOCK_FILE);
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (isBusy(error)) throw new ProfileInUseError(profileDir);
    if (isNotADatabase(error)) {
      // Someone wrote into it (a healthy one stays empty). Replacing it here would race with
      // another core doing the same, so the person decides.
      throw new Error(
        `The profile lock file ${file} is damaged (not a SQLite database). Close every Ruang Redaksi using ${profileDir}, delete that file and start again.`,
      );
    }
    throw error;
  }
  // Earlier versions wrote `core.lock` (JSON with a pid) and trusted that pid; a leftover one
  // must not block anyone, here or after a downgrade. We hold the profile now, so removing
  // it races with nobody of this version.
  try {
    rmSync(join(profileDir, LEGACY_LOCK_FILE), { force: true });
  } catch {
    // A leftover that cannot be removed is harmless: nothing reads it any more.
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      db.close(); // rolls back the empty transaction and unlocks
    },
  };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function isNotADatabase(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}
