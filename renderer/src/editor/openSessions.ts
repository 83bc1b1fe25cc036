/**
 * The open story sessions' flush functions, so leaving the app (Electron's quit, see
 * shellFlush.ts) can push or stash every one of them. No imports: the app shell loads
 * this without the editor chunk.
 */
type Flusher = () => Promise<void>;

const flushers = new Set<Flusher>();

export function registerFlusher(flush: Flusher): () => void {
  flushers.add(flush);
  return () => flushers.delete(flush);
}

/** Resolves once every session pushed what it had, or stashed what it could not push. */
export async function flushOpenSessions(): Promise<void> {
  await Promise.all([...flushers].map((flush) => flush().catch((error: unknown) => console.warn('flush failed', error))));
}
