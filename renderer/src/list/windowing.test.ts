import { describe, expect, it } from 'vitest';
import { visibleRange } from './windowing';

describe('visibleRange', () => {
  it('renders only the rows in view plus overscan, however long the list', () => {
    const r = visibleRange(0, 640, 64, 10_000, 5);
    expect(r).toEqual({ first: 0, last: 14 });
  });
  it('follows the scroll position', () => {
    expect(visibleRange(64 * 5000, 640, 64, 10_000, 2)).toEqual({ first: 4998, last: 5011 });
  });
  it('clamps at the end of the list', () => {
    expect(visibleRange(64 * 9995, 640, 64, 10_000, 5)).toEqual({ first: 9990, last: 9999 });
  });
  it('is empty for an empty list', () => {
    expect(visibleRange(0, 640, 64, 0)).toEqual({ first: 0, last: -1 });
  });
});
