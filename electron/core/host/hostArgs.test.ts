import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { defaultProfileDir, parseWebHostArgs, profileFromArgv, UsageError, WEB_USAGE } from './hostArgs';

const defaults = { profileDir: () => '/home/u/.config/Ruang Redaksi' };

describe('web host arguments', () => {
  it('parses --profile, --port and --new-token in both spellings, with defaults', () => {
    const demo = { kind: 'demo' };
    expect(parseWebHostArgs([], defaults)).toEqual({ profileDir: '/home/u/.config/Ruang Redaksi', newToken: false, newsroom: demo });
    expect(parseWebHostArgs(['--profile', '/tmp/p', '--port', '8123'], defaults)).toEqual({ profileDir: '/tmp/p', port: 8123, newToken: false, newsroom: demo });
    expect(parseWebHostArgs(['--profile=/tmp/q', '--port=0', '--new-token'], defaults)).toEqual({ profileDir: '/tmp/q', port: 0, newToken: true, newsroom: demo });
    expect(parseWebHostArgs(['--profile', 'relative/dir'], defaults).profileDir).toBe(resolve('relative/dir'));
  });

  it('chooses the newsroom server: a demo one by default, --server URL, or --no-server', () => {
    expect(parseWebHostArgs(['--server', 'https://redaksi.example/api/'], defaults).newsroom).toEqual({ kind: 'url', url: 'https://redaksi.example/api' });
    expect(parseWebHostArgs(['--server=http://10.0.0.5:8080'], defaults).newsroom).toEqual({ kind: 'url', url: 'http://10.0.0.5:8080' });
    expect(parseWebHostArgs(['--no-server'], defaults).newsroom).toEqual({ kind: 'none' });
  });

  it('rejects bad ports, missing values, stray arguments and unknown flags with a message that names them', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--port', '-1'], /'--port' argument is ambiguous/],
      [['--port=-1'], /--port must be an integer from 0 to 65535, got "-1"/],
      [['--port', '70000'], /--port must be an integer from 0 to 65535, got "70000"/],
      [['--port', '1.5'], /got "1\.5"/],
      [['--port', '0x10'], /got "0x10"/],
      [['--port='], /got ""/],
      [['--port'], /'--port <value>' argument missing/],
      [['--profile'], /'--profile <value>' argument missing/],
      [['--profile='], /--profile needs a value/],
      [['--profile', '--port', '1'], /'--profile' argument is ambiguous/],
      [['--verbose'], /Unknown option '--verbose'/],
      [['-p', '1'], /Unknown option '-p'/],
      [['extra'], /Unexpected argument 'extra'/],
      [['--new-token=yes'], /'--new-token' does not take an argument/],
      [['--server', 'ftp://x'], /--server must be an http:\/\/ or https:\/\/ address, got "ftp:\/\/x"/],
      [['--server', 'redaksi.example'], /--server must be an http/],
      [['--server', 'http://x/?a=1'], /--server must be an http/],
      [['--server'], /'--server <value>' argument missing/],
      [['--server', 'http://x', '--no-server'], /--server and --no-server exclude each other/],
    ];
    for (const [argv, message] of cases) {
      let thrown: unknown;
      try {
        parseWebHostArgs(argv, defaults);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((thrown as Error).message, argv.join(' ')).toMatch(message);
      expect((thrown as Error).message, argv.join(' ')).toContain(WEB_USAGE);
    }
  });

  it('finds --profile in an Electron utility argv', () => {
    expect(profileFromArgv(['/x/electron', '/x/utility.js', '--profile', '/p'])).toBe('/p');
    expect(profileFromArgv(['--profile=/q'])).toBe('/q');
    expect(profileFromArgv(['--inspect', '--profile', '/r', '--lang=id'])).toBe('/r');
    expect(profileFromArgv([])).toBeUndefined();
    expect(profileFromArgv(['--profile'])).toBeUndefined();
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
