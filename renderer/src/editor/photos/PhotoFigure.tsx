import type { JSX } from 'react';
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
 * A photo inside the story body (PhotoNode, drawn through the editor theme): the web
 * rendition with caption and credit under it, live from the photos map. A photo removed
 * from the story's photos leaves a note in its place rather than vanishing with the text
 * around it.
 */
export function PhotoFigure({ photoId }: { photoId: string }): JSX.Element {
  const { t } = useTranslation();
  const photo = usePhotoState((s) => s.photos.find((p) => p.id === photoId));
  if (!photo) {
    return (
      <div className="photo-figure is-missing" data-testid="body-photo" data-photo-id={photoId}>
        {t('photos.removedFromStory')}
      </div>
    );
  }
  return (
    <figure className="photo-figure" data-testid="body-photo" data-photo-id={photoId} data-sha256={photo.sha256}>
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
