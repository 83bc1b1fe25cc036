import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadRendition, type RenditionView } from './renditionLoader';

const SHA = 'a'.repeat(64);

/** A rendition core cannot give until `arrive()` (a photo another profile is still uploading). */
function slowPhoto() {
  let there = false;
  const load = vi.fn(async () => {
    if (!there) throw new Error('photo_unavailable');
    return new Blob([new Uint8Array([1, 2, 3])], { type: 'image/webp' });
  });
  return { load, arrive: () => (there = true) };
}

describe('loadRendition', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks again by itself while unavailable, and shows the photo once it is there', async () => {
    const photo = slowPhoto();
    const views: RenditionView[] = [];
    const loader = loadRendition(SHA, 'thumb', { load: photo.load, onView: (v) => views.push(v), createUrl: () => 'blob:x', revokeUrl: () => {}, retryDelaysMs: [1_000, 2_000] });
    await vi.advanceTimersByTimeAsync(0);
    expect(views.at(-1)).toEqual({ state: 'unavailable' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(photo.load).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2_000);
    await vi.advanceTimersByTimeAsync(2_000); // the last delay repeats
    expect(photo.load).toHaveBeenCalledTimes(4);

    photo.arrive();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(views.at(-1)).toEqual({ state: 'ready', url: 'blob:x' });
    // Shown: no more asking.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(photo.load).toHaveBeenCalledTimes(5);
    loader.dispose();
  });

  it('retryNow asks at once; dispose stops the asking and revokes the URL', async () => {
    const photo = slowPhoto();
    const revoked: string[] = [];
    const loader = loadRendition(SHA, 'web', { load: photo.load, onView: () => {}, createUrl: () => 'blob:y', revokeUrl: (u) => revoked.push(u), retryDelaysMs: [10_000] });
    await vi.advanceTimersByTimeAsync(0);
    photo.arrive();
    loader.retryNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(photo.load).toHaveBeenCalledTimes(2);
    loader.dispose();
    expect(revoked).toEqual(['blob:y']);

    const never = slowPhoto();
    const gone = loadRendition(SHA, 'web', { load: never.load, onView: () => {}, retryDelaysMs: [1_000] });
    await vi.advanceTimersByTimeAsync(0);
    gone.dispose();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(never.load).toHaveBeenCalledTimes(1);
  });
});
