import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { replaceFile } from './profileFile';
import { PortInUseError } from './webServer';

/** The profile file remembering web mode's port: the address tabs and bookmarks hold. */
export const WEB_PORT_FILE = 'web-port';

/**
 * Where a profile's port is first derived from: above the well-known and common
 * development ports, below every OS's ephemeral range (Linux from 32768, Windows and
 * macOS from 49152), so outgoing connections never happen to take it.
 */
export const PROFILE_PORT_RANGE = { first: 20_000, last: 29_999 } as const;

/** How many neighbours of the usual port are tried, in order, before any free port. */
const NEIGHBOURS = 8;

/**
 * A browser keeps everything per origin (scheme, host, port): the tab's access token
 * (sessionStorage) and the edits stashed while core was unreachable (localStorage). A
 * random port per start made every start a new origin, stranding both. So a profile
 * keeps one port: derived from its path on first start (the same path gives the same
 * port even if this file is lost), remembered in the profile, reused on every start.
 */
export function derivePort(profileDir: string): number {
  const digest = createHash('sha256').update(resolve(profileDir)).digest();
  const span = PROFILE_PORT_RANGE.last - PROFILE_PORT_RANGE.first + 1;
  return PROFILE_PORT_RANGE.first + (digest.readUInt32BE(0) % span);
}

/** The remembered port, or null when none is (or the file holds nothing usable). `file`: another profile port file (the demo server's). */
export function readRememberedPort(profileDir: string, file = WEB_PORT_FILE): number | null {
  let text: string;
  try {
    text = readFileSync(join(profileDir, file), 'utf8').trim();
  } catch {
    return null;
  }
  const port = Number(text);
  return /^\d+$/.test(text) && port >= 1 && port <= 65535 ? port : null;
}

export function rememberPort(profileDir: string, port: number, file = WEB_PORT_FILE): void {
  replaceFile(join(profileDir, file), `${port}\n`);
}

/** The usual port first, then its next neighbours: a fixed order, so even the fallback tends to be the same address. */
export function portCandidates(usual: number): number[] {
  const ports = [usual];
  for (let k = 1; k <= NEIGHBOURS && usual + k <= 65535; k++) ports.push(usual + k);
  return ports;
}

export interface ProfilePortListen<S> {
  server: S;
  /** What to tell the user when this run is not on the profile's usual address; null when it is. */
  notice: string | null;
}

/**
 * Listens on the profile's own port. First start: the first free candidate becomes the
 * profile's port. Later starts: the remembered port; when another program holds it, a
 * neighbour (else any free port) for this run only, said clearly. The fallback is not
 * remembered: the usual address is the one open tabs, bookmarks and the stashed edits of
 * that origin belong to, and a port taken for a while should not move them for good.
 */
export async function listenOnProfilePort<S extends { port: number }>(profileDir: string, listen: (port: number) => Promise<S>): Promise<ProfilePortListen<S>> {
  const remembered = readRememberedPort(profileDir);
  const usual = remembered ?? derivePort(profileDir);
  for (const port of portCandidates(usual)) {
    let server: S;
    try {
      server = await listen(port);
    } catch (error) {
      if (error instanceof PortInUseError) continue;
      throw error;
    }
    if (remembered === null) return { server, notice: rememberOrSay(profileDir, port) };
    return { server, notice: port === remembered ? null : takenNotice(remembered, port) };
  }
  const server = await listen(0);
  const { port } = server;
  if (remembered !== null) return { server, notice: takenNotice(remembered, port) };
  return {
    server,
    notice: `Ruang Redaksi: ports ${usual}-${usual + NEIGHBOURS} are all in use by other programs; serving on port ${port} for this run only.`,
  };
}

function takenNotice(usual: number, port: number): string {
  return (
    `Ruang Redaksi: this profile's usual port ${usual} is in use by another program; serving on port ${port} for this run only. ` +
    `Tabs open on http://127.0.0.1:${usual}/ keep their unsent edits and send them when Ruang Redaksi is back on that port.`
  );
}

function rememberOrSay(profileDir: string, port: number): string | null {
  try {
    rememberPort(profileDir, port);
    return null;
  } catch (error) {
    return `Ruang Redaksi: could not remember port ${port} in ${profileDir} (${(error as Error).message}); the next start may use another address.`;
  }
}
