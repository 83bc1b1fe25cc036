import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempProfile } from '../testing/tempProfile';
import { chooseDemoServerPort, DEMO_SERVER_DIR, DEMO_SERVER_PORT_FILE } from './demoServer';
import { derivePort, readRememberedPort } from './webPort';
import { startWebHost } from './webHost';

let profile: ReturnType<typeof tempProfile>;
const squatters: Server[] = [];
afterEach(async () => {
  await Promise.all(squatters.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
  profile?.remove();
});

async function occupy(port: number): Promise<void> {
  const squatter = createServer();
  await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
  squatters.push(squatter);
}

describe("the demo server's port", () => {
  it('is derived from the profile, remembered once the profile is locked, and kept; a taken one moves for one run and says so', async () => {
    profile = tempProfile('rr-demo-port-');
    const first = await chooseDemoServerPort(profile.dir);
    expect(first.port).toBe(derivePort(join(profile.dir, DEMO_SERVER_DIR)));
    expect(first.notice).toBeNull();
    expect(readRememberedPort(profile.dir, DEMO_SERVER_PORT_FILE)).toBeNull(); // only probed so far
    first.remember();
    expect(readRememberedPort(profile.dir, DEMO_SERVER_PORT_FILE)).toBe(first.port);

    await occupy(first.port);
    const displaced = await chooseDemoServerPort(profile.dir);
    expect(displaced.port).not.toBe(first.port);
    expect(displaced.notice).toContain(`usual port ${first.port} is in use by another program; it runs on port ${displaced.port} for this run only`);
    displaced.remember();
    expect(readRememberedPort(profile.dir, DEMO_SERVER_PORT_FILE)).toBe(first.port);
  });
});

describe('web host with a demo server that cannot start', () => {
  it('says so before the address and works offline', async () => {
    profile = tempProfile('rr-demo-missing-');
    const host = await startWebHost({
      profileDir: profile.dir,
      port: 0,
      rendererDir: join(profile.dir, 'no-renderer'),
      newsroom: { kind: 'demo' },
      serverScript: join(profile.dir, 'missing', 'main.js'),
    });
    try {
      expect(host.demoServer).toBeNull();
      expect(host.notices).toEqual([expect.stringMatching(/demo newsroom server did not start: .*missing.*Writing works offline/)]);
      expect((await host.core.services.account.status({})).serverUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await host.core.services.stories.create({})).id).toBeTruthy();
    } finally {
      await host.stop();
    }
  });
});
