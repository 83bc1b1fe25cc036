import { create } from 'zustand';
import type { UiLanguage } from '../../../shared/rpc/contract';
import { currentRoute, leaveStoryEntry, pushStoryEntry } from '../app/browserHistory';
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
  /**
   * Opens a story (a new history entry) or, with null, closes it (back to the list entry
   * it came from when there is one). See app/browserHistory.ts.
   */
  openStory(id: string | null, options?: { focusHeadline?: boolean }): void;
  /** The address changed (Back, Forward, an edited address): show what it names, touching no history. */
  followAddress(storyId: string | null): void;
  headlineFocused(): void;
  showNotice(n: Omit<Notice, 'id'>): void;
  dismissNotice(): void;
}

let noticeId = 0;

export const useApp = create<AppState>((set, get) => ({
  connection: { state: 'connecting', everConnected: false, failures: 0 },
  missingToken: false,
  language: 'id',
  openStoryId: storyInAddress(),
  focusHeadlineOf: null,
  notice: null,
  setConnection: (connection) => set({ connection }),
  setMissingToken: () => set({ missingToken: true }),
  setLanguage: (language) => set({ language }),
  openStory: (openStoryId, options) => {
    const current = get().openStoryId;
    if (openStoryId !== current) {
      if (openStoryId) pushStoryEntry(openStoryId, current === null);
      else leaveStoryEntry();
    }
    set({ openStoryId, focusHeadlineOf: options?.focusHeadline ? openStoryId : null });
  },
  followAddress: (openStoryId) => {
    if (openStoryId !== get().openStoryId) set({ openStoryId, focusHeadlineOf: null });
  },
  headlineFocused: () => set({ focusHeadlineOf: null }),
  showNotice: (n) => set({ notice: { ...n, id: ++noticeId } }),
  dismissNotice: () => set({ notice: null }),
}));

/** A reload of a story's address (`#/story/<id>`) reopens it; anything else starts on the list. */
function storyInAddress(): string | null {
  const route = currentRoute();
  return route.kind === 'story' ? route.storyId : null;
}
