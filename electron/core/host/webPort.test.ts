import { createServer, type Server } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempProfile } from '../testing/tempProfile';
import { derivePort, listenOnProfilePort, portCandidates, PROFILE_PORT_RANGE, readRememberedPort, rememberPort, WEB_PORT_FILE } from './webPort';
import { startWebServer, type WebServer } from './webServer';

let profile: ReturnType<typeof tempProfile>;
const open: Array<{ close(): unknown }> = [];
beforeEach(() => {
  profile = tempProfile('rr-port-');
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  profile.remove();
});

/** The real web server: a real socket on 127.0.0.1. */
async function listen(port: number): Promise<WebServer> {
  const server = await startWebServer({ port, rendererDir: join(profile.dir, 'no-renderer'), attach: () => {} });
  open.push(server);
  return server;
}

/** Another program holding a port (if one already does, that is just as good). */
async function hold(port: number): Promise<void> {
  const server: Server = createServer();
  const held = await new Promise<boolean>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (held) open.push({ close: () => new Promise<void>((r) => server.close(() => r())) });
}

async function closeAll(): Promise<void> {
  for (const s of open.splice(0)) await s.close();
}

describe("a profile's web mode port", () => {
  it('is derived from the profile path, inside a range clear of ephemeral ports', () => {
    for (const dir of ['/a', '/b/c', profile.dir]) {
      const port = derivePort(dir);
      expect(port).toBeGreaterThanOrEqual(PROFILE_PORT_RANGE.first);
      expect(port).toBeLessThanOrEqual(PROFILE_PORT_RANGE.last);
      expect(PROFILE_PORT_RANGE.last).toBeLessThan(32768); // Linux's ephemeral range starts there
    }
    expect(derivePort('/x/../a')).toBe(derivePort('/a'));
    expect(portCandidates(20000)).toEqual([20000, 20001, 20002, 20003, 20004, 20005, 20006, 20007, 20008]);
    expect(portCandidates(65534)).toEqual([65534, 65535]);
  });

  it('is chosen on first start, remembered, and reused on every start', async () => {
    const first = await listenOnProfilePort(profile.dir, listen);
    expect(first.notice).toBeNull();
    expect(portCandidates(derivePort(profile.dir))).toContain(first.server.port);
    expect(readFileSync(join(profile.dir, WEB_PORT_FILE), 'utf8').trim()).toBe(String(first.server.port));
    await closeAll();

    for (let i = 0; i < 2; i++) {
      const again = await listenOnProfilePort(profile.dir, listen);
      expect(again).toMatchObject({ server: { port: first.server.port }, notice: null });
      await closeAll();
    }
  });

  it('on first start skips a derived port that is taken, and remembers the one it got', async () => {
    const derived = derivePort(profile.dir);
    await hold(derived);
    const first = await listenOnProfilePort(profile.dir, listen);
    expect(first.server.port).not.toBe(derived);
    expect(first.notice).toBeNull(); // nothing to say: no tab knows any address yet
    expect(readRememberedPort(profile.dir)).toBe(first.server.port);
  });

  it('when taken by another program, serves elsewhere for this run, says so, and keeps the usual port', async () => {
    const usual = (await listenOnProfilePort(profile.dir, listen)).server.port;
    await closeAll();
    await hold(usual);

    const displaced = await listenOnProfilePort(profile.dir, listen);
    expect(displaced.server.port).not.toBe(usual);
    expect(displaced.notice).toContain(`usual port ${usual} is in use by another program`);
    expect(displaced.notice).toContain(`serving on port ${displaced.server.port} for this run only`);
    expect(readRememberedPort(profile.dir)).toBe(usual);
    await closeAll();

    const back = await listenOnProfilePort(profile.dir, listen);
    expect(back).toMatchObject({ server: { port: usual }, notice: null });
  });

  it('falls back to any free port when the usual one and all its neighbours are taken', async () => {
    const usual = (await listenOnProfilePort(profile.dir, listen)).server.port;
    await closeAll();
    for (const port of portCandidates(usual)) await hold(port);
    const displaced = await listenOnProfilePort(profile.dir, listen);
    expect(portCandidates(usual)).not.toContain(displaced.server.port);
    expect(displaced.notice).toContain(`usual port ${usual}`);
    expect(readRememberedPort(profile.dir)).toBe(usual);
  });

  it('ignores a port file holding nothing usable, and rewrites it', async () => {
    for (const junk of ['', 'abc', '0', '70000', '-5', '1e4']) {
      writeFileSync(join(profile.dir, WEB_PORT_FILE), junk);
      expect(readRememberedPort(profile.dir), JSON.stringify(junk)).toBeNull();
    }
    const chosen = await listenOnProfilePort(profile.dir, listen);
    expect(readRememberedPort(profile.dir)).toBe(chosen.server.port);
    rememberPort(profile.dir, 24680);
    expect(readRememberedPort(profile.dir)).toBe(24680);
  });

  it('passes on listen errors other than a taken port', async () => {
    await expect(listenOnProfilePort(profile.dir, () => Promise.reject(new Error('EACCES-like failure')))).rejects.toThrow('EACCES-like failure');
  });
});
