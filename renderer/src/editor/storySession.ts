import i18next from 'i18next';
import * as Y from 'yjs';
import { rpcErrorCode } from '../../../shared/rpc/errors';
import { RpcError } from '../../../shared/rpc/protocol';
import type { CoreConnection } from '../core/connection';
import { whenConnected } from '../core/coreContext';
import { claimPreopened } from '../core/docPrefetch';
import { useApp } from '../state/appStore';
import { useEditorStatus } from '../state/editorStatusStore';
import { LocalProvider } from './localProvider';
import { registerFlusher } from './openSessions';
import { PushQueue } from './pushQueue';
import { drainNow } from './drainAtStart';
import { hasRetryableRefused, keepRefused, onRefusedChanged, refusedCount } from './setAside';
import { clearStash, readStash, writeStash } from './stash';

/** Origin of updates that came from core: they are never pushed back. */
export const CORE_ORIGIN = Symbol('core');
/** Origin of edits replayed from the unsent stash: pushed like typing. */
export const RESTORED_ORIGIN = Symbol('restored');

const CLOSE_FLUSH_TIMEOUT_MS = 3_000;
/** Within main's wait at quit (3 s): what is not pushed by then is stashed already. */
const QUIT_FLUSH_TIMEOUT_MS = 2_500;
const STASH_WHILE_FAILING_MS = 2_000;
/** How often, at most, edits set aside after core's own failures are retried while core takes pushes again. */
const REFUSED_RETRY_EVERY_MS = 30_000;

/** One open story: its Y.Doc, the provider the editor binds to, and the push queue to core. */
export interface StorySession {
  readonly storyId: string;
  readonly doc: Y.Doc;
  readonly provider: LocalProvider;
  readonly queue: PushQueue;
  /** Resolves once the stored document is in the editor; rejects when core refuses (e.g. not_found) or the bytes do not load. */
  readonly opened: Promise<void>;
  /** Flushes (bounded wait), stashes what could not be sent, tells core, releases everything. */
  close(): Promise<void>;
}

/**
 * Starts a session at once, without waiting for core: the editor mounts and binds while
 * docs.open is in flight, and the stored document is applied (inside the provider's
 * connect) when it arrives. Opening a long story thus costs max(round trip, mount), not
 * their sum.
 */
