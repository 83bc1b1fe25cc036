import * as Y from 'yjs';
import type { CoreConnection } from '../core/connection';
import { claimPreopened } from '../core/docPrefetch';
import { useEditorStatus } from '../state/editorStatusStore';
import { LocalProvider } from './localProvider';
import { PushQueue } from './pushQueue';
import { clearStash, readStash, writeStash } from './stash';

/** Origin of updates that came from core: they are never pushed back. */
export const CORE_ORIGIN = Symbol('core');
/** Origin of edits replayed from the unsent stash: pushed like typing. */
export const RESTORED_ORIGIN = Symbol('restored');

const CLOSE_FLUSH_TIMEOUT_MS = 3_000;
const STASH_WHILE_FAILING_MS = 2_000;

/** One open story: its Y.Doc, the provider the editor binds to, and the push queue to core. */
export interface StorySession {
  readonly storyId: string;
  readonly doc: Y.Doc;
  readonly provider: LocalProvider;
  readonly queue: PushQueue;
  /** Flushes (bounded wait), stashes what could not be sent, tells core, releases everything. */
  close(): Promise<void>;
}

export async function openStorySession(core: CoreConnection, storyId: string): Promise<StorySession> {
  const { state } = await (claimPreopened(storyId) ?? core.client.services.docs.open({ storyId }));
  performance.mark('rr:doc-received');
  const doc = new Y.Doc();
  const stash = readStash(storyId);
  const status = useEditorStatus.getState();
  status.reset();

  let stashTimer: ReturnType<typeof setInterval> | null = null;
  const stashNow = () => {
    const unsent = queue.unsentUpdate();
    if (unsent) writeStash(storyId, unsent);
  };
  const queue = new PushQueue({
    send: (update) =>
      core.client.services.docs.push({ storyId, update }).catch((error: unknown) => {
        console.warn('docs.push failed; the batch stays queued', error);
        throw error;
      }),
    onState: (s) => {
      useEditorStatus.getState().setSaveState(s);
      if (s === 'saved') {
        clearStash(storyId);
        if (stashTimer) clearInterval(stashTimer);
        stashTimer = null;
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
  // The update listener is attached only after the stored state is in: with a listener,
  // Yjs re-encodes every transaction, and re-encoding a 20,000-word story that we would
  // not push anyway costs tens of milliseconds on open.
  const provider = new LocalProvider(doc, () => {
    performance.mark('rr:doc-apply');
    Y.applyUpdate(doc, state, CORE_ORIGIN);
    doc.on('update', onUpdate);
    if (stash) Y.applyUpdate(doc, stash, RESTORED_ORIGIN);
    performance.mark('rr:doc-applied');
  });

  const onPageHide = () => {
    stashNow();
    void queue.flush();
  };
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') onPageHide();
  };
  window.addEventListener('pagehide', onPageHide);
  document.addEventListener('visibilitychange', onVisibility);

  // After a reconnect core may have restarted: reopen (harmless merge of its state) and
  // send whatever is still queued at once instead of waiting out the backoff.
  const offConnected = core.endpoint.onConnected((isReconnect) => {
    if (!isReconnect) return;
    core.client.services.docs.open({ storyId }).then(
      (res) => {
        if (provider.isLoaded) Y.applyUpdate(doc, res.state, CORE_ORIGIN);
        queue.retryNow();
      },
      () => queue.retryNow(),
    );
  });

  let closed = false;
  return {
    storyId,
    doc,
    provider,
    queue,
    async close() {
      if (closed) return;
      closed = true;
      window.removeEventListener('pagehide', onPageHide);
      document.removeEventListener('visibilitychange', onVisibility);
      offConnected();
      doc.off('update', onUpdate);
      const flushed = await Promise.race([
        queue.flush(),
        new Promise<boolean>((r) => setTimeout(() => r(false), CLOSE_FLUSH_TIMEOUT_MS)),
      ]);
      if (!flushed) stashNow();
      if (stashTimer) clearInterval(stashTimer);
      queue.dispose();
      core.client.services.docs.close({ storyId }).catch(() => {});
      provider.destroy();
      doc.destroy();
    },
  };
}
