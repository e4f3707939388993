import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Histogram, HISTOGRAM_MAX_VALUE, bucketBounds, histogramBucketIndex, type HistogramJSON } from '../../src/stats/histogram.js';
import { lcg } from './helpers.js';

/** Lower order statistic x_(⌈q·n⌉), the quantity Histogram.quantile approximates. */
function lowerOrderStatistic(sorted: number[], q: number): number {
  if (q === 0) return sorted[0]!;
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

function histOf(values: number[]): Histogram {
  const h = new Histogram();
  for (const v of values) h.record(v);
  return h;
}

describe('bucket layout', () => {
  it('buckets are contiguous with relative width ≤ 1/64 from 1 µs to 2^54 µs', () => {
    let prevHi = 1;
    for (let i = 1; ; i++) {
      const [lo, hi] = bucketBounds(i);
      expect(lo).toBe(prevHi);
      expect((hi - lo) / lo).toBeLessThanOrEqual(1 / 64);
      prevHi = hi;
      if (hi >= HISTOGRAM_MAX_VALUE) break;
    }
    expect(prevHi).toBe(HISTOGRAM_MAX_VALUE);
    expect(bucketBounds(0)).toEqual([0, 1]);
  });

  it('places every value inside its bucket, including at exact powers of two and just below', () => {
    const u = lcg(3);
    const probes: number[] = [0, 0.5, 1, 2, 3, 63, 64, 65, 1e6, 3.15576e13, HISTOGRAM_MAX_VALUE - 2];
    for (let e = 0; e < 54; e++) {
      const p = 2 ** e;
      probes.push(p, p * (1 - Number.EPSILON / 2), p * (1 + 1 / 64), p * (1 + 1 / 64) * (1 - Number.EPSILON / 2));
    }
    for (let i = 0; i < 2000; i++) probes.push(Math.floor(10 ** (u() * 15)));
    for (const v of probes) {
      const [lo, hi] = bucketBounds(histogramBucketIndex(v));
      expect(lo <= v && v < hi, `value ${v} in [${lo}, ${hi})`).toBe(true);
    }
    expect(histogramBucketIndex(2 ** 20)).toBe(histogramBucketIndex(2 ** 20 * (1 - Number.EPSILON / 2)) + 1);
  });
});

describe('Histogram', () => {
  it('quantiles are within 1% of the exact order statistic (log-uniform 1 µs .. 1e13 µs)', () => {
    const u = lcg(11);
    const values = Array.from({ length: 20_000 }, () => Math.floor(10 ** (u() * 13)) + 1);
    const h = histOf(values);
    const sorted = values.slice().sort((a, b) => a - b);
    for (const q of [0, 1e-4, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999, 1]) {
      const exact = lowerOrderStatistic(sorted, q);
      expect(Math.abs(h.quantile(q) - exact) / exact, `q=${q}`).toBeLessThanOrEqual(0.01);
    }
    expect(h.quantile(0)).toBe(sorted[0]);
    expect(h.quantile(1)).toBe(sorted[sorted.length - 1]);
  });

  it('keeps exact count, min, max and mean', () => {
    const h = histOf([5, 1_000_000, 0, 42, 42]);
    expect(h.count).toBe(5);
    expect(h.min).toBe(0);
    expect(h.max).toBe(1_000_000);
    expect(h.mean).toBe((5 + 1_000_000 + 0 + 42 + 42) / 5);
    // clamping to [min, max] makes a constant histogram exact
    const c = new Histogram().record(12_345, 7);
    expect(c.quantile(0.5)).toBe(12_345);
    expect(c.count).toBe(7);
    expect(c.mean).toBe(12_345);
    const e = new Histogram();
    expect(e.quantile(0.5)).toBeNaN();
    expect(e.mean).toBeNaN();
  });

  it('record(v, k) equals k × record(v)', () => {
    const a = new Histogram().record(777, 5).record(3, 2);
    const b = histOf([777, 777, 777, 777, 777, 3, 3]);
    expect(a.toJSON()).toEqual(b.toJSON());
  });

  it('rejects values outside the layout', () => {
    const h = new Histogram();
    expect(() => h.record(-1)).toThrow(RangeError);
    expect(() => h.record(NaN)).toThrow(RangeError);
    expect(() => h.record(HISTOGRAM_MAX_VALUE)).toThrow(RangeError);
    expect(() => h.record(1, 1.5)).toThrow(RangeError);
    expect(() => h.quantile(1.5)).toThrow(RangeError);
  });

  const intValues = fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 30 });

  it('merge is associative and commutative (integer µs values ⇒ exact JSON equality)', () => {
    fc.assert(
      fc.property(intValues, intValues, intValues, (a, b, c) => {
        const left = histOf(a).merge(histOf(b)).merge(histOf(c)).toJSON();
        const right = histOf(a).merge(histOf(b).merge(histOf(c))).toJSON();
        const swapped = histOf(c).merge(histOf(a)).merge(histOf(b)).toJSON();
        const oneShot = histOf([...a, ...b, ...c]).toJSON();
        expect(left).toEqual(right);
        expect(left).toEqual(swapped);
        expect(left).toEqual(oneShot);
      }),
    );
  });

  it('merge equals recording everything in one histogram, for any split (quantiles too)', () => {
    fc.assert(
      fc.property(intValues, intValues, fc.double({ min: 0, max: 1, noNaN: true }), (a, b, q) => {
        const merged = histOf(a).merge(histOf(b));
        const all = histOf([...a, ...b]);
        return Object.is(merged.quantile(q), all.quantile(q)) && merged.count === a.length + b.length;
      }),
    );
  });

  it('round-trips through compact JSON (structured-clone and JSON.stringify safe)', () => {
    fc.assert(
      fc.property(intValues, (a) => {
        const h = histOf(a);
        const wire = JSON.parse(JSON.stringify(h)) as HistogramJSON;
        const back = Histogram.fromJSON(wire);
        expect(back.toJSON()).toEqual(h.toJSON());
        expect(Histogram.fromJSON(structuredClone(h.toJSON())).toJSON()).toEqual(h.toJSON());
      }),
    );
    const j = histOf([1, 1, 1, 5_000_000]).toJSON();
    expect(j.buckets).toHaveLength(4); // two non-empty buckets, [index, count] pairs
    expect(JSON.stringify(new Histogram())).toBe('{"layout":"log2-sub64-v1","count":0,"sum":0,"min":null,"max":null,"buckets":[]}');
  });

  it('fromJSON rejects inconsistent or foreign data', () => {
    const good = histOf([10, 20]).toJSON();
    expect(() => Histogram.fromJSON({ ...good, layout: 'other' } as unknown as HistogramJSON)).toThrow(RangeError);
    expect(() => Histogram.fromJSON({ ...good, count: 3 })).toThrow(RangeError);
    expect(() => Histogram.fromJSON({ ...good, buckets: [1e9, 1, 2, 1] })).toThrow(RangeError);
    expect(() => Histogram.fromJSON({ ...good, buckets: [5] })).toThrow(RangeError);
  });
});