export function createStorySession(core: CoreConnection, storyId: string): StorySession {
  const doc = new Y.Doc();
  const provider = new LocalProvider(doc);
  let closed = false;
  useEditorStatus.getState().reset();
  const refusedInMemory: Uint8Array[] = [];
  const showRefused = () => useEditorStatus.getState().setRefusedEdits(refusedCount(storyId) + refusedInMemory.length);
  showRefused();
  // The drain at connect may set this story's stash aside while the editor is open.
  const offRefused = onRefusedChanged((id) => {
    if (id === storyId && !closed) showRefused();
  });

  let stashTimer: ReturnType<typeof setInterval> | null = null;
  let lastRefusedRetry = -Infinity;
  const stashNow = () => {
    const unsent = queue.unsentUpdate();
    if (unsent) writeStash(storyId, unsent);
  };
  const queue = new PushQueue({
    send: (update) =>
      core.client.services.docs.push({ storyId, update }).catch((error: unknown) => {
        console.warn('docs.push failed', error);
        throw error;
      }),
    onSetAside: (update, error) => {
      // Core refused this batch for good: keep it apart (later stashes never overwrite it),
      // tell the reporter, and let the edits that follow through.
      const code = rpcErrorCode(error);
      if (!keepRefused(storyId, update, code)) {
        console.error(`could not keep the refused edits of story ${storyId} in localStorage; they stay in memory`, error);
        refusedInMemory.push(update);
      }
      showRefused();
      useApp.getState().showNotice({ message: i18next.t('save.refusedNotice', { code }) });
    },
    onState: (s) => {
      useEditorStatus.getState().setSaveState(s);
      if (s === 'saved') {
        clearStash(storyId);
        if (stashTimer) clearInterval(stashTimer);
        stashTimer = null;
        // Core takes pushes again: edits it failed on earlier ('internal') get another try.
        if (performance.now() - lastRefusedRetry > REFUSED_RETRY_EVERY_MS && hasRetryableRefused(storyId)) {
          lastRefusedRetry = performance.now();
          void drainNow(core);
        }
      } else if (s === 'error' && !stashTimer) {
        // Core is unreachable: keep a copy outside memory too, in case the page goes away.
        stashNow();
        stashTimer = setInterval(stashNow, STASH_WHILE_FAILING_MS);
      }
    },
  });

  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== CORE_ORIGIN) queue.add(update);
  };

  // Edits from the server (a redaktur's, another device's) that core stored: applied with the
  // core origin, so they show live and are never pushed back. Held until the stored document
  // is in, since the editor binds to what connect() applies first.
  const remoteBeforeLoad: Uint8Array[] = [];
  const applyRemote = (update: Uint8Array) => {
    try {
      Y.applyUpdate(doc, update, CORE_ORIGIN);
    } catch (error) {
      // Core reopens the story on the next reconnect and hands the merged state over anyway.
      console.error('a remote update of this story could not be applied', error);
    }
  };
  const offRemote = core.client.on('docRemoteUpdate', (event) => {
    if (closed || event.storyId !== storyId) return;
    if (provider.isLoaded) applyRemote(event.update);
    else remoteBeforeLoad.push(event.update);
  });

  // docs.open, waiting for the connection and retrying when the link drops meanwhile.
  const fetchState = async (): Promise<Uint8Array> => {
    let preopened = claimPreopened(storyId);
    for (;;) {
      await whenConnected(core.endpoint);
      try {
        const res = await (preopened ?? core.client.services.docs.open({ storyId }));
        return res.state;
      } catch (error) {
        preopened = null;
        const retry = error instanceof RpcError && (error.code === 'transport_closed' || error.code === 'timeout');
        if (closed || !retry) throw error;
      }
    }
  };

  // What core answered (it now counts this window as having the story open) ...
  const received = fetchState();
  received.catch(() => {});
  // ... and the document in the editor: rejects when core refused or the bytes do not load.
  const opened = received.then(
    (state) =>
      new Promise<void>((resolve, reject) => {
        performance.mark('rr:doc-received');
        if (closed) return resolve();
        const stash = readStash(storyId);
        provider.supply(() => {
          performance.mark('rr:doc-apply');
          try {
            Y.applyUpdate(doc, state, CORE_ORIGIN);
          } catch (error) {
            console.error('the stored document of this story could not be read', error);
            reject(new RpcError('internal', 'The stored document could not be read'));
            return false;
          }
          // Listen only now: with an update listener Yjs re-encodes every transaction, and
          // re-encoding a 20,000-word story we would not push anyway costs tens of ms.
          doc.on('update', onUpdate);
          remoteBeforeLoad.splice(0).forEach(applyRemote);
          if (stash) {
            try {
              Y.applyUpdate(doc, stash, RESTORED_ORIGIN);
              // Core had all of it already: nothing to push, so nothing would ever clear it.
              if (!queue.hasUnsent) clearStash(storyId);
            } catch (error) {
              // Bytes that do not apply must not keep the story from opening: keep them apart.
              console.error('the stashed edits of this story could not be applied; they are kept apart', error);
              if (keepRefused(storyId, stash, 'invalid_stash')) clearStash(storyId);
              showRefused();
              // Told as when the drain at connect meets it first (whichever reads the stash first).
              useApp.getState().showNotice({ message: i18next.t('save.drainRefused', { count: 1 }) });
            }
          }
          performance.mark('rr:doc-applied');
          resolve();
          return true;
        });
      }),
  );
  opened.catch(() => {});

  const onPageHide = () => {
    stashNow();
    void queue.flush();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') onPageHide();
  };
  window.addEventListener('pagehide', onPageHide);
  document.addEventListener('visibilitychange', onVisibility);

  // Quitting the app: stash first (synchronous, so it holds even if the wait is cut short),
  // then push; a push that lands clears the stash again.
  const unregisterFlusher = registerFlusher(async () => {
    stashNow();
    await Promise.race([queue.flush(), new Promise<boolean>((r) => setTimeout(() => r(false), QUIT_FLUSH_TIMEOUT_MS))]);
  });

  // After a reconnect core may have restarted: reopen (harmless merge of its state) and
  // send whatever is still queued at once instead of waiting out the backoff.
  const offConnected = core.endpoint.onConnected((isReconnect) => {
    if (!isReconnect || !provider.isLoaded) return;
    core.client.services.docs.open({ storyId }).then(
      (res) => {
        Y.applyUpdate(doc, res.state, CORE_ORIGIN);
        queue.retryNow();
      },
      () => queue.retryNow(),
    );
  });

  return {
    storyId,
    doc,
    provider,
    queue,
    opened,
    async close() {
      if (closed) return;
      closed = true;
      window.removeEventListener('pagehide', onPageHide);
      document.removeEventListener('visibilitychange', onVisibility);
      unregisterFlusher();
      offRefused();
      offConnected();
      offRemote();
      doc.off('update', onUpdate);
      const flushed = await Promise.race([
        queue.flush(),
        new Promise<boolean>((r) => setTimeout(() => r(false), CLOSE_FLUSH_TIMEOUT_MS)),
      ]);
      if (!flushed) stashNow();
      if (stashTimer) clearInterval(stashTimer);
      queue.dispose();
      // Tell core only if it was opened there (an open still in flight is closed when it lands).
      received.then(
        () => core.client.services.docs.close({ storyId }).catch(() => {}),
        () => {},
      );
      provider.destroy();
      doc.destroy();
    },
  };
}
