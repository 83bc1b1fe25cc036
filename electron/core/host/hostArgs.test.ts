import { describe, expect, it } from 'vitest';
import { defaultProfileDir, parseWebHostArgs, profileFromArgv, UsageError } from './hostArgs';

const defaults = { profileDir: () => '/home/u/.config/Ruang Redaksi' };

describe('web host arguments', () => {
  it('parses --profile and --port in both spellings, with defaults', () => {
    expect(parseWebHostArgs([], defaults)).toEqual({ profileDir: '/home/u/.config/Ruang Redaksi', port: 0 });
    expect(parseWebHostArgs(['--profile', '/tmp/p', '--port', '8123'], defaults)).toEqual({ profileDir: '/tmp/p', port: 8123 });
    expect(parseWebHostArgs(['--profile=/tmp/q', '--port=0'], defaults)).toEqual({ profileDir: '/tmp/q', port: 0 });
  });
  it('rejects bad ports, missing values and unknown flags', () => {
    for (const argv of [['--port', '-1'], ['--port', '70000'], ['--port', '1.5'], ['--port'], ['--profile'], ['--verbose'], ['extra']]) {
      expect(() => parseWebHostArgs(argv, defaults)).toThrow(UsageError);
    }
  });
  it('finds --profile in an Electron utility argv', () => {
    expect(profileFromArgv(['/x/electron', '/x/utility.js', '--profile', '/p'])).toBe('/p');
    expect(profileFromArgv(['--profile=/q'])).toBe('/q');
    expect(profileFromArgv([])).toBeUndefined();
  });
});

describe('default per-user profile directory', () => {
  it('follows each OS convention', () => {
    expect(defaultProfileDir({ platform: 'linux', env: {}, home: '/home/u' })).toBe('/home/u/.config/Ruang Redaksi');
    expect(defaultProfileDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/data' }, home: '/home/u' })).toBe('/data/Ruang Redaksi');
    expect(defaultProfileDir({ platform: 'linux', env: { XDG_CONFIG_HOME: 'relative' }, home: '/home/u' })).toBe('/home/u/.config/Ruang Redaksi');
    expect(defaultProfileDir({ platform: 'darwin', env: {}, home: '/Users/u' })).toBe('/Users/u/Library/Application Support/Ruang Redaksi');
    expect(defaultProfileDir({ platform: 'win32', env: { APPDATA: 'C:/Users/u/AppData/Roaming' }, home: 'C:/Users/u' })).toMatch(/Roaming[\\/]Ruang Redaksi$/);
  });
});
