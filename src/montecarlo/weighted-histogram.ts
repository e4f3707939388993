import { HISTOGRAM_LAYOUT, HISTOGRAM_MAX_VALUE, bucketBounds, histogramBucketIndex } from '../stats/index.js';

/**
 * Histogram of durations (µs) in which each value counts with its cycle's weight W: the buckets of
 * stats/histogram.ts (so the same ≤ 0.78% quantile resolution) holding BigInt weights. Weighted
 * quantiles estimate the quantiles under the natural measure; min and max are of the values seen.
 */
export class WeightedHistogram {
  private readonly weights = new Map<number, bigint>();
  /** values recorded (unweighted) */
  count = 0;
  /** Σ weights */
  totalWeight = 0n;
  min = Infinity;
  max = -Infinity;

  record(valueUs: number, weight: bigint): this {
    const b = histogramBucketIndex(valueUs);
    this.count++;
    if (weight !== 0n) this.weights.set(b, (this.weights.get(b) ?? 0n) + weight);
    this.totalWeight += weight;
    if (valueUs < this.min) this.min = valueUs;
    if (valueUs > this.max) this.max = valueUs;
    return this;
  }

  merge(other: WeightedHistogram): this {
    for (const [b, w] of other.weights) this.weights.set(b, (this.weights.get(b) ?? 0n) + w);
    this.count += other.count;
    this.totalWeight += other.totalWeight;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    return this;
  }

  /**
   * The weighted q-quantile: the midpoint of the first bucket (ascending) whose cumulative weight
   * reaches q·Σweights, clamped to [min, max]; exact integer comparison (q to 2^-32). NaN when no
   * weight was recorded.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
    if (this.totalWeight === 0n) return NaN;
    const target = BigInt(Math.round(q * 2 ** 32)) * this.totalWeight;
    let seen = 0n;
    for (const [b, w] of this.buckets()) {
      seen += w;
      if (seen * 2n ** 32n >= target) {
        const [lo, hi] = bucketBounds(b);
        return Math.min(this.max, Math.max(this.min, b === 0 ? 0 : (lo + hi) / 2));
      }
    }
    return this.max;
  }

  /** Non-empty buckets in ascending index order (the Map's order depends on insertion). */
  buckets(): [number, bigint][] {
    return [...this.weights].sort((a, b) => a[0] - b[0]);
  }

  toJSON(): WeightedHistogramJSON {
    return {
      layout: HISTOGRAM_LAYOUT,
      count: this.count,
      totalWeight: this.totalWeight.toString(),
      min: this.count === 0 ? null : this.min,
      max: this.count === 0 ? null : this.max,
      buckets: this.buckets().map(([b, w]) => [b, w.toString()]),
    };
  }

  /** Reads toJSON's form back; RangeError naming the field (under `name`) that is damaged. */
  static fromJSON(j: WeightedHistogramJSON, name: string): WeightedHistogram {
    const h = new WeightedHistogram();
    if (at(j, name, 'layout') !== HISTOGRAM_LAYOUT) throw new RangeError(`${name}.layout: expected ${HISTOGRAM_LAYOUT}, got ${JSON.stringify(j.layout)}`);
    h.count = int(at(j, name, 'count'), `${name}.count`);
    h.totalWeight = big(at(j, name, 'totalWeight'), `${name}.totalWeight`);
    const buckets = at(j, name, 'buckets');
    if (!Array.isArray(buckets)) throw new RangeError(`${name}.buckets: expected [index, weight] pairs`);
    let total = 0n;
    let last = -1;
    for (const [k, pair] of (buckets as unknown[]).entries()) {
      const [b, w] = Array.isArray(pair) ? (pair as unknown[]) : [];
      if (!Number.isInteger(b) || (b as number) <= last || (b as number) > LAST_BUCKET) throw new RangeError(`${name}.buckets[${k}]: bucket index ${String(b)} out of order or range`);
      const weight = big(w, `${name}.buckets[${k}]`);
      if (weight === 0n) throw new RangeError(`${name}.buckets[${k}]: an empty bucket is not written`);
      h.weights.set(b as number, weight);
      total += weight;
      last = b as number;
    }
    if (total !== h.totalWeight) throw new RangeError(`${name}.totalWeight: ${h.totalWeight} but the buckets add up to ${total}`);
    if (h.count > 0) {
      h.min = num(at(j, name, 'min'), `${name}.min`);
      h.max = num(at(j, name, 'max'), `${name}.max`);
    } else if (j.min !== null || j.max !== null || total !== 0n) {
      throw new RangeError(`${name}: empty (count 0), yet it has a min, a max or weights`);
    }
    return h;
  }
}

const LAST_BUCKET = histogramBucketIndex(HISTOGRAM_MAX_VALUE - 2);

export interface WeightedHistogramJSON {
  layout: typeof HISTOGRAM_LAYOUT;
  count: number;
  totalWeight: string;
  min: number | null;
  max: number | null;
  /** non-empty buckets, ascending: [bucket index (stats/histogram.ts), Σ weight as a decimal string] */
  buckets: [number, string][];
}

// JSON readers shared with weighted.ts: each names the field it refuses.

/** j[key] (j being the field `name`), or a RangeError naming `name.key` when j is not an object or lacks it. */
export function at(j: unknown, name: string, key: string): unknown {
  if (j === null || typeof j !== 'object' || !(key in j)) throw new RangeError(`${name}.${key}: missing`);
  return (j as Record<string, unknown>)[key];
}

/** A non-negative decimal integer string, as toJSON writes them ("-5", "0x1f", numbers are damage). */
export function big(x: unknown, name: string): bigint {
  if (typeof x !== 'string' || !/^\d+$/.test(x)) throw new RangeError(`${name}: expected a non-negative whole number as a decimal string, got ${JSON.stringify(x)}`);
  return BigInt(x);
}

export function int(x: unknown, name: string): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) throw new RangeError(`${name}: expected a non-negative integer, got ${String(x)}`);
  return x;
}

function num(x: unknown, name: string): number {
  if (typeof x !== 'number' || !(x >= 0 && x < HISTOGRAM_MAX_VALUE)) throw new RangeError(`${name}: expected a duration in [0, 2^54) µs, got ${String(x)}`);
  return x;
}
