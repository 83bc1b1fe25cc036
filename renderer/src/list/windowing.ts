/** Indices of the rows to render for a scroll position: the visible ones plus `overscan` each side. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): { first: number; last: number } {
  if (total <= 0 || rowHeight <= 0) return { first: 0, last: -1 };
  const firstVisible = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const lastVisible = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight) - 1;
  return {
    first: Math.max(0, Math.min(total - 1, firstVisible - overscan)),
    last: Math.max(0, Math.min(total - 1, lastVisible + overscan)),
  };
}
