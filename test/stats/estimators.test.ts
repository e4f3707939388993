import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  RunningStats,
  Z95,
  ci95Mean,
  nines,
  ninesFromUnavailability,
  poissonRateCi95,
  relativeHalfWidth,
  tooFewEpisodes,
  wilsonInterval,
} from '../../src/stats/estimators.js';
import { gammaQuantile, logGamma, regularizedGammaP } from '../../src/stats/special.js';
import { expectRel, lcg } from './helpers.js';

function twoPass(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

describe('RunningStats', () => {
  it('matches a two-pass computation', () => {
    const u = lcg(42);
    const xs = Array.from({ length: 1000 }, () => 1e6 + u()); // large offset: naive Σx² would fail
    const s = RunningStats.of(xs);
    const ref = twoPass(xs);
    expect(s.count).toBe(1000);
    expectRel(s.mean, ref.mean, 1e-14);
    expectRel(s.variance, ref.variance, 1e-8);
    expectRel(s.stdErr, Math.sqrt(ref.variance / 1000), 1e-8);
  });

  it('merge equals accumulating everything in one pass (Chan et al.), for any split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 60 }),
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 0, maxLength: 60 }),
        (a, b) => {
          const merged = RunningStats.of(a).merge(RunningStats.of(b));
          const all = RunningStats.of([...a, ...b]);
          expect(merged.count).toBe(all.count);
          expect(merged.mean).toBeCloseTo(all.mean, 9);
          expect(Math.abs(merged.variance - all.variance)).toBeLessThanOrEqual(1e-9 * Math.max(1, all.variance));
        },
      ),
    );
  });

  it('handles empty accumulators and round-trips through JSON', () => {
    const e = new RunningStats();
    expect(e.mean).toBeNaN();
    expect(e.variance).toBeNaN();
    const s = RunningStats.of([1, 2, 3, 4]);
    expect(e.clone().merge(s).toJSON()).toEqual(s.toJSON());
    expect(s.clone().merge(new RunningStats()).toJSON()).toEqual(s.toJSON());
    const back = RunningStats.fromJSON(JSON.parse(JSON.stringify(s)) as ReturnType<RunningStats['toJSON']>);
    expect(back.toJSON()).toEqual(s.toJSON());
    expect(back.variance).toBeCloseTo(5 / 3, 14);
    expect(() => new RunningStats().push(NaN)).toThrow(RangeError);
  });
});

describe('ci95Mean', () => {
  it('is mean ± 1.96·s/√n', () => {
    const [lo, hi] = ci95Mean([1, 2, 3, 4, 5]); // mean 3, s² = 2.5, se = √0.5
    expect(lo).toBeCloseTo(3 - Z95 * Math.sqrt(0.5), 14);
    expect(hi).toBeCloseTo(3 + Z95 * Math.sqrt(0.5), 14);
    expect(ci95Mean(RunningStats.of([1, 2, 3, 4, 5]))).toEqual([lo, hi]);
  });

  it('clamps to [0, 1] when asked, and is unbounded with < 2 samples', () => {
    const [lo, hi] = ci95Mean([0, 0, 0, 0.01], { clamp01: true });
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThan(0.0025);
    expect(ci95Mean([0, 0, 0, 0.01])[0]).toBeLessThan(0);
    expect(ci95Mean([0.5])).toEqual([-Infinity, Infinity]);
    expect(ci95Mean([0.5], { clamp01: true })).toEqual([0, 1]);
  });

  it('covers the true mean ~95% of the time (fixed-seed LCG, 2000 experiments of 100 trials)', () => {
    // per-trial fractions: skewed (u³), true mean 1/4
    const u = lcg(7);
    let covered = 0;
    const reps = 2000;
    for (let r = 0; r < reps; r++) {
      const s = new RunningStats();
      for (let i = 0; i < 100; i++) s.push(u() ** 3);
      const [lo, hi] = ci95Mean(s);
      if (lo <= 0.25 && 0.25 <= hi) covered++;
    }
    // binomial sd of the coverage at 2000 reps is ~0.5%; the CLT error at n = 100 is ~1%
    expect(covered / reps).toBeGreaterThan(0.925);
    expect(covered / reps).toBeLessThan(0.97);
  });
});

