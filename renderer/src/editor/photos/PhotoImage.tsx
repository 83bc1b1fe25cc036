import { useState, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import type { PhotoVariant } from '../../../../shared/domain/photo';
import { usePhotoState } from './photoContext';
import { useRendition } from './useRendition';

/**
 * One rendition of a photo (thumb in the panel, web size in the body and above it). Asked
 * again when the photo's upload state moves (a redaktur's copy becomes fetchable) or the
 * user presses retry.
 */
export function PhotoImage({
  sha256,
  variant,
  alt,
  width,
  height,
}: {
  sha256: string;
  variant: Exclude<PhotoVariant, 'original'>;
  alt: string;
  width: number;
  height: number;
}): JSX.Element {
  const { t } = useTranslation();
  const [attempt, setAttempt] = useState(0);
  const uploadState = usePhotoState((s) => s.uploads[sha256]?.state ?? 'pending');
  const view = useRendition(sha256, variant, `${uploadState}:${attempt}`);
  if (view.state === 'ready') {
    return <img className={`photo-img is-${variant}`} src={view.url} alt={alt} width={width || undefined} height={height || undefined} draggable={false} />;
  }
  return (
    <div className={`photo-img is-${variant} is-${view.state}`} role="img" aria-label={alt}>
      {view.state === 'unavailable' ? (
        <>
          <span className="photo-img-note">{t('photos.unavailable')}</span>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setAttempt((n) => n + 1)}>
            {t('photos.retry')}
          </button>
        </>
      ) : null}
    </div>
  );
}
