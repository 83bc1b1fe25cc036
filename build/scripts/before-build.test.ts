import { afterEach, describe, expect, it } from 'vitest';
import beforeBuild from './before-build.mjs';

const saved = process.env.npm_config_nodedir;
afterEach(() => {
  if (saved === undefined) delete process.env.npm_config_nodedir;
  else process.env.npm_config_nodedir = saved;
});

describe('electron-builder beforeBuild hook', () => {
  it('removes the leaked nodedir and leaves cross-platform builds to electron-builder', async () => {
    process.env.npm_config_nodedir = '/usr';
    const otherPlatform = process.platform === 'win32' ? 'linux' : 'win32';
    await expect(beforeBuild({ platform: { nodeName: otherPlatform }, arch: process.arch, electronVersion: '39.8.10' })).resolves.toBe(true);
    expect(process.env.npm_config_nodedir).toBeUndefined();
  });
});
