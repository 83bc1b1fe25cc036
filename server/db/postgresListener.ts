import pg from 'pg';
import { CHANNEL_SQL } from '../notify/changeEvents';

export interface ListenerOptions {
  connectionString: string;
  /** The pool's startup options (search_path), so current_schema() names the same channel. */
  options?: string;
  /** First delay before reconnecting; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

/**
 * LISTEN on a dedicated connection (a pooled one would be handed to other work and
 * miss notifications). A lost connection (PostgreSQL restarted, a network cut) is
 * reopened with backoff for as long as the server runs; once it is back, `onGap` says
 * notifications may have been missed meanwhile.
 */
export async function listenOnPostgres(opts: ListenerOptions, onPayload: (payload: string) => void, onGap: () => void): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let started = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let delay = opts.retryMs ?? 250;
  const maxDelay = opts.maxRetryMs ?? 5_000;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: opts.connectionString, ...(opts.options ? { options: opts.options } : {}) });
    c.on('notification', (message) => {
      if (message.payload !== undefined) onPayload(message.payload);
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (error) console.error('Ruang Redaksi server: change listener lost its PostgreSQL connection:', error.message);
      c.removeAllListeners('notification');
      void c.end().catch(() => undefined);
      if (client === c) client = null;
      scheduleReconnect();
    };
    c.on('error', onLost);
    c.on('end', () => onLost());
    try {
      await c.connect();
      const [{ channel }] = (await c.query<{ channel: string }>(`SELECT ${CHANNEL_SQL} AS channel`)).rows as [{ channel: string }];
      await c.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    } catch (error) {
      onLost(error as Error);
      throw error;
    }
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    delay = opts.retryMs ?? 250;
  };

  const scheduleReconnect = () => {
    if (stopped || !started || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().then(
        () => {
          if (!stopped) onGap();
        },
        () => undefined, // onLost already scheduled the next try
      );
    }, delay);
    retryTimer.unref();
    delay = Math.min(delay * 2, maxDelay);
  };

  // The first connection must work: a server that cannot listen should not start.
  await connect();
  started = true;
  return async () => {
    stopped = true;
    clearTimeout(retryTimer);
    const c = client;
    client = null;
    if (c) {
      c.removeAllListeners('end');
      c.removeAllListeners('error');
      c.on('error', () => undefined);
      await c.end().catch(() => undefined);
    }
  };
}
