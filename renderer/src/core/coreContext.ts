import type { CoreConnection } from './connection';
import type { ReconnectingEndpoint } from './reconnectingEndpoint';

/** The one connection to core for this window, set once at start. */
let current: CoreConnection | null = null;

export function setCore(connection: CoreConnection): void {
  current = connection;
}

export function core(): CoreConnection {
  if (!current) throw new Error('core connection not started');
  return current;
}

export function hasCore(): boolean {
  return current !== null;
}

/** Resolves once core is connected (at once if it already is). */
export function whenConnected(endpoint: ReconnectingEndpoint = core().endpoint): Promise<void> {
  if (endpoint.status().state === 'connected') return Promise.resolve();
  return new Promise((resolve) => {
    const off = endpoint.onConnected(() => {
      off();
      resolve();
    });
  });
}
