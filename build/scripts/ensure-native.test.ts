// ensure-native: the Node path end to end on a copy of the real better-sqlite3 build (only
// the compiler is replaced by a stand-in), the stamp, the build cache and the ABI check
// that guards against a rebuild that reports success but built for Node's ABI.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  cachedBuildPath,
  cleanBuildEnv,
  ElectronMissingError,
  ensureElectronBuild,
  ensureForElectron,
  ensureForNode,
  fileSignature,
  isStampFresh,
  locateElectron,
  nativePaths,
  readModuleAbi,
  readStamp,
} from './ensure-native.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const realPaths = nativePaths(repoRoot);
const nodeAbi = Number(process.versions.modules);
const script = path.join(repoRoot, 'build', 'scripts', 'ensure-native.mjs');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project root holding a copy of the real, Node-built better-sqlite3 binary. */
function fakeProject() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ruang-native-'));
  temps.push(root);
  const paths = nativePaths(root);
  mkdirSync(path.dirname(paths.binary), { recursive: true });
  copyFileSync(path.join(realPaths.moduleDir, 'package.json'), path.join(paths.moduleDir, 'package.json'));
  copyFileSync(realPaths.binary, paths.binary);
  return { root, paths };
}

/** Stands in for a build made for another runtime: not loadable here, ABI symbol 140 (Electron 39). */
function writeForeignBuild(file: string, abi = 140) {
  writeFileSync(file, Buffer.concat([Buffer.from('\x7fELF-not-really\0'), Buffer.from(`node_register_module_v${abi}\0`)]));
}

const quiet = () => {};

describe('readModuleAbi', () => {
  it('reads the ABI the real binary was built for (the node_register_module_v symbol)', () => {
    expect(readModuleAbi(realPaths.binary)).toBe(nodeAbi);
  });

  it('reads a foreign ABI and returns null for a missing file or no symbol', () => {
    const { paths } = fakeProject();
    writeForeignBuild(paths.binary, 140);
    expect(readModuleAbi(paths.binary)).toBe(140);
    writeFileSync(paths.binary, 'no symbol here');
    expect(readModuleAbi(paths.binary)).toBeNull();
    expect(readModuleAbi(path.join(paths.cacheDir, 'missing.node'))).toBeNull();
  });
});

describe('stamp', () => {
  const signature = { size: 10, mtimeMs: 1234 };
  const stamp = { target: 'node' as const, abi: 115, module: '12.0.0', ...signature };

  it('is fresh only for the same target, ABI and unchanged binary', () => {
    expect(isStampFresh(stamp, { target: 'node', abi: 115, signature })).toBe(true);
    expect(isStampFresh(stamp, { target: 'electron', abi: 115, signature })).toBe(false);
    expect(isStampFresh(stamp, { target: 'node', abi: 140, signature })).toBe(false);
    expect(isStampFresh(stamp, { target: 'node', abi: 115, signature: { ...signature, mtimeMs: 1235 } })).toBe(false);
    expect(isStampFresh(stamp, { target: 'node', abi: 115, signature: null })).toBe(false);
    expect(isStampFresh(null, { target: 'node', abi: 115, signature })).toBe(false);
  });
});

