/**
 * Exact sample quantiles for small arrays (per-experiment summaries, tests). Large streams go to
 * histogram.ts instead.
 */

function checkSorted(sorted: readonly number[]): void {
  for (let i = 1; i < sorted.length; i++) {
    // `!(a <= b)` also rejects NaN
    if (!((sorted[i - 1] as number) <= (sorted[i] as number))) {
      throw new RangeError(`quantile input must be sorted ascending (index ${i})`);
    }
  }
}

function type7(sorted: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const i = Math.floor(h);
  const lo = sorted[i] as number;
  if (i + 1 >= sorted.length) return lo;
  const hi = sorted[i + 1] as number;
  const frac = h - i;
  return frac === 0 ? lo : lo + frac * (hi - lo);
}

/**
 * Hyndman–Fan type 7 (numpy's default, R's default): h = (n−1)·q, linear interpolation between
 * x_⌊h⌋ and x_⌊h⌋+1 (0-based). Input must be sorted ascending (checked: an unsorted array would
 * give a plausible-looking wrong answer). NaN for an empty array.
 */
export function quantile(sorted: readonly number[], q: number): number {
  checkSorted(sorted);
  return type7(sorted, q);
}

/** Several type-7 quantiles of one sorted array, checking the order once. */
export function quantiles(sorted: readonly number[], qs: readonly number[]): number[] {
  checkSorted(sorted);
  return qs.map((q) => type7(sorted, q));
}

/** Numeric ascending copy (Array.prototype.sort compares as strings by default). */
export function sortedCopy(values: readonly number[]): number[] {
  return values.slice().sort((a, b) => a - b);
}
