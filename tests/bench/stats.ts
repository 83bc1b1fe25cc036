/**
 * Percentiles for benchmark samples. Linear interpolation between closest ranks (the
 * common "type 7" definition), so p50 of an even-sized sample is the mean of the middle two.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of an empty sample');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile out of range: ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Results are reported to 0.01 ms: finer digits are noise on these machines. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
