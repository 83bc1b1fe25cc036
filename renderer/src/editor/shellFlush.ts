import type { RuangShell } from '../core/messagePortLink';
import { flushOpenSessions } from './openSessions';

/**
 * Electron's preload (electron/preload/preload.ts) lets main ask the page to flush before
 * it stops core at quit: main waits for the answer, with a deadline of its own.
 */
interface FlushingShell extends RuangShell {
  onFlushRequest?(flush: () => Promise<void>): void;
}

/** Answers main's flush requests (Electron only; web mode has no shell). */
export function answerShellFlushRequests(shell: FlushingShell | undefined): void {
  shell?.onFlushRequest?.(flushOpenSessions);
}
