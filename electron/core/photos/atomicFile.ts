import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Every temporary file of the photo store ends so; nothing else there does. */
export const TEMP_SUFFIX = '.partial';

/**
 * Writes `bytes` under `path` so that the name only ever holds a complete file: the bytes go
 * to a temporary file beside it (same directory, so the rename is atomic), are flushed to the
 * disk, then renamed over the final name, and the directory entry is flushed too. A crash at
 * any point leaves either the old state or the complete file, plus at worst a temporary file
 * that `removeTempFiles` clears at the next start.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  // The folder may have been removed by hand (a cache cleared): made again, never an error.
  await mkdir(dirname(path), { recursive: true });
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Makes a rename durable. Windows cannot open a directory for fsync; there NTFS's journal does it. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Removes the temporary files a killed write left in `dir`. Only while no write is under way:
 * core calls it when it opens the profile, which it holds alone (profile lock).
 */
export function removeTempFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no directory yet: nothing was ever written
  }
  const leftovers = names.filter((name) => name.endsWith(TEMP_SUFFIX));
  for (const name of leftovers) rmSync(join(dir, name), { force: true });
  return leftovers;
}
