import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCore } from '../core';
import { tempProfile } from '../testing/tempProfile';
import { LOCK_FILE, lockProfile, ProfileInUseError, type ProfileLock } from './profileLock';

/**
 * The lock between real processes: a child process runs this very module (bundled with
 * esbuild, better-sqlite3 external) and either holds the profile until told to stop or
 * tries once and reports.
 */
const repo = resolve(__dirname, '../../..');
let outDir: string;
let script: string;

const CHILD = `
import { lockProfile } from './profileLock';
const [profileDir, mode] = process.argv.slice(2);
try {
  const lock = lockProfile(profileDir);
  process.stdout.write('locked\\n');
  if (mode === 'hold') process.stdin.on('end', () => { lock.release(); process.exit(0); }).resume();
  else lock.release();
} catch (error) {
  process.stdout.write(error.name + ': ' + error.message + '\\n');
}
`;

beforeAll(async () => {
  // Inside the repo so the bundle resolves better-sqlite3 from node_modules.
  mkdirSync(join(repo, 'node_modules/.cache'), { recursive: true });
  outDir = mkdtempSync(join(repo, 'node_modules/.cache/rr-profile-lock-'));
  script = join(outDir, 'lockChild.mjs');
  await build({
    stdin: { contents: CHILD, resolveDir: __dirname, loader: 'ts' },
    outfile: script,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'error',
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

let profile: ReturnType<typeof tempProfile>;
const held: ProfileLock[] = [];
const children: ChildProcess[] = [];
beforeEach(() => {
  profile = tempProfile('rr-lock-');
});
afterEach(() => {
  for (const lock of held.splice(0)) lock.release();
  for (const child of children.splice(0)) child.kill('SIGKILL');
  profile.remove();
});

function hold(lock: ProfileLock): ProfileLock {
  held.push(lock);
  return lock;
}

/** Starts a child that holds the profile; resolves once it says so. */
function childHolding(profileDir: string): Promise<{ child: ChildProcess; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [script, profileDir, 'hold'], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const exited = new Promise((r) => child.once('exit', r));
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolvePromise, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out === 'locked\n') resolvePromise({ child, exited });
      else if (out.endsWith('\n')) reject(new Error(`child could not lock: ${out} ${err}`));
    });
    void exited.then(() => reject(new Error(`child exited before locking: ${out} ${err}`)));
  });
}

/** A child process tries to lock the profile once; returns what it printed. */
function childTries(profileDir: string): Promise<string> {
  const child = spawn(process.execPath, [script, profileDir, 'try'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((r) => child.once('exit', () => r(out.trim())));
}

const IN_USE = /^The profile .+ is already in use by another Ruang Redaksi core\. Close it first or use another --profile\.$/;

describe('profile lock', () => {
  it('a live core in another process excludes this one with a clear message, and the other way round', async () => {
    const other = await childHolding(profile.dir);
    let thrown: unknown;
    try {
      hold(lockProfile(profile.dir));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProfileInUseError);
    expect((thrown as Error).message).toMatch(IN_USE);
    expect((thrown as Error).message).toContain(profile.dir);
    expect(() => openCore({ profileDir: profile.dir })).toThrow(ProfileInUseError);

    other.child.stdin!.end(); // the other core closes normally
    await other.exited;
    hold(lockProfile(profile.dir));
    const refused = await childTries(profile.dir);
    expect(refused).toMatch(/^ProfileInUseError: /);
    expect(refused.replace(/^ProfileInUseError: /, '')).toMatch(IN_USE);
  }, 60_000);

  it('a core killed with SIGKILL leaves its lock file behind, and it does not lock the user out', async () => {
    const other = await childHolding(profile.dir);
    other.child.kill('SIGKILL');
    await other.exited;
    expect(existsSync(join(profile.dir, LOCK_FILE))).toBe(true);
    const lock = hold(lockProfile(profile.dir));
    expect(await childTries(profile.dir)).toMatch(/^ProfileInUseError: /);
    lock.release();
    expect(await childTries(profile.dir)).toBe('locked');
  }, 60_000);

  it('two cores in one process exclude each other, and the refused one does not weaken the lock', async () => {
    const first = hold(lockProfile(profile.dir));
    expect(() => lockProfile(profile.dir)).toThrow(ProfileInUseError);
    expect(() => lockProfile(profile.dir)).toThrow(ProfileInUseError);
    // On POSIX, closing any descriptor of a file drops this process's locks on it: the
    // refused openers above must not have let another process in.
    expect(await childTries(profile.dir)).toMatch(/^ProfileInUseError: /);
    first.release();
    first.release(); // idempotent
    const second = hold(lockProfile(profile.dir));
    expect(() => lockProfile(profile.dir)).toThrow(ProfileInUseError);
    second.release();
  }, 60_000);

  it('a core opened and closed releases the profile for the next one', () => {
    openCore({ profileDir: profile.dir }).close();
    const core = openCore({ profileDir: profile.dir });
    expect(() => openCore({ profileDir: profile.dir })).toThrow(ProfileInUseError);
    core.close();
  });

  it('a damaged lock file gives a clear message and is left alone', () => {
    writeFileSync(join(profile.dir, LOCK_FILE), '{"pid":1}');
    expect(() => lockProfile(profile.dir)).toThrow(/profile lock file .*profile\.lock is damaged .* delete that file and start again/);
    expect(readFileSync(join(profile.dir, LOCK_FILE), 'utf8')).toBe('{"pid":1}');
  });

  describe('a core.lock left by an earlier version (JSON naming a pid) does not block', () => {
    // After a reboot the recorded pid may belong to any process: pid 1 is always alive.
    for (const [what, pid] of [
      ['naming a live unrelated process', 1],
      ['naming a dead process', 2 ** 22 + 12345],
      ['naming this very process', process.pid],
    ] as const) {
      it(what, () => {
        writeFileSync(join(profile.dir, 'core.lock'), JSON.stringify({ pid }));
        const core = openCore({ profileDir: profile.dir });
        expect(existsSync(join(profile.dir, 'core.lock'))).toBe(false);
        core.close();
      });
    }
    it('unreadable', () => {
      writeFileSync(join(profile.dir, 'core.lock'), 'not json');
      hold(lockProfile(profile.dir));
    });
  });
});
