import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quantile, quantiles, sortedCopy } from '../../src/stats/quantiles.js';

describe('type-7 quantile', () => {
  it('matches numpy.quantile (default linear method)', () => {
    const x = [0.5, 1.25, 3, 3, 7.5, 10, 11, 40];
    // numpy 1.x/2.x: np.quantile(x, [0, .1, .25, .5, .9, .99, 1])
    const want = [0.5, 1.0250000000000001, 2.5625, 5.25, 19.699999999999996, 37.96999999999999, 40.0];
    const qs = [0, 0.1, 0.25, 0.5, 0.9, 0.99, 1];
    qs.forEach((q, i) => expect(quantile(x, q)).toBeCloseTo(want[i]!, 12));
    expect(quantiles(x, qs).map((v) => Number(v.toFixed(10)))).toEqual(want.map((v) => Number(v.toFixed(10))));
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([10, 20, 30, 40, 50], 0.9)).toBe(46);
    expect(quantile([7], 0.3)).toBe(7);
    expect(quantile([], 0.3)).toBeNaN();
  });

  it('rejects unsorted input and q outside [0, 1]', () => {
    expect(() => quantile([3, 1, 2], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, NaN], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, 2], 1.1)).toThrow(RangeError);
    expect(() => quantile([], -0.1)).toThrow(RangeError);
  });

  it('is monotone in q and stays within [min, max]; sortedCopy sorts numerically', () => {
    expect(sortedCopy([10, 9, 100, 1])).toEqual([1, 9, 10, 100]);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, q1, q2) => {
          const s = sortedCopy(xs);
          const [a, b] = q1 <= q2 ? [q1, q2] : [q2, q1];
          const qa = quantile(s, a);
          const qb = quantile(s, b);
          return qa <= qb && s[0]! <= qa && qb <= s[s.length - 1]!;
        },
      ),
    );
  });
});
