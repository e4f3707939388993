import type { Rng } from './rng.js';

/**
 * Samplers for delays and durations. Units are the caller's: every distribution inside the
 * simulator is in microseconds (config/ converts the files' ms once, when it reads them).
 *
 * Every sampler consumes a fixed number of `rng.next()` draws (normal and lognormal: two; the
 * others: one; constant: none), and nothing is cached between calls: the value depends only on
 * the stream's position, never on what another caller sampled earlier.
 */

export function constant(value: number): number {
  return value;
}

/** Uniform on [min, max). */
export function uniform(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng.next();
}

/** Exponential with the given mean (= 1/rate). Uses 1 - u ∈ (0, 1] so log never sees 0. */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng.next());
}

/**
 * Normal by Box–Muller. Draws two uniforms and returns only the cosine variate: the sine spare is
 * thrown away on purpose, because caching it would make a sample depend on call history.
 */
export function normal(rng: Rng, mean: number, stddev: number): number {
  const u1 = 1 - rng.next(); // (0, 1]: log(u1) is finite
  const u2 = rng.next();
  return mean + stddev * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Lognormal parameterised by its median (= e^mu) and the sigma of the underlying normal. */
export function lognormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(normal(rng, 0, sigma));
}

/** Weibull by inversion; shape < 1 gives the decreasing hazard typical of hardware failures. */
export function weibull(rng: Rng, scale: number, shape: number): number {
  return scale * Math.pow(-Math.log(1 - rng.next()), 1 / shape);
}

/**
 * A distribution as data: the same union as model/distribution.ts `Distribution` (the type every
 * caller uses), repeated here only because core imports nothing; test/core/distributions.test.ts
 * asserts the two are the same type. Exact moments (meanOf, medianOf) live with the model type.
 */
export type SampledDistribution =
  | { readonly dist: 'constant'; readonly value: number }
  | { readonly dist: 'uniform'; readonly min: number; readonly max: number }
  | { readonly dist: 'exponential'; readonly mean: number }
  | { readonly dist: 'normal'; readonly mean: number; readonly stddev: number }
  | { readonly dist: 'lognormal'; readonly median: number; readonly sigma: number }
  | { readonly dist: 'weibull'; readonly scale: number; readonly shape: number };

/** One draw of `d`, in `d`'s units. */
export function sample(d: SampledDistribution, rng: Rng): number {
  switch (d.dist) {
    case 'constant':
      return d.value;
    case 'uniform':
      return uniform(rng, d.min, d.max);
    case 'exponential':
      return exponential(rng, d.mean);
    case 'normal':
      return normal(rng, d.mean, d.stddev);
    case 'lognormal':
      return lognormal(rng, d.median, d.sigma);
    case 'weibull':
      return weibull(rng, d.scale, d.shape);
  }
}
