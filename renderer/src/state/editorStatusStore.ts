import { create } from 'zustand';
import type { SaveState } from '../editor/pushQueue';

/**
 * Live status of the open story, kept apart from the editor so that updating the word
 * count or the save indicator re-renders only those two small components.
 */
interface EditorStatus {
  wordCount: number;
  saveState: SaveState;
  setWordCount(n: number): void;
  setSaveState(s: SaveState): void;
  reset(): void;
}

export const useEditorStatus = create<EditorStatus>((set) => ({
  wordCount: 0,
  saveState: 'saved',
  setWordCount: (wordCount) => set((s) => (s.wordCount === wordCount ? s : { wordCount })),
  setSaveState: (saveState) => set((s) => (s.saveState === saveState ? s : { saveState })),
  reset: () => set({ wordCount: 0, saveState: 'saved' }),
}));
