import { useEffect, useState } from 'react';
import type { PhotoVariant } from '../../../../shared/domain/photo';
import { usePhotoPanel } from './photoContext';

export type RenditionView = { state: 'loading' } | { state: 'ready'; url: string } | { state: 'unavailable' };

/**
 * A rendition of a photo as an object URL, made from the bytes core hands over (the editor
 * never decodes originals) and revoked when the component lets go of it. A rendition that
 * was unavailable is asked for again when `retryKey` changes (an upload moved on, the user
 * pressed retry); one already shown is not fetched again.
 */
export function useRendition(sha256: string, variant: Exclude<PhotoVariant, 'original'>, retryKey: unknown = null): RenditionView {
  const panel = usePhotoPanel();
  const [view, setView] = useState<RenditionView>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const unavailable = view.state === 'unavailable';
  useEffect(() => {
    if (unavailable) setAttempt((n) => n + 1);
  }, [retryKey]); // only a change of the key asks again
  useEffect(() => {
    if (!panel) return;
    let live = true;
    let url: string | null = null;
    setView({ state: 'loading' });
    panel.rendition(sha256, variant).then(
      (blob) => {
        if (!live) return;
        url = URL.createObjectURL(blob);
        setView({ state: 'ready', url });
      },
      () => {
        if (live) setView({ state: 'unavailable' });
      },
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [panel, sha256, variant, attempt]);
  return view;
}
