import { create } from 'zustand';
import type { SaveState } from '../editor/pushQueue';

/**
 * Live status of the open story, kept apart from the editor so that updating the word
 * count or the save indicator re-renders only those two small components.
 */
interface EditorStatus {
  wordCount: number;
  saveState: SaveState;
  /** Batches of this story core refused for good, kept apart on this device (setAside.ts). */
  refusedEdits: number;
  setWordCount(n: number): void;
  setSaveState(s: SaveState): void;
  setRefusedEdits(n: number): void;
  reset(): void;
}

export const useEditorStatus = create<EditorStatus>((set) => ({
  wordCount: 0,
  saveState: 'saved',
  refusedEdits: 0,
  setWordCount: (wordCount) => set((s) => (s.wordCount === wordCount ? s : { wordCount })),
  setSaveState: (saveState) => set((s) => (s.saveState === saveState ? s : { saveState })),
  setRefusedEdits: (refusedEdits) => set((s) => (s.refusedEdits === refusedEdits ? s : { refusedEdits })),
  reset: () => set({ wordCount: 0, saveState: 'saved', refusedEdits: 0 }),
}));
