import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Replaces a small file in one step: written beside it, then renamed over it, so a crash
 * never leaves half a file, and a symlink planted at `path` is replaced, never followed.
 * `mode` applies to the new file (the umask can only narrow it).
 */
export function replaceFile(path: string, text: string, mode = 0o644): void {
  const temp = `${path}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  try {
    writeFileSync(temp, text, { mode, flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
