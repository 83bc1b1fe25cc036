import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { useLexicalNodeSelection } from '@lexical/react/useLexicalNodeSelection';
import { mergeRegister } from '@lexical/utils';
import {
  $getNodeByKey,
  $getSelection,
  $isNodeSelection,
  CLICK_COMMAND,
  COMMAND_PRIORITY_LOW,
  KEY_BACKSPACE_COMMAND,
  KEY_DELETE_COMMAND,
} from 'lexical';
import { useEffect, useRef, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoryPhoto } from '../../../../shared/doc/photos';
import { usePhotoState } from './photoContext';
import { PhotoImage } from './PhotoImage';

/** Caption, then credit, as the newspaper prints them under a photo. */
export function PhotoCaption({ photo }: { photo: StoryPhoto }): JSX.Element | null {
  if (!photo.caption && !photo.credit) return null;
  return (
    <figcaption className="photo-caption">
      {photo.caption ? <span className="photo-caption-text">{photo.caption}</span> : null}
      {photo.credit ? <span className="photo-credit-text">{photo.credit}</span> : null}
    </figcaption>
  );
}

/**
 * Click selects the photo in the body (outlined); Delete or Backspace then removes it from
 * the body (the photo stays in the story's photos, so it can be inserted again).
 */
function useSelectablePhoto(nodeKey: string) {
  const [editor] = useLexicalComposerContext();
  const ref = useRef<HTMLElement | null>(null);
  const [isSelected, setSelected, clearSelection] = useLexicalNodeSelection(nodeKey);
  useEffect(() => {
    const onDelete = (event: KeyboardEvent | null) => {
      const selection = $getSelection();
      if (!isSelected || !$isNodeSelection(selection)) return false;
      event?.preventDefault();
      $getNodeByKey(nodeKey)?.remove();
      return true;
    };
    return mergeRegister(
      editor.registerCommand(
        CLICK_COMMAND,
        (event) => {
          if (!ref.current || !(event.target instanceof Node) || !ref.current.contains(event.target)) return false;
          if (!event.shiftKey) clearSelection();
          setSelected(true);
          return true;
        },
        COMMAND_PRIORITY_LOW,
      ),
      editor.registerCommand(KEY_DELETE_COMMAND, onDelete, COMMAND_PRIORITY_LOW),
      editor.registerCommand(KEY_BACKSPACE_COMMAND, onDelete, COMMAND_PRIORITY_LOW),
    );
  }, [editor, nodeKey, isSelected, setSelected, clearSelection]);
  return { ref, isSelected };
}

/**
 * A photo inside the story body (PhotoNode, drawn through the editor theme): the web
 * rendition with caption and credit under it, live from the photos map. A photo removed
 * from the story's photos leaves a note in its place rather than vanishing with the text
 * around it.
 */
export function PhotoFigure({ photoId, nodeKey }: { photoId: string; nodeKey: string }): JSX.Element {
  const { t } = useTranslation();
  const photo = usePhotoState((s) => s.photos.find((p) => p.id === photoId));
  const { ref, isSelected } = useSelectablePhoto(nodeKey);
  const selected = isSelected ? ' is-selected' : '';
  if (!photo) {
    return (
      <div ref={(el) => void (ref.current = el)} className={`photo-figure is-missing${selected}`} data-testid="body-photo" data-photo-id={photoId}>
        {t('photos.removedFromStory')}
      </div>
    );
  }
  return (
    <figure ref={(el) => void (ref.current = el)} className={`photo-figure${selected}`} data-testid="body-photo" data-photo-id={photoId} data-sha256={photo.sha256}>
      <PhotoImage sha256={photo.sha256} variant="web" alt={photo.caption} width={photo.width} height={photo.height} />
      <PhotoCaption photo={photo} />
    </figure>
  );
}

/** The story's featured photo, above the body (nothing when none is featured). */
export function FeaturedPhoto(): JSX.Element | null {
  const { t } = useTranslation();
  const photo = usePhotoState((s) => s.photos.find((p) => p.featured));
  if (!photo) return null;
  return (
    <figure className="photo-figure is-featured" data-testid="featured-photo" data-photo-id={photo.id} data-sha256={photo.sha256} aria-label={t('photos.featured')}>
      <PhotoImage sha256={photo.sha256} variant="web" alt={photo.caption} width={photo.width} height={photo.height} />
      <PhotoCaption photo={photo} />
    </figure>
  );
}
