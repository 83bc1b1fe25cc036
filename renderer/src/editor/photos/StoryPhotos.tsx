import { editingLocked, useReview } from '../../state/reviewStore';
import type { DragEvent, JSX } from 'react';
import type { StorySession } from '../storySession';
import { useLoaded } from '../useLoaded';
import { FeaturedPhoto } from './PhotoFigure';
import { PhotoPanelView } from './PhotoPanelView';
import type { PhotoPanel } from './photoPanel';

/** The photo panel, then the featured photo just above the body; read-only until the story is loaded. */
export function StoryPhotos({ session }: { session: StorySession }): JSX.Element {
  const loaded = useLoaded(session.provider);
  // Photos follow the text: locked while the workflow makes the story read-only for this user.
  const locked = useReview(editingLocked);
  return (
    <>
      <PhotoPanelView readOnly={!loaded || locked} />
      <FeaturedPhoto />
    </>
  );
}

const carriesFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

/**
 * Drag and drop onto the story, anywhere outside the body (the body's own drops are
 * Lexical's, which places the photo where it fell): the files are attached to the story.
 * Also keeps a dropped file from replacing the app with the file itself.
 */
export function storyDropHandlers(panel: PhotoPanel | null, loaded: () => boolean) {
  return {
    onDragOver(e: DragEvent) {
      if (carriesFiles(e)) e.preventDefault();
    },
    onDrop(e: DragEvent) {
      if (e.defaultPrevented || !carriesFiles(e)) return;
      e.preventDefault();
      if (panel && loaded() && e.dataTransfer.files.length > 0) void panel.attachFiles(Array.from(e.dataTransfer.files));
    },
  };
}
