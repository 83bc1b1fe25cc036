import type { PhotoVariant } from '../../../../shared/domain/photo';

export type RenditionView = { state: 'loading' } | { state: 'ready'; url: string } | { state: 'unavailable' };

/**
 * How long an unavailable rendition waits before it is asked for again, by attempt: a photo
 * another profile is still uploading (a redaktur opened the story before its bytes arrived)
 * shows up by itself once the server has it, without a click. Spaced out, so a photo that
 * never comes costs one small request a minute.
 */
export const RENDITION_RETRY_DELAYS_MS = [3_000, 5_000, 10_000, 20_000, 30_000, 60_000] as const;

export interface RenditionLoaderOptions {
  load: (sha256: string, variant: Exclude<PhotoVariant, 'original'>) => Promise<Blob>;
  onView: (view: RenditionView) => void;
  createUrl?: (blob: Blob) => string;
  revokeUrl?: (url: string) => void;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  retryDelaysMs?: readonly number[];
}

export interface RenditionLoader {
  /** Asks again now (an upload moved on, the user pressed retry) unless it is shown already. */
  retryNow(): void;
  /** Stops asking and lets go of the object URL. */
  dispose(): void;
}

/**
 * One rendition of one photo as an object URL, without React: asked for at once, and while it
 * is unavailable asked again on a growing delay (RENDITION_RETRY_DELAYS_MS, the last one
 * repeating) until it arrives or the view lets go of it.
 */
export function loadRendition(sha256: string, variant: Exclude<PhotoVariant, 'original'>, options: RenditionLoaderOptions): RenditionLoader {
  const createUrl = options.createUrl ?? ((blob: Blob) => URL.createObjectURL(blob));
  const revokeUrl = options.revokeUrl ?? ((url: string) => URL.revokeObjectURL(url));
  const setTimer = options.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer: unknown) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  const delays = options.retryDelaysMs ?? RENDITION_RETRY_DELAYS_MS;
  let disposed = false;
  let url: string | null = null;
  let inFlight = false;
  let failures = 0;
  let timer: unknown = null;

  function cancelTimer(): void {
    if (timer !== null) clearTimer(timer);
    timer = null;
  }

  function ask(): void {
    if (disposed || url || inFlight) return;
    cancelTimer();
    inFlight = true;
    options.load(sha256, variant).then(
      (blob) => {
        inFlight = false;
        if (disposed) return;
        url = createUrl(blob);
        options.onView({ state: 'ready', url });
      },
      () => {
        inFlight = false;
        if (disposed) return;
        options.onView({ state: 'unavailable' });
        const delay = delays.length > 0 ? delays[Math.min(failures, delays.length - 1)]! : null;
        failures++;
        if (delay !== null) timer = setTimer(ask, delay);
      },
    );
  }

  options.onView({ state: 'loading' });
  ask();
  return {
    retryNow: ask,
    dispose() {
      disposed = true;
      cancelTimer();
      if (url) revokeUrl(url);
      url = null;
    },
  };
}
