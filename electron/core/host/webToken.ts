import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from './profileFile';

/** The profile file holding web mode's access token (owner-only: 0600). */
export const WEB_TOKEN_FILE = 'web-token';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface WebToken {
  token: string;
  /** Said on stdout when the token is not the one earlier addresses carried; null otherwise. */
  notice: string | null;
}

/**
 * Web mode's access token for this profile, made once and kept in the profile.
 *
 * Why it is stable (it used to change at every launch): a tab left open while core
 * restarts must reconnect by itself with the token it already holds, or the edits it
 * queued meanwhile never reach the store. The cost is that a leaked address stays good
 * until the token is renewed (`--new-token`) instead of until the next restart. That is
 * acceptable because the token is only half of the gate: the socket also demands an
 * Origin and Host of exactly http://127.0.0.1:PORT, so no web page can use a leaked token,
 * and a local process running as this user can read the profile's database anyway. What
 * the token must stop is other users of the machine, hence 0600 on the file; and the page
 * takes it out of the address bar and history at once, so it is not left lying around.
 *
 * Call this while holding the profile lock (after core opened), so two hosts never race.
 */
export function profileWebToken(profileDir: string, options: { renew?: boolean; platform?: NodeJS.Platform } = {}): WebToken {
  const file = join(profileDir, WEB_TOKEN_FILE);
  const platform = options.platform ?? process.platform;
  if (options.renew) return { token: writeNewToken(file), notice: 'Ruang Redaksi: made a new access token (--new-token); addresses printed before no longer work.' };

  let stat;
  try {
    stat = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { token: writeNewToken(file), notice: null };
    throw error;
  }
  if (!stat.isFile()) {
    // A symlink or directory here was not made by us: never read a secret through it.
    return { token: writeNewToken(file), notice: `Ruang Redaksi: ${file} was not a regular file; made a new access token.` };
  }
  // Windows has no mode bits to check (the profile lives in the user's own AppData there).
  if (platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    return {
      token: writeNewToken(file),
      notice: `Ruang Redaksi: ${file} was readable by other users, so its token may be known; made a new one (old addresses no longer work).`,
    };
  }
  const stored = readFileSync(file, 'utf8').trim();
  if (!TOKEN_SHAPE.test(stored)) return { token: writeNewToken(file), notice: `Ruang Redaksi: ${file} held no valid token; made a new one.` };
  return { token: stored, notice: null };
}

function writeNewToken(file: string): string {
  const token = randomBytes(32).toString('base64url');
  replaceFile(file, `${token}\n`, 0o600);
  return token;
}
