import { useEffect, useRef, useState } from 'react';
import type { PhotoVariant } from '../../../../shared/domain/photo';
import { usePhotoPanel } from './photoContext';
import { loadRendition, type RenditionLoader, type RenditionView } from './renditionLoader';

export type { RenditionView } from './renditionLoader';

/**
 * A rendition of a photo as an object URL, made from the bytes core hands over (the editor
 * never decodes originals) and revoked when the component lets go of it. One that is
 * unavailable is asked for again by itself on a growing delay (renditionLoader.ts: a photo
 * still on its way to the server appears once it is there), and at once when `retryKey`
 * changes (an upload moved on, the user pressed retry); one already shown is not fetched again.
 */
export function useRendition(sha256: string, variant: Exclude<PhotoVariant, 'original'>, retryKey: unknown = null): RenditionView {
  const panel = usePhotoPanel();
  const [view, setView] = useState<RenditionView>({ state: 'loading' });
  const loader = useRef<RenditionLoader | null>(null);
  useEffect(() => {
    if (!panel) return;
    const current = loadRendition(sha256, variant, { load: (sha, v) => panel.rendition(sha, v), onView: setView });
    loader.current = current;
    return () => {
      current.dispose();
      if (loader.current === current) loader.current = null;
    };
  }, [panel, sha256, variant]);
  useEffect(() => {
    loader.current?.retryNow();
  }, [retryKey]); // only a change of the key asks again
  return view;
}
