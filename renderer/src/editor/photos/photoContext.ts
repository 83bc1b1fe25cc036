import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { PhotoPanel, PhotoPanelState } from './photoPanel';

/**
 * The open story's photo panel, for everything that shows its photos: the panel, the
 * featured photo above the body and the photos inside the body (Lexical renders those
 * decorators inside this provider's tree, so they read it too).
 */
export const PhotoPanelContext = createContext<PhotoPanel | null>(null);

export function usePhotoPanel(): PhotoPanel | null {
  return useContext(PhotoPanelContext);
}

const NO_STATE: PhotoPanelState = { photos: [], uploads: {}, attaching: null, refusals: [] };
const noStore = { getState: () => NO_STATE, getInitialState: () => NO_STATE, setState: () => {}, subscribe: () => () => {} };

/** A slice of the panel's state (empty outside a story). */
export function usePhotoState<T>(select: (state: PhotoPanelState) => T): T {
  const panel = usePhotoPanel();
  return useStore(panel?.store ?? noStore, select);
}