describe('wilsonInterval', () => {
  it('matches published values', () => {
    const [a0, a1] = wilsonInterval(0, 10);
    expect(a0).toBe(0);
    expect(a1).toBeCloseTo(0.2775, 4);
    const [b0, b1] = wilsonInterval(5, 10);
    expect(b0).toBeCloseTo(0.2366, 4);
    expect(b1).toBeCloseTo(0.7634, 4);
    const [c0, c1] = wilsonInterval(10, 10);
    expect(c0).toBeCloseTo(0.7225, 4);
    expect(c1).toBe(1);
  });

  it('is a valid interval around p̂ that shrinks with n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.nat(), (n, k0) => {
        const k = k0 % (n + 1);
        const [lo, hi] = wilsonInterval(k, n);
        const wider = wilsonInterval(k * 4, n * 4);
        return 0 <= lo && lo <= k / n && k / n <= hi && hi <= 1 && wider[1] - wider[0] < hi - lo;
      }),
    );
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });
});

describe('poissonRateCi95 (Garwood)', () => {
  it('matches scipy chi2.ppf-based exact limits', () => {
    const cases: [number, number, number][] = [
      [0, 0, 3.6888794541139354],
      [1, 0.025317807984289876, 5.571643390938898],
      [3, 0.6186721228956014, 8.767273069742323],
      [10, 4.7953886961324335, 18.39035604201778],
      [100, 81.36399125092314, 121.62679379242638],
      [1000, 938.9730184076952, 1063.952136016302],
      [100000, 99381.15266374472, 100621.74473974388],
    ];
    for (const [k, lo, hi] of cases) {
      const [l, h] = poissonRateCi95(k, 1);
      if (k === 0) expect(l).toBe(0);
      else expectRel(l, lo, 1e-9);
      expectRel(h, hi, 1e-9);
    }
  });

  it('scales with exposure (events per unit)', () => {
    const [l, h] = poissonRateCi95(10, 50); // 10 elections in 50 trial-years
    expectRel(l, 4.7953886961324335 / 50, 1e-9);
    expectRel(h, 18.39035604201778 / 50, 1e-9);
    expect(() => poissonRateCi95(1.5, 1)).toThrow(RangeError);
    expect(() => poissonRateCi95(1, 0)).toThrow(RangeError);
  });

  it('special functions: P(k, x) = 1 − Σ_{i<k} e^−x xⁱ/i! for integer k; scipy values otherwise', () => {
    for (const k of [1, 2, 5, 12]) {
      for (const x of [0.1, 1, 4, 11, 30]) {
        let term = Math.exp(-x);
        let sum = 0;
        for (let i = 0; i < k; i++) {
          sum += term;
          term *= x / (i + 1);
        }
        expect(Math.abs(regularizedGammaP(k, x) - (1 - sum))).toBeLessThan(1e-13);
      }
    }
    expectRel(regularizedGammaP(4.5, 7.3), 0.8974743197859523, 1e-12);
    expectRel(regularizedGammaP(0.3, 0.2), 0.6575067242697217, 1e-12);
    expectRel(regularizedGammaP(100, 120), 0.9721362601094793, 1e-12);
    expectRel(logGamma(10), Math.log(362880), 1e-14);
    expectRel(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
    expectRel(regularizedGammaP(3, gammaQuantile(3, 0.3)), 0.3, 1e-12);
  });
});

describe('nines, precision and the episode rule', () => {
  it('nines', () => {
    expect(nines(0.999)).toBeCloseTo(3, 12);
    expect(nines(0.9)).toBeCloseTo(1, 12);
    expect(nines(1)).toBe(Infinity);
    expect(nines(0)).toBe(0);
    expect(ninesFromUnavailability(1e-11)).toBeCloseTo(11, 13);
    expect(() => nines(1.01)).toThrow(RangeError);
  });

  it('relativeHalfWidth', () => {
    expect(relativeHalfWidth([0.9, 1.1], 1)).toBeCloseTo(0.1, 14);
    expect(relativeHalfWidth([-3, 1], -2)).toBeCloseTo(1, 14);
    expect(relativeHalfWidth([0, 0], 0)).toBe(Infinity);
    expect(relativeHalfWidth([-Infinity, Infinity], 0.5)).toBe(Infinity);
  });

  it('tooFewEpisodes: fewer than 10 episodes is untrustworthy', () => {
    expect(tooFewEpisodes(0)).toBe(true);
    expect(tooFewEpisodes(9)).toBe(true);
    expect(tooFewEpisodes(10)).toBe(false);
    expect(tooFewEpisodes(50, 100)).toBe(true);
  });
});
