import { useCallback, useSyncExternalStore } from 'react';
import type { LocalProvider } from './localProvider';

/** True once the story's stored document is in the editor (fields stay read-only before). */
export function useLoaded(provider: LocalProvider): boolean {
  const subscribe = useCallback((notify: () => void) => provider.onLoaded(notify), [provider]);
  return useSyncExternalStore(subscribe, () => provider.isLoaded);
}