describe('ensure-native node', () => {
  it('does nothing but record a stamp when the binary loads, then answers from the stamp', async () => {
    const { root, paths } = fakeProject();
    const rebuild = vi.fn();
    expect(await ensureForNode({ root, rebuild, log: quiet })).toBe('loaded');
    expect(readStamp(paths.stamp)).toMatchObject({ target: 'node', abi: nodeAbi, ...fileSignature(paths.binary) });
    expect(existsSync(cachedBuildPath(paths, nodeAbi))).toBe(true);
    expect(await ensureForNode({ root, rebuild, log: quiet })).toBe('fresh');
    expect(rebuild).not.toHaveBeenCalled();
  });

  it('after an Electron build, restores the cached Node build without compiling and keeps the Electron one', async () => {
    const { root, paths } = fakeProject();
    await ensureForNode({ root, log: quiet });
    writeForeignBuild(paths.binary, 140);
    const rebuild = vi.fn();
    expect(await ensureForNode({ root, rebuild, log: quiet })).toBe('restored');
    expect(rebuild).not.toHaveBeenCalled();
    expect(readModuleAbi(paths.binary)).toBe(nodeAbi);
    expect(readModuleAbi(cachedBuildPath(paths, 140))).toBe(140);
  });

  it('rebuilds when the binary does not load and nothing is cached, and verifies the result', async () => {
    const { root, paths } = fakeProject();
    writeForeignBuild(paths.binary, 140);
    const rebuild = vi.fn((projectRoot: string) => copyFileSync(realPaths.binary, nativePaths(projectRoot).binary));
    expect(await ensureForNode({ root, rebuild, log: quiet })).toBe('rebuilt');
    expect(rebuild).toHaveBeenCalledWith(root);
    expect(readStamp(paths.stamp)).toMatchObject({ target: 'node', abi: nodeAbi });
  });

  it('fails loudly when the rebuild did not produce a loadable binary', async () => {
    const { root, paths } = fakeProject();
    writeForeignBuild(paths.binary, 140);
    await expect(ensureForNode({ root, rebuild: () => {}, log: quiet })).rejects.toThrow(/still does not load/);
    expect(readStamp(paths.stamp)).toBeNull();
  });

  it('runs as a script in this repository, fast, and rejects an unknown target', () => {
    const started = Date.now();
    const ok = spawnSync(process.execPath, [script, 'node'], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(spawnSync(process.execPath, [script, 'bogus'], { encoding: 'utf8' }).status).toBe(2);
  });
});

describe('ensure-native electron', () => {
  it('says clearly that npm start needs the Electron binary when there is none', () => {
    const { root } = fakeProject();
    expect(() => locateElectron(root)).toThrow(ElectronMissingError);
    expect(() => locateElectron(root)).toThrow(/npm start needs the Electron binary: run npm install with internet access/);
  });

  it.skipIf(existsSync(path.join(repoRoot, 'node_modules', 'electron', 'path.txt')))('exits 1 with that message in this repository (no Electron binary here)', () => {
    const result = spawnSync(process.execPath, [script, 'electron'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('npm start needs the Electron binary');
  });

  it('refuses a rebuild that produced the wrong ABI (the npm_config_nodedir trap), leaving the live binary alone', async () => {
    const { root, paths } = fakeProject();
    // "Electron" with ABI 140; the stand-in rebuild produces Node's ABI, as the trap did.
    const electron = { executable: null, version: '39.8.10', abi: 140 };
    const trap = (staging: string) => {
      mkdirSync(path.dirname(nativePaths(staging).binary), { recursive: true });
      copyFileSync(realPaths.binary, nativePaths(staging).binary);
    };
    await expect(ensureForElectron({ root, electron, rebuild: trap, log: quiet })).rejects.toThrow(/rebuilt for ABI 115, not Electron's 140/);
    expect(readStamp(paths.stamp)).toBeNull();
    expect(readModuleAbi(paths.binary)).toBe(nodeAbi);
  });

  it('compiles out of place, then npm start and npm test swap builds by copying (no compile)', async () => {
    const { root, paths } = fakeProject();
    const electron = { executable: null, version: '39.8.10', abi: 140 };
    const rebuild = vi.fn((staging: string) => {
      // What the real build sees: a staging project with the package minus its build/.
      expect(JSON.parse(readFileSync(path.join(staging, 'package.json'), 'utf8')).dependencies).toHaveProperty('better-sqlite3');
      expect(existsSync(path.join(nativePaths(staging).moduleDir, 'package.json'))).toBe(true);
      expect(existsSync(path.join(nativePaths(staging).moduleDir, 'build'))).toBe(false);
      // Meanwhile the live Node build still works.
      expect(readModuleAbi(paths.binary)).toBe(nodeAbi);
      mkdirSync(path.dirname(nativePaths(staging).binary), { recursive: true });
      writeForeignBuild(nativePaths(staging).binary, 140);
    });
    const build = await ensureElectronBuild({ root, electron, rebuild, log: quiet });
    expect(build).toEqual({ path: cachedBuildPath(paths, 140), compiled: true });
    expect(readModuleAbi(paths.binary)).toBe(nodeAbi);

    expect(await ensureForElectron({ root, electron, rebuild, log: quiet })).toBe('restored'); // npm start
    expect(readModuleAbi(paths.binary)).toBe(140);
    expect(await ensureForElectron({ root, electron, rebuild, log: quiet })).toBe('fresh');
    expect(await ensureForNode({ root, rebuild: () => {}, log: quiet })).toBe('restored'); // npm test
    expect(readModuleAbi(paths.binary)).toBe(nodeAbi);
    expect(await ensureForElectron({ root, electron, rebuild, log: quiet })).toBe('restored'); // npm start again
    expect(rebuild).toHaveBeenCalledTimes(1);
  });

  it('uses a matching build as is and records it (Node standing in for Electron, same ABI)', async () => {
    const { root, paths } = fakeProject();
    const electron = { executable: process.execPath, version: 'stand-in', abi: nodeAbi };
    const rebuild = vi.fn();
    expect(await ensureForElectron({ root, electron, rebuild, log: quiet })).toBe('loaded');
    expect(await ensureForElectron({ root, electron, rebuild, log: quiet })).toBe('fresh');
    expect(readStamp(paths.stamp)).toMatchObject({ target: 'electron', abi: nodeAbi });
    expect(rebuild).not.toHaveBeenCalled();
  });

  it('builds for Electron without the nodedir npm leaks into scripts', () => {
    const env = { npm_config_nodedir: '/usr', npm_config_runtime: 'node', npm_config_target: '20.0.0', PATH: '/bin' };
    expect(cleanBuildEnv(env, { keepNodedir: false })).toEqual({ PATH: '/bin' });
    expect(cleanBuildEnv(env, { keepNodedir: true })).toEqual({ PATH: '/bin', npm_config_nodedir: '/usr' });
  });
});
