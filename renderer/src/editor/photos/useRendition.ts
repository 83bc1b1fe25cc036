import { useEffect, useState } from 'react';
import type { PhotoVariant } from '../../../../shared/domain/photo';
import { usePhotoPanel } from './photoContext';

export type RenditionView = { state: 'loading' } | { state: 'ready'; url: string } | { state: 'unavailable' };

/**
 * A rendition of a photo as an object URL, made from the bytes core hands over (the editor
 * never decodes originals) and revoked when the component lets go of it. `retryKey`
 * asks again when it changes (an upload finished, the user pressed retry).
 */
export function useRendition(sha256: string, variant: Exclude<PhotoVariant, 'original'>, retryKey: unknown = null): RenditionView {
  const panel = usePhotoPanel();
  const [view, setView] = useState<RenditionView>({ state: 'loading' });
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
  }, [panel, sha256, variant, retryKey]);
  return view;
}
