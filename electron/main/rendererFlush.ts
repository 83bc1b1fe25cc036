// Asks the page to push its unsent edits to core (or stash them) and waits for its answer,
// never longer than a deadline: main stops core only after this, so edits typed in the
// last moments before quitting reach SQLite instead of waiting in the page's stash.
// Electron objects come in as parameters (types only), so this is tested in plain Node.
import type { IpcMain, IpcMainEvent, WebContents } from 'electron';

/** main → page: please flush; carries a request id. */
export const FLUSH_REQUEST_CHANNEL = 'app:flush-request';
/** page → main: done (the same id). */
export const FLUSH_DONE_CHANNEL = 'app:flush-done';

export type FlushOutcome = 'flushed' | 'timeout' | 'no-window';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface RendererFlushDeps {
  /** Our window's contents, or null while there is none (or it is gone). */
  contents(): Pick<WebContents, 'send'> | null;
  ipc: Pick<IpcMain, 'on' | 'removeListener'>;
  timers?: Timers;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

let nextRequestId = 1;

/** Resolves 'flushed' when our page answered, 'timeout' after timeoutMs, 'no-window' at once without a page. */
export function requestRendererFlush(deps: RendererFlushDeps, timeoutMs: number): Promise<FlushOutcome> {
  const contents = deps.contents();
  if (!contents) return Promise.resolve('no-window');
  const timers = deps.timers ?? realTimers;
  const requestId = nextRequestId++;
  return new Promise<FlushOutcome>((resolve) => {
    const finish = (outcome: FlushOutcome) => {
      timers.clearTimeout(timer);
      deps.ipc.removeListener(FLUSH_DONE_CHANNEL, onDone);
      resolve(outcome);
    };
    const onDone = (event: Pick<IpcMainEvent, 'sender'>, id: unknown) => {
      // Only our window's answer to this request counts.
      if (event.sender === contents && id === requestId) finish('flushed');
    };
    const timer = timers.setTimeout(() => finish('timeout'), timeoutMs);
    deps.ipc.on(FLUSH_DONE_CHANNEL, onDone);
    try {
      contents.send(FLUSH_REQUEST_CHANNEL, requestId);
    } catch {
      finish('no-window'); // destroyed meanwhile
    }
  });
}
