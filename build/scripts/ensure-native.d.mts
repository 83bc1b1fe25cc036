// Types for ensure-native.mjs (plain JS so it runs before anything is built), used by its test.
export interface NativePaths {
  moduleDir: string;
  binary: string;
  cacheDir: string;
  stamp: string;
}
export interface FileSignature {
  size: number;
  mtimeMs: number;
}
export type NativeTarget = 'node' | 'electron';
export interface NativeStamp extends FileSignature {
  target: NativeTarget;
  abi: number;
  module: string;
}
export interface ElectronInfo {
  /** null: no local Electron binary (packaging with build.electronDist); only the ABI is checked. */
  executable: string | null;
  version: string;
  abi: number;
}
export type EnsureOutcome = 'fresh' | 'loaded' | 'restored' | 'rebuilt';

export const MODULE_NAME: string;
export const ELECTRON_MISSING_MESSAGE: string;
export function nativePaths(root: string): NativePaths;
export function readModuleAbi(binaryPath: string): number | null;
export function fileSignature(filePath: string): FileSignature | null;
export function readStamp(stampPath: string): NativeStamp | null;
export function writeStamp(stampPath: string, stamp: NativeStamp): void;
export function isStampFresh(stamp: NativeStamp | null, expected: { target: NativeTarget; abi: number; signature: FileSignature | null }): boolean;
export function loadsIn(executable: string, binaryPath: string, extraEnv?: Record<string, string>): boolean;
export function cachedBuildPath(paths: NativePaths, abi: number): string;
export function cleanBuildEnv(env: NodeJS.ProcessEnv, options: { keepNodedir: boolean }): NodeJS.ProcessEnv;
export function rebuildForNode(root: string): void;
export function ensureForNode(options?: { root?: string; rebuild?: (root: string) => void | Promise<void>; log?: (line: string) => void }): Promise<EnsureOutcome>;
export class ElectronMissingError extends Error {}
export function locateElectron(root?: string): ElectronInfo & { executable: string };
export function electronPackageInfo(root?: string): { version: string; abi: number };
export function rebuildForElectron(root: string, electron: ElectronInfo): Promise<void>;
export function ensureElectronBuild(options?: {
  root?: string;
  electron?: ElectronInfo;
  rebuild?: (stagingRoot: string, electron: ElectronInfo) => void | Promise<void>;
  log?: (line: string) => void;
}): Promise<{ path: string; compiled: boolean }>;
export function ensureForElectron(options?: {
  root?: string;
  electron?: ElectronInfo;
  rebuild?: (stagingRoot: string, electron: ElectronInfo) => void | Promise<void>;
  log?: (line: string) => void;
}): Promise<EnsureOutcome>;
