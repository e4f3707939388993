/**
 * Mergeable log-bucketed histogram for durations in microseconds.
 *
 * Layout (fixed, so any two histograms merge by adding bucket counts): HDR-style, each power-of-two
 * octave [2^e, 2^(e+1)) for e = 0..MAX_EXP is split into SUB = 64 equal-width sub-buckets, plus one
 * bucket for values in [0, 1) (simulated time is integer µs, so that bucket holds exact zeros).
 * Range: 0 .. 2^54 µs ≈ 570 years. Bucket width ≤ 1/64 of its lower edge, and the midpoint is
 * returned, so a quantile is within 1/128 ≈ 0.78% relative of the true order statistic.
 *
 * Bucket indices are computed exactly: 2^e is exact in doubles, v / 2^e ∈ [1, 2) is exact, and
 * (v/2^e − 1)·64 is exact, so floor() never lands on the wrong side of an edge. (No reliance on
 * Math.log rounding, which is how HDR histograms silently disagree across platforms.)
 */

const SUB_BITS = 6;
const SUB = 1 << SUB_BITS; // 64 sub-buckets per octave
const MAX_EXP = 53; // last octave [2^53, 2^54)
const ZERO_BUCKET = 0;
const NUM_BUCKETS = 1 + (MAX_EXP + 1) * SUB;
/** Largest value accepted (exclusive). */
export const HISTOGRAM_MAX_VALUE = 2 ** (MAX_EXP + 1);
/** Identifies the bucket layout in JSON so an incompatible checkpoint is rejected, not misread. */
export const HISTOGRAM_LAYOUT = 'log2-sub64-v1';

export interface HistogramJSON {
  layout: typeof HISTOGRAM_LAYOUT;
  count: number;
  /** Σ value·count (for the exact mean) */
  sum: number;
  /** null when empty (JSON has no Infinity) */
  min: number | null;
  max: number | null;
  /** sparse buckets, ascending index: [index0, count0, index1, count1, ...] */
  buckets: number[];
}

function bucketOf(v: number): number {
  if (v < 1) return ZERO_BUCKET;
  let e = Math.floor(Math.log2(v));
  // Math.log2 may be off by one ulp at powers of two; fix up with exact comparisons.
  if (2 ** e > v) e--;
  else if (2 ** (e + 1) <= v) e++;
  const sub = Math.floor((v / 2 ** e - 1) * SUB);
  return 1 + e * SUB + sub;
}

/** Lower edge, upper edge (exclusive) of bucket `i`. */
export function bucketBounds(i: number): [number, number] {
  if (i === ZERO_BUCKET) return [0, 1];
  const e = Math.floor((i - 1) / SUB);
  const sub = (i - 1) % SUB;
  const base = 2 ** e;
  return [base * (1 + sub / SUB), base * (1 + (sub + 1) / SUB)];
}

function representative(i: number): number {
  if (i === ZERO_BUCKET) return 0;
  const [lo, hi] = bucketBounds(i);
  return (lo + hi) / 2;
}

export class Histogram {
  private readonly counts = new Float64Array(NUM_BUCKETS);
  private n = 0;
  private total = 0;
  private lo = Infinity;
  private hi = -Infinity;

  /** Records `v` (µs, finite, 0 ≤ v < 2^54) `count` times (a non-negative integer). */
  record(v: number, count = 1): this {
    if (!(v >= 0 && v < HISTOGRAM_MAX_VALUE)) throw new RangeError(`histogram value must be in [0, 2^54), got ${v}`);
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
    if (count === 0) return this;
    const b = bucketOf(v);
    this.counts[b] = (this.counts[b] as number) + count;
    this.n += count;
    this.total += v * count;
    if (v < this.lo) this.lo = v;
    if (v > this.hi) this.hi = v;
    return this;
  }

  /**
   * Adds `other`'s buckets into this one. Counts, min and max merge exactly (so merging is
   * associative and commutative); `sum` is a float sum, exact while values are integers and the
   * total stays below 2^53 — integer-µs durations — otherwise order-dependent in the last ulp.
   */
  merge(other: Histogram): this {
    for (let i = 0; i < NUM_BUCKETS; i++) {
      const c = other.counts[i] as number;
      if (c !== 0) this.counts[i] = (this.counts[i] as number) + c;
    }
    this.n += other.n;
    this.total += other.total;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
    return this;
  }

  get count(): number {
    return this.n;
  }

  /** Exact smallest recorded value (NaN when empty). */
  get min(): number {
    return this.n === 0 ? NaN : this.lo;
  }

  /** Exact largest recorded value (NaN when empty). */
  get max(): number {
    return this.n === 0 ? NaN : this.hi;
  }

  /** Exact mean (from the running sum, not the buckets); NaN when empty. */
  get mean(): number {
    return this.n === 0 ? NaN : this.total / this.n;
  }

  get sum(): number {
    return this.total;
  }

  /**
   * The q-quantile as the lower order statistic x_(⌈q·n⌉) (q = 0 ⇒ min, q = 1 ⇒ max exactly),
   * approximated by its bucket's midpoint clamped to [min, max]: within 0.78% relative for values
   * ≥ 1 µs; values in [0, 1) report 0. NaN when empty.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
    if (this.n === 0) return NaN;
    if (q === 0) return this.lo;
    if (q === 1) return this.hi;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let i = 0; i < NUM_BUCKETS; i++) {
      seen += this.counts[i] as number;
      if (seen >= rank) return Math.min(this.hi, Math.max(this.lo, representative(i)));
    }
    return this.hi; // unreachable when counts are consistent
  }

  /** Compact form: only non-empty buckets. Safe to post between workers or write to checkpoints. */
  toJSON(): HistogramJSON {
    const buckets: number[] = [];
    for (let i = 0; i < NUM_BUCKETS; i++) {
      const c = this.counts[i] as number;
      if (c !== 0) buckets.push(i, c);
    }
    return {
      layout: HISTOGRAM_LAYOUT,
      count: this.n,
      sum: this.total,
      min: this.n === 0 ? null : this.lo,
      max: this.n === 0 ? null : this.hi,
      buckets,
    };
  }

  static fromJSON(j: HistogramJSON): Histogram {
    if (j.layout !== HISTOGRAM_LAYOUT) throw new RangeError(`unknown histogram layout ${String(j.layout)}`);
    if (j.buckets.length % 2 !== 0) throw new RangeError('histogram buckets must be [index, count] pairs');
    const h = new Histogram();
    let n = 0;
    for (let k = 0; k < j.buckets.length; k += 2) {
      const i = j.buckets[k] as number;
      const c = j.buckets[k + 1] as number;
      if (!Number.isInteger(i) || i < 0 || i >= NUM_BUCKETS) throw new RangeError(`bad histogram bucket index ${i}`);
      if (!Number.isInteger(c) || c <= 0) throw new RangeError(`bad histogram bucket count ${c}`);
      h.counts[i] = (h.counts[i] as number) + c;
      n += c;
    }
    if (n !== j.count) throw new RangeError(`histogram count ${j.count} does not match bucket total ${n}`);
    h.n = n;
    h.total = j.sum;
    if (n > 0) {
      if (j.min === null || j.max === null) throw new RangeError('non-empty histogram needs min and max');
      h.lo = j.min;
      h.hi = j.max;
    }
    return h;
  }
}

/** Index of the bucket holding `v` (exported for tests and for report axis labels). */
export function histogramBucketIndex(v: number): number {
  if (!(v >= 0 && v < HISTOGRAM_MAX_VALUE)) throw new RangeError(`histogram value must be in [0, 2^54), got ${v}`);
  return bucketOf(v);
}
