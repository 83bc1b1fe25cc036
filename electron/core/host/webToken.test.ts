import { chmodSync, lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempProfile } from '../testing/tempProfile';
import { profileWebToken, WEB_TOKEN_FILE } from './webToken';

let profile: ReturnType<typeof tempProfile>;
let file: string;
beforeEach(() => {
  profile = tempProfile('rr-token-');
  file = join(profile.dir, WEB_TOKEN_FILE);
});
afterEach(() => profile.remove());

const modeOf = (path: string) => statSync(path).mode & 0o777;
const posix = process.platform !== 'win32';

describe('web mode access token kept in the profile', () => {
  it('is made once, owner-only, and the same on every start', () => {
    const first = profileWebToken(profile.dir);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.notice).toBeNull();
    expect(readFileSync(file, 'utf8').trim()).toBe(first.token);
    if (posix) expect(modeOf(file)).toBe(0o600);
    expect(profileWebToken(profile.dir)).toEqual({ token: first.token, notice: null });
  });

  it('is replaced on request, and the new one is kept', () => {
    const old = profileWebToken(profile.dir).token;
    const renewed = profileWebToken(profile.dir, { renew: true });
    expect(renewed.token).not.toBe(old);
    expect(renewed.notice).toMatch(/new access token/);
    if (posix) expect(modeOf(file)).toBe(0o600);
    expect(profileWebToken(profile.dir).token).toBe(renewed.token);
  });

  it.runIf(posix)('is replaced when other users could read the file', () => {
    const old = profileWebToken(profile.dir).token;
    chmodSync(file, 0o644);
    const next = profileWebToken(profile.dir);
    expect(next.token).not.toBe(old);
    expect(next.notice).toMatch(/readable by other users/);
    expect(modeOf(file)).toBe(0o600);
    // Windows has no such bits: the same file is trusted there.
    chmodSync(file, 0o644);
    expect(profileWebToken(profile.dir, { platform: 'win32' }).token).toBe(next.token);
  });

  it('is replaced when the file holds no valid token', () => {
    for (const junk of ['', 'short', `${'x'.repeat(43)} extra`, 'é'.repeat(43)]) {
      writeFileSync(file, junk, { mode: 0o600 });
      chmodSync(file, 0o600);
      const next = profileWebToken(profile.dir);
      expect(next.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(next.notice, JSON.stringify(junk)).toMatch(/no valid token/);
    }
  });

  it.runIf(posix)('never reads or writes through a symlink planted in its place', () => {
    const elsewhere = join(profile.dir, 'elsewhere');
    const planted = 'A'.repeat(43);
    writeFileSync(elsewhere, planted, { mode: 0o600 });
    symlinkSync(elsewhere, file);
    const next = profileWebToken(profile.dir);
    expect(next.token).not.toBe(planted);
    expect(next.notice).toMatch(/not a regular file/);
    expect(lstatSync(file).isFile()).toBe(true);
    expect(readFileSync(elsewhere, 'utf8')).toBe(planted);
  });
});
