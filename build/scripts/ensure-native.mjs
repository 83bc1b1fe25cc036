#!/usr/bin/env node
// Makes node_modules/better-sqlite3 loadable by the runtime about to use it:
//
//   node build/scripts/ensure-native.mjs node      before tests, web mode, benchmarks
//   node build/scripts/ensure-native.mjs electron  before `electron .` (npm start)
//
// better-sqlite3 is a native addon built for one ABI (NODE_MODULE_VERSION): Node 20 = 115,
// Electron 39 = 140. `npm start` needs the Electron build, `npm test` the Node build, so
// each command calls this first. It is instant when nothing changed (a stamp file records
// the last target and the binary's size and mtime), and switching targets is a file copy
// once both builds exist: every build is kept in node_modules/.cache/ruang-native/, keyed
// by better-sqlite3 version, platform, arch and ABI. Only a missing build is compiled.
//
// The ABI of a binary is read from its `node_register_module_v<ABI>` symbol (what
// `nm -D better_sqlite3.node | grep node_register_module_v` shows): we have seen a
// rebuild that printed "Rebuild Complete" yet built for Node, because npm exports
// npm_config_nodedir=/usr to scripts and node-gyp then uses Node's headers. The Electron
// rebuild below removes that variable and checks the result.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const MODULE_NAME = 'better-sqlite3';
export const ELECTRON_MISSING_MESSAGE =
  'npm start needs the Electron binary: run npm install with internet access ' +
  '(it was skipped, e.g. ELECTRON_SKIP_BINARY_DOWNLOAD=1 or an offline install). ' +
  'Without Electron, `npm run web` runs the same app in a browser.';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the module, its binary, the stamp and the build cache live under a project root. */
export function nativePaths(root) {
  const moduleDir = path.join(root, 'node_modules', MODULE_NAME);
  const cacheDir = path.join(root, 'node_modules', '.cache', 'ruang-native');
  return {
    moduleDir,
    binary: path.join(moduleDir, 'build', 'Release', 'better_sqlite3.node'),
    cacheDir,
    stamp: path.join(cacheDir, 'stamp.json'),
  };
}

/** The NODE_MODULE_VERSION a native addon was built for, from its exported symbol; null if unknown. */
export function readModuleAbi(binaryPath) {
  let bytes;
  try {
    bytes = readFileSync(binaryPath);
  } catch {
    return null;
  }
  const match = /node_register_module_v(\d+)/.exec(bytes.toString('latin1'));
  return match ? Number(match[1]) : null;
}

/** Size and mtime identify one build of the binary; null when it is missing. */
export function fileSignature(filePath) {
  try {
    const info = statSync(filePath);
    return { size: info.size, mtimeMs: info.mtimeMs };
  } catch {
    return null;
  }
}

export function readStamp(stampPath) {
  try {
    return JSON.parse(readFileSync(stampPath, 'utf8'));
  } catch {
    return null;
  }
}

export function writeStamp(stampPath, stamp) {
  mkdirSync(path.dirname(stampPath), { recursive: true });
  writeFileSync(stampPath, `${JSON.stringify(stamp, null, 2)}\n`);
}

/** True when the stamp says the binary was made ready for this target and has not changed since. */
export function isStampFresh(stamp, expected) {
  if (!stamp || !expected.signature) return false;
  return (
    stamp.target === expected.target &&
    stamp.abi === expected.abi &&
    stamp.size === expected.signature.size &&
    stamp.mtimeMs === expected.signature.mtimeMs
  );
}

/**
 * Loads the addon in a fresh process of the given runtime (Node, or Electron with
 * ELECTRON_RUN_AS_NODE=1), which is the only real proof it works there.
 */
export function loadsIn(executable, binaryPath, extraEnv = {}) {
  const probe = `const m = { exports: {} }; process.dlopen(m, ${JSON.stringify(binaryPath)}); if (typeof m.exports.Database !== 'function') process.exit(3);`;
  const result = spawnSync(executable, ['-e', probe], { env: { ...process.env, ...extraEnv }, stdio: 'pipe', encoding: 'utf8' });
  return result.status === 0;
}

