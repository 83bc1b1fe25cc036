// The order of things when the app quits or its window closes: first the page flushes its
// unsent edits into core (bounded by a deadline, so a hung page never blocks quitting),
// then core is stopped (it flushes SQLite and exits), then the app quits. Without this,
// edits typed within the last push window would reach core only at the next start.
import type { FlushOutcome } from './rendererFlush';

export interface QuitSequenceDeps {
  /** Asks the page to flush; resolves when it answered, or when timeoutMs passed. */
  flushRenderer(timeoutMs: number): Promise<FlushOutcome>;
  /** Stops core gracefully (bounded by the supervisor's own timeouts). */
  stopCore(): Promise<void>;
  /** app.quit(): emits before-quit again, which now passes. */
  quit(): void;
  log?(message: string): void;
}

/** What main waits for the page at most (the page itself gives up pushing a little earlier). */
export const RENDERER_FLUSH_TIMEOUT_MS = 3_000;

interface PreventableEvent {
  preventDefault(): void;
}

interface ClosableWindow {
  close(): void;
  isDestroyed(): boolean;
}

export interface QuitSequence {
  /** app 'before-quit' */
  onBeforeQuit(event: PreventableEvent): void;
  /** BrowserWindow 'close': the page flushes before the window goes away. */
  onWindowClose(event: PreventableEvent, window: ClosableWindow): void;
}

export function createQuitSequence(deps: QuitSequenceDeps, flushTimeoutMs = RENDERER_FLUSH_TIMEOUT_MS): QuitSequence {
  let phase: 'running' | 'draining' | 'done' = 'running';
  const flushedWindows = new WeakSet<ClosableWindow>();
  const closingWindows = new WeakSet<ClosableWindow>();

  const flush = async (): Promise<void> => {
    try {
      const outcome = await deps.flushRenderer(flushTimeoutMs);
      if (outcome === 'timeout') deps.log?.(`the page did not flush within ${flushTimeoutMs} ms; its stash holds what it had`);
    } catch (error) {
      deps.log?.(`asking the page to flush failed: ${String(error)}`);
    }
  };

  return {
    onBeforeQuit(event) {
      if (phase === 'done') return;
      event.preventDefault();
      if (phase === 'draining') return;
      phase = 'draining';
      void (async () => {
        await flush();
        try {
          await deps.stopCore();
        } catch (error) {
          deps.log?.(`stopping core failed: ${String(error)}`);
        }
        phase = 'done';
        deps.quit();
      })();
    },

    onWindowClose(event, window) {
      // While quitting, before-quit already flushed (and core may be stopped): let it close.
      if (phase !== 'running' || flushedWindows.has(window)) return;
      event.preventDefault();
      if (closingWindows.has(window)) return;
      closingWindows.add(window);
      void flush().then(() => {
        closingWindows.delete(window);
        flushedWindows.add(window);
        if (!window.isDestroyed()) window.close();
      });
    },
  };
}
