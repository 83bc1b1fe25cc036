import { create } from 'zustand';
import type { UiLanguage } from '../../../shared/rpc/contract';
import type { ConnectionStatus } from '../core/reconnectingEndpoint';

export interface Notice {
  id: number;
  message: string;
  action?: { label: string; run: () => void };
}

/** App-wide UI state: connection, language, which story is open, transient notices. */
interface AppState {
  connection: ConnectionStatus;
  missingToken: boolean;
  language: UiLanguage;
  openStoryId: string | null;
  /** A story just created: its headline takes the focus once it is open. */
  focusHeadlineOf: string | null;
  notice: Notice | null;
  setConnection(c: ConnectionStatus): void;
  setMissingToken(): void;
  setLanguage(l: UiLanguage): void;
  openStory(id: string | null, options?: { focusHeadline?: boolean }): void;
  headlineFocused(): void;
  showNotice(n: Omit<Notice, 'id'>): void;
  dismissNotice(): void;
}

let noticeId = 0;

export const useApp = create<AppState>((set) => ({
  connection: { state: 'connecting', everConnected: false, failures: 0 },
  missingToken: false,
  language: 'id',
  openStoryId: readStoryFromUrl(),
  focusHeadlineOf: null,
  notice: null,
  setConnection: (connection) => set({ connection }),
  setMissingToken: () => set({ missingToken: true }),
  setLanguage: (language) => set({ language }),
  openStory: (openStoryId, options) => {
    writeStoryToUrl(openStoryId);
    set({ openStoryId, focusHeadlineOf: options?.focusHeadline ? openStoryId : null });
  },
  headlineFocused: () => set({ focusHeadlineOf: null }),
  showNotice: (n) => set({ notice: { ...n, id: ++noticeId } }),
  dismissNotice: () => set({ notice: null }),
}));

/**
 * The open story is kept in the query string (?story=ID) so a reload reopens it. The hash
 * is left alone: it carries web mode's access token.
 */
function readStoryFromUrl(): string | null {
  const id = new URLSearchParams(window.location.search).get('story');
  return id && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}

function writeStoryToUrl(id: string | null): void {
  const params = new URLSearchParams(window.location.search);
  if (id) params.set('story', id);
  else params.delete('story');
  const query = params.toString();
  try {
    window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`);
  } catch {
    // file:// or a sandboxed origin may refuse; reopening after reload is a convenience.
  }
}
