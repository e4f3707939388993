import type { Rng } from './rng.js';

/**
 * Samplers for delays and durations. Units are the caller's: a distribution of "ms" returns ms;
 * convert with time.ts (e.g. `msToUs`) before scheduling.
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

/** A distribution as data, as written in experiment files. */
export type Distribution =
  | { readonly dist: 'constant'; readonly value: number }
  | { readonly dist: 'uniform'; readonly min: number; readonly max: number }
  | { readonly dist: 'exponential'; readonly mean: number }
  | { readonly dist: 'normal'; readonly mean: number; readonly stddev: number }
  | { readonly dist: 'lognormal'; readonly median: number; readonly sigma: number }
  | { readonly dist: 'weibull'; readonly scale: number; readonly shape: number };

export function sample(d: Distribution, rng: Rng): number {
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

/** The exact mean, for analytic models and for sanity-checking samples. */
export function meanOf(d: Distribution): number {
  switch (d.dist) {
    case 'constant':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'exponential':
      return d.mean;
    case 'normal':
      return d.mean;
    case 'lognormal':
      return d.median * Math.exp((d.sigma * d.sigma) / 2);
    case 'weibull':
      return d.scale * gamma(1 + 1 / d.shape);
  }
}

/** The exact median. */
export function medianOf(d: Distribution): number {
  switch (d.dist) {
    case 'constant':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'exponential':
      return d.mean * Math.LN2;
    case 'normal':
      return d.mean;
    case 'lognormal':
      return d.median;
    case 'weibull':
      return d.scale * Math.pow(Math.LN2, 1 / d.shape);
  }
}

const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Gamma function (Lanczos approximation, ~15 significant digits), for the Weibull mean. */
export function gamma(x: number): number {
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x)); // reflection
  const z = x - 1;
  let sum = LANCZOS_COEFFICIENTS[0]!;
  for (let i = 1; i < LANCZOS_G + 2; i++) sum += LANCZOS_COEFFICIENTS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * sum;
}
