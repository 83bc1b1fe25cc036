import { describe, expect, it } from 'vitest';
import { profileOverride, userDataDir } from './profile';

describe('profile folder', () => {
  it('reads --profile DIR, --profile=DIR or RUANG_PROFILE, made absolute', () => {
    expect(profileOverride(['electron', 'main.cjs', '--profile', 'tmp/p'], {}, '/work')).toBe('/work/tmp/p');
    expect(profileOverride(['app', '--profile=/data/p'], {}, '/work')).toBe('/data/p');
    expect(profileOverride(['app'], { RUANG_PROFILE: '/env/p' }, '/work')).toBe('/env/p');
    expect(profileOverride(['app'], {}, '/work')).toBeNull();
    expect(userDataDir(null, '/home/u/.config')).toBe('/home/u/.config/Ruang Redaksi');
    expect(userDataDir('/tmp/p', '/home/u/.config')).toBe('/tmp/p');
  });
});