function moduleVersion(paths) {
  try {
    return JSON.parse(readFileSync(path.join(paths.moduleDir, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** The cached build for one ABI (same better-sqlite3 version, platform and arch). */
export function cachedBuildPath(paths, abi) {
  return path.join(paths.cacheDir, `${MODULE_NAME}-${moduleVersion(paths)}-${process.platform}-${process.arch}-abi${abi}.node`);
}

/** Keeps a copy of the current binary under its ABI, so switching back later is a copy. */
function stashCurrentBuild(paths) {
  const abi = readModuleAbi(paths.binary);
  if (abi === null) return;
  const target = cachedBuildPath(paths, abi);
  mkdirSync(paths.cacheDir, { recursive: true });
  copyFileSync(paths.binary, target);
}

function restoreCachedBuild(paths, abi) {
  const cached = cachedBuildPath(paths, abi);
  if (!existsSync(cached) || readModuleAbi(cached) !== abi) return false;
  mkdirSync(path.dirname(paths.binary), { recursive: true });
  copyFileSync(cached, paths.binary);
  return true;
}

function markReady(paths, target, abi) {
  writeStamp(paths.stamp, { target, abi, ...fileSignature(paths.binary), module: moduleVersion(paths) });
  stashCurrentBuild(paths);
}

/** Environment for a child build without npm's leaked settings that would pick the wrong headers. */
export function cleanBuildEnv(env, { keepNodedir }) {
  const clean = { ...env };
  for (const key of Object.keys(clean)) {
    const lower = key.toLowerCase();
    if (['npm_config_runtime', 'npm_config_target', 'npm_config_disturl', 'npm_config_arch', 'npm_config_build_from_source'].includes(lower)) delete clean[key];
    if (!keepNodedir && lower === 'npm_config_nodedir') delete clean[key];
  }
  return clean;
}

/** Rebuilds better-sqlite3 for the Node running this script. */
export function rebuildForNode(root) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['rebuild', MODULE_NAME], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
    env: cleanBuildEnv(process.env, { keepNodedir: true }),
  });
  if (result.status !== 0) throw new Error(`npm rebuild ${MODULE_NAME} failed (exit ${result.status})`);
}

/**
 * ensure-native node: fast when the stamp is fresh; otherwise prove the binary loads in
 * this Node, restore the cached Node build, or rebuild.
 */
export async function ensureForNode({ root = REPO_ROOT, rebuild = rebuildForNode, log = console.log } = {}) {
  const paths = nativePaths(root);
  const abi = Number(process.versions.modules);
  if (isStampFresh(readStamp(paths.stamp), { target: 'node', abi, signature: fileSignature(paths.binary) })) return 'fresh';
  if (fileSignature(paths.binary) && loadsIn(process.execPath, paths.binary)) {
    markReady(paths, 'node', abi);
    return 'loaded';
  }
  if (fileSignature(paths.binary)) stashCurrentBuild(paths);
  if (restoreCachedBuild(paths, abi) && loadsIn(process.execPath, paths.binary)) {
    markReady(paths, 'node', abi);
    log(`${MODULE_NAME}: restored the cached build for Node (ABI ${abi})`);
    return 'restored';
  }
  log(`${MODULE_NAME}: does not load in Node ${process.version} (ABI ${abi}); rebuilding for Node…`);
  await rebuild(root);
  if (!loadsIn(process.execPath, paths.binary)) {
    throw new Error(`${MODULE_NAME} still does not load in Node ${process.version} after the rebuild (binary ABI ${readModuleAbi(paths.binary) ?? 'unknown'}, Node ABI ${abi})`);
  }
  markReady(paths, 'node', abi);
  return 'rebuilt';
}

export class ElectronMissingError extends Error {}

/** The Electron executable and its version and ABI, or an ElectronMissingError. */
export function locateElectron(root = REPO_ROOT) {
  let executable;
  try {
    // node_modules/electron/index.js exports the binary's path, or throws when it was never downloaded.
    executable = createRequire(path.join(root, 'package.json'))('electron');
  } catch {
    throw new ElectronMissingError(ELECTRON_MISSING_MESSAGE);
  }
  if (typeof executable !== 'string' || !existsSync(executable)) throw new ElectronMissingError(ELECTRON_MISSING_MESSAGE);
  const info = electronPackageInfo(root);
  if (!Number.isInteger(info.abi)) {
    // Older packages have no abi_version file: ask Electron itself.
    const probe = spawnSync(executable, ['-e', 'process.stdout.write(process.versions.modules)'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' });
    info.abi = Number(probe.stdout);
  }
  if (!Number.isInteger(info.abi)) throw new Error(`could not read Electron ${info.version}'s NODE_MODULE_VERSION`);
  return { executable, ...info };
}

/**
 * Version and ABI from node_modules/electron without its binary (packaging with
 * build.electronDist works without one). abi is NaN when the package has no abi_version.
 */
export function electronPackageInfo(root = REPO_ROOT) {
  const electronDir = path.join(root, 'node_modules', 'electron');
  const version = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
  let abi = Number.NaN;
  try {
    abi = Number(readFileSync(path.join(electronDir, 'abi_version'), 'utf8').trim());
  } catch {
    abi = Number.NaN;
  }
  return { version, abi };
}

/** Rebuilds better-sqlite3 under root (a staging project) against Electron's headers with @electron/rebuild (electron-builder's own tool). */
export async function rebuildForElectron(root, electron) {
  // The trap: npm exports npm_config_nodedir=/usr to scripts; node-gyp would then use
  // Node's headers and produce a Node build while reporting success.
  const saved = { ...process.env };
  const clean = cleanBuildEnv(process.env, { keepNodedir: false });
  for (const key of Object.keys(process.env)) if (!(key in clean)) delete process.env[key];
  try {
    let rebuild;
    try {
      ({ rebuild } = await import(pathToFileURL(createRequire(path.join(root, 'package.json')).resolve('@electron/rebuild')).href));
    } catch {
      rebuild = null;
    }
    if (rebuild) {
      await rebuild({ buildPath: root, electronVersion: electron.version, onlyModules: [MODULE_NAME], force: true });
    } else {
      const bin = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder');
      const result = spawnSync(bin, ['install-app-deps'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', env: process.env });
      if (result.status !== 0) throw new Error(`electron-builder install-app-deps failed (exit ${result.status})`);
    }
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

function loadsInElectron(electron, binary) {
  return electron.executable === null || loadsIn(electron.executable, binary, { ELECTRON_RUN_AS_NODE: '1' });
}

/**
 * The Electron build of better-sqlite3 in the cache, compiled if missing. It is compiled
 * out of place (a copy of the package in node_modules/.cache/ruang-native/staging), so the
 * live binary keeps working for whatever runs meanwhile (tests, web mode). Returns its
 * path and whether it had to be compiled.
 */
export async function ensureElectronBuild({ root = REPO_ROOT, electron = locateElectron(root), rebuild = rebuildForElectron, log = console.log } = {}) {
  const paths = nativePaths(root);
  const { abi } = electron;
  const cached = cachedBuildPath(paths, abi);
  if (readModuleAbi(cached) === abi && loadsInElectron(electron, cached)) return { path: cached, compiled: false };
  // The live binary may already be an Electron build (npm start before, electron-builder).
  if (readModuleAbi(paths.binary) === abi && loadsInElectron(electron, paths.binary)) {
    stashCurrentBuild(paths);
    return { path: cached, compiled: false };
  }
  const staging = path.join(paths.cacheDir, 'staging');
  rmSync(staging, { recursive: true, force: true });
  const stagedModule = path.join(staging, 'node_modules', MODULE_NAME);
  cpSync(paths.moduleDir, stagedModule, {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(paths.moduleDir, source);
      return relative !== 'build' && !relative.startsWith(`build${path.sep}`);
    },
  });
  writeFileSync(
    path.join(staging, 'package.json'),
    JSON.stringify({ name: 'ruang-native-staging', version: '0.0.0', private: true, dependencies: { [MODULE_NAME]: moduleVersion(paths) } }),
  );
  log(`${MODULE_NAME}: building for Electron ${electron.version} (ABI ${abi}); this takes a minute or two, once…`);
  await rebuild(staging, electron);
  const builtPath = nativePaths(staging).binary;
  const built = readModuleAbi(builtPath);
  if (built !== abi) {
    throw new Error(
      `${MODULE_NAME} was rebuilt for ABI ${built ?? 'unknown'}, not Electron's ${abi}: the build used the wrong headers ` +
        '(is npm_config_nodedir set in your npm config?). Check with `nm -D <file>.node | grep node_register_module_v`.',
    );
  }
  if (!loadsInElectron(electron, builtPath)) throw new Error(`${MODULE_NAME} has Electron's ABI but does not load in Electron ${electron.version}`);
  mkdirSync(paths.cacheDir, { recursive: true });
  copyFileSync(builtPath, cached);
  rmSync(staging, { recursive: true, force: true });
  return { path: cached, compiled: true };
}

/**
 * ensure-native electron (npm start): the live binary must carry Electron's ABI and load
 * in Electron-as-Node. With electron.executable null (packaging without a local Electron
 * binary) only the ABI is checked.
 */
export async function ensureForElectron({ root = REPO_ROOT, electron = locateElectron(root), rebuild = rebuildForElectron, log = console.log } = {}) {
  const paths = nativePaths(root);
  const { abi } = electron;
  if (isStampFresh(readStamp(paths.stamp), { target: 'electron', abi, signature: fileSignature(paths.binary) })) return 'fresh';
  if (readModuleAbi(paths.binary) === abi && loadsInElectron(electron, paths.binary)) {
    markReady(paths, 'electron', abi);
    return 'loaded';
  }
  if (fileSignature(paths.binary)) stashCurrentBuild(paths);
  const build = await ensureElectronBuild({ root, electron, rebuild, log });
  if (!restoreCachedBuild(paths, abi) || !loadsInElectron(electron, paths.binary)) {
    throw new Error(`${MODULE_NAME}: could not put the Electron build in place (${build.path})`);
  }
  markReady(paths, 'electron', abi);
  if (!build.compiled) log(`${MODULE_NAME}: restored the cached build for Electron ${electron.version} (ABI ${abi})`);
  return build.compiled ? 'rebuilt' : 'restored';
}

async function main(argv) {
  const target = argv[0];
  if (target !== 'node' && target !== 'electron') {
    console.error('usage: node build/scripts/ensure-native.mjs node|electron');
    return 2;
  }
  try {
    const outcome = target === 'node' ? await ensureForNode() : await ensureForElectron();
    if (outcome === 'rebuilt') console.log(`${MODULE_NAME}: ready for ${target}`);
    return 0;
  } catch (error) {
    console.error(error instanceof ElectronMissingError ? error.message : `ensure-native ${target}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function isInvokedDirectly() {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false; // imported (e.g. by the electron-builder hook) from a process without a script path
  }
}

const invokedDirectly = isInvokedDirectly();
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
