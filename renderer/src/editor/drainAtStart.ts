import i18next from 'i18next';
import type { CoreConnection } from '../core/connection';
import { useApp } from '../state/appStore';
import { refusedStoryIds } from './setAside';
import { stashedStoryIds } from './stash';
import type { DrainReport } from './stashDrain';

let running: Promise<DrainReport | null> | null = null;
let again = false;

/**
 * Drains the stashes into core each time the app (re)connects (core may have restarted
 * meanwhile). Kept light on purpose: the drain itself (and Yjs with it) is loaded only
 * when there is something to drain, so the story list does not wait for it.
 */
export function drainStashesOnConnect(connection: CoreConnection, onDrained?: (report: DrainReport) => void): () => void {
  return connection.endpoint.onConnected(() => {
    void drainNow(connection).then((report) => {
      if (!report) return;
      if (report.refused.length > 0) {
        useApp.getState().showNotice({ message: i18next.t('save.drainRefused', { count: report.refused.length }) });
      }
      onDrained?.(report);
    });
  });
}

/**
 * One drain at a time (a connect during a drain runs another after it); resolves null when
 * there was nothing to drain.
 */
export function drainNow(connection: CoreConnection): Promise<DrainReport | null> {
  if (running) {
    again = true;
    return running;
  }
  if (stashedStoryIds().length === 0 && refusedStoryIds().length === 0) return Promise.resolve(null);
  running = import('./stashDrain')
    .then((m) => m.drainStashes((input) => connection.client.services.docs.push(input)))
    .catch((error: unknown) => {
      console.warn('draining the stashed edits failed; they stay stashed', error);
      return null;
    })
    .finally(() => {
      running = null;
      if (again) {
        again = false;
        void drainNow(connection);
      }
    });
  return running;
}
