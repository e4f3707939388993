import { describe, expect, expectTypeOf, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  exponential,
  normal,
  sample,
  type SampledDistribution,
  uniform,
  weibull,
} from '../../src/core/distributions.js';
import { type Distribution, gamma, meanOf, medianOf } from '../../src/model/distribution.js';

/**
 * Statistical checks use a fixed seed and n = 100 000 samples, and accept a sample mean within
 * 4 standard errors (4σ/√n) of the true mean: a correct sampler fails with probability ~6e-5 for
 * a random seed, and with the seed fixed the result is deterministic. A biased sampler (wrong
 * parameterisation, off-by-a-factor) misses by far more than 4σ/√n ≈ 0.013σ.
 */
const N = 100_000;

function standardDeviationOf(d: Distribution): number {
  switch (d.dist) {
    case 'constant':
      return 0;
    case 'uniform':
      return (d.max - d.min) / Math.sqrt(12);
    case 'exponential':
      return d.mean;
    case 'normal':
      return d.stddev;
    case 'lognormal': {
      const s2 = d.sigma * d.sigma;
      return d.median * Math.sqrt((Math.exp(s2) - 1) * Math.exp(s2));
    }
    case 'weibull': {
      const g1 = gamma(1 + 1 / d.shape);
      return d.scale * Math.sqrt(gamma(1 + 2 / d.shape) - g1 * g1);
    }
  }
}

const cases: Distribution[] = [
  { dist: 'constant', value: 3.5 },
  { dist: 'uniform', min: 2, max: 10 },
  { dist: 'exponential', mean: 250 },
  { dist: 'normal', mean: -4, stddev: 3 },
  { dist: 'lognormal', median: 10, sigma: 0.5 },
  { dist: 'weibull', scale: 1000, shape: 0.7 },
  { dist: 'weibull', scale: 5, shape: 2.5 },
];

describe('distribution means (|mean - mu| < 4 sigma / sqrt(n), n = 100000, fixed seed)', () => {
  for (const d of cases) {
    it(JSON.stringify(d), () => {
      const rng = new Rng(`mean:${JSON.stringify(d)}`);
      let sum = 0;
      for (let i = 0; i < N; i++) sum += sample(d, rng);
      const tolerance = 4 * (standardDeviationOf(d) / Math.sqrt(N));
      expect(Math.abs(sum / N - meanOf(d))).toBeLessThanOrEqual(tolerance);
    });
  }
});

describe('distribution medians (fraction below the true median within 4 binomial standard errors of 1/2)', () => {
  for (const d of cases.filter((c) => c.dist !== 'constant')) {
    it(JSON.stringify(d), () => {
      const rng = new Rng(`median:${JSON.stringify(d)}`);
      const median = medianOf(d);
      let below = 0;
      for (let i = 0; i < N; i++) if (sample(d, rng) < median) below++;
      expect(Math.abs(below / N - 0.5)).toBeLessThan(4 * (0.5 / Math.sqrt(N)));
    });
  }
});

describe('samplers', () => {
  it('normal has the right variance (|s^2 - sigma^2| < 4 sigma^2 sqrt(2/n))', () => {
    const rng = new Rng('normal-variance');
    const xs = Array.from({ length: N }, () => normal(rng, 1, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / N;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (N - 1);
    expect(Math.abs(variance - 4)).toBeLessThan(4 * 4 * Math.sqrt(2 / N));
  });

  it('normal consumes exactly two draws and caches nothing between calls', () => {
    const a = new Rng('bm');
    const b = new Rng('bm');
    normal(a, 0, 1);
    b.next();
    b.next();
    expect(a.next()).toBe(b.next());
    // Same stream position ⇒ same value, whatever was sampled before on other streams.
    const c = new Rng('bm');
    normal(new Rng('other'), 0, 1);
    expect(normal(c, 0, 1)).toBe(normal(new Rng('bm'), 0, 1));
  });

  it('exponential, weibull and uniform consume one draw each and stay in range', () => {
    const rng = new Rng('range');
    for (let i = 0; i < 10_000; i++) {
      expect(exponential(rng, 5)).toBeGreaterThanOrEqual(0);
      expect(weibull(rng, 5, 0.5)).toBeGreaterThanOrEqual(0);
      const u = uniform(rng, -1, 1);
      expect(u >= -1 && u < 1).toBe(true);
    }
    const a = new Rng('one-draw');
    const b = new Rng('one-draw');
    exponential(a, 1);
    weibull(a, 1, 1);
    b.next();
    b.next();
    expect(a.next()).toBe(b.next());
  });

  it('weibull with shape 1 is exponential with mean = scale', () => {
    expect(weibull(new Rng('w1'), 7, 1)).toBeCloseTo(exponential(new Rng('w1'), 7), 12);
    expect(meanOf({ dist: 'weibull', scale: 7, shape: 1 })).toBeCloseTo(7, 10);
  });

  it('same seed gives the same samples (determinism contract)', () => {
    for (const d of cases) {
      const a = new Rng('same');
      const b = new Rng('same');
      expect(Array.from({ length: 5 }, () => sample(d, a))).toEqual(Array.from({ length: 5 }, () => sample(d, b)));
    }
  });

  it('gamma matches known values', () => {
    expect(gamma(5)).toBeCloseTo(24, 10);
    expect(gamma(0.5)).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(gamma(1.5)).toBeCloseTo(Math.sqrt(Math.PI) / 2, 12);
  });

  it("core's sampled union is model's Distribution, field for field (core may not import model)", () => {
    // Checked by the type checker (npx tsc includes test/): a parameter added to one and not the
    // other fails here.
    expectTypeOf<SampledDistribution>().toEqualTypeOf<Distribution>();
    expectTypeOf(sample).parameter(0).toEqualTypeOf<Distribution>();
  });
});
