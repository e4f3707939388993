/**
 * A distribution as data: the one type for every random delay or duration the simulator draws —
 * one-way network latency and fsync time (topologies), up and down times of failure processes
 * (experiments). Parameters are integer-or-fractional MICROSECONDS (`sigma` and `shape` are
 * dimensionless): config/ converts the files' units (ms and duration texts) once, when it reads
 * them, and converts back only for the JSON contract and the text.
 *
 * Sampling lives in core/distributions.ts (`sample(d, rng)`), which declares a structurally
 * identical union because core imports nothing; test/core/distributions.test.ts asserts the two
 * are the same type. The exact moments here need no rng, so they live with the type.
 */
import { formatDurationUs } from './duration.js';

export type Distribution =
  | { readonly dist: 'constant'; readonly value: number }
  | { readonly dist: 'uniform'; readonly min: number; readonly max: number }
  | { readonly dist: 'exponential'; readonly mean: number }
  | { readonly dist: 'normal'; readonly mean: number; readonly stddev: number }
  | { readonly dist: 'lognormal'; readonly median: number; readonly sigma: number }
  | { readonly dist: 'weibull'; readonly scale: number; readonly shape: number };

export type DistributionKind = Distribution['dist'];

/** Each distribution's parameters, in the order files and messages list them. */
export const DISTRIBUTION_PARAMS: Readonly<Record<DistributionKind, readonly string[]>> = {
  constant: ['value'],
  uniform: ['min', 'max'],
  exponential: ['mean'],
  normal: ['mean', 'stddev'],
  lognormal: ['median', 'sigma'],
  weibull: ['scale', 'shape'],
};

/** The parameters that are not times (not converted between ms and µs). */
export const DIMENSIONLESS_PARAMS: ReadonlySet<string> = new Set(['sigma', 'shape']);

/**
 * The spellings a file may use for `dist`, both in topologies and experiments: `fixed` is another
 * name for `constant` (experiment files have always said `fixed`, topology files `constant`).
 */
export const DISTRIBUTION_NAMES: Readonly<Record<string, DistributionKind>> = {
  constant: 'constant',
  fixed: 'constant',
  uniform: 'uniform',
  exponential: 'exponential',
  normal: 'normal',
  lognormal: 'lognormal',
  weibull: 'weibull',
};

/** `d` with every time parameter multiplied by `factor` (sigma and shape kept): unit changes at the edges. */
export function scaleDistribution(d: Distribution, factor: number): Distribution {
  const out: Record<string, number | string> = { dist: d.dist };
  for (const [k, v] of Object.entries(d)) if (k !== 'dist') out[k] = DIMENSIONLESS_PARAMS.has(k) ? (v as number) : (v as number) * factor;
  return out as unknown as Distribution;
}

/** The exact mean, in the distribution's units (Infinity never; NaN for missing parameters). */
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

/** `{ dist: exponential, mean }` (µs) → "exponential, mean 130d"; a constant prints as "fixed 4h". */
export function formatDistribution(d: Distribution): string {
  const t = formatDurationUs;
  switch (d.dist) {
    case 'constant':
      return `fixed ${t(d.value)}`;
    case 'uniform':
      return `uniform, min ${t(d.min)}, max ${t(d.max)}`;
    case 'exponential':
      return `exponential, mean ${t(d.mean)}`;
    case 'normal':
      return `normal, mean ${t(d.mean)}, stddev ${t(d.stddev)}`;
    case 'lognormal':
      return `lognormal, median ${t(d.median)}, sigma ${d.sigma}`;
    case 'weibull':
      return `weibull, scale ${t(d.scale)}, shape ${d.shape}`;
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
