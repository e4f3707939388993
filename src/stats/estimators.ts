/**
 * Monte Carlo estimators and confidence intervals. Everything here is a pure function of its
 * inputs (no randomness), so merged results are reproducible whatever the worker count, provided
 * the caller merges in trial-index order (floating-point addition is not associative).
 */
import { gammaQuantile } from './special.js';

/** Two-sided 95% standard-normal quantile, Φ⁻¹(0.975). */
export const Z95 = 1.959963984540054;

export type Interval = [lo: number, hi: number];

export interface RunningStatsJSON {
  count: number;
  mean: number;
  m2: number;
}

/**
 * Welford's online mean/variance. `merge` uses Chan, Golub & LeVeque's pairwise update, which is
 * the exact (in real arithmetic) combination of two disjoint samples, so per-worker accumulators
 * can be combined without keeping the samples.
 */
export class RunningStats {
  private n = 0;
  private mu = 0;
  private m2 = 0; // Σ (x − mean)²

  static of(samples: Iterable<number>): RunningStats {
    const s = new RunningStats();
    for (const x of samples) s.push(x);
    return s;
  }

  static fromJSON(j: RunningStatsJSON): RunningStats {
    if (!Number.isInteger(j.count) || j.count < 0 || !(j.m2 >= 0)) throw new RangeError('invalid RunningStats JSON');
    const s = new RunningStats();
    s.n = j.count;
    s.mu = j.count === 0 ? 0 : j.mean;
    s.m2 = j.count === 0 ? 0 : j.m2;
    return s;
  }

  push(x: number): this {
    if (!Number.isFinite(x)) throw new RangeError(`RunningStats.push needs a finite number, got ${x}`);
    this.n++;
    const d = x - this.mu;
    this.mu += d / this.n;
    this.m2 += d * (x - this.mu);
    return this;
  }

  /** Folds `other` into this accumulator (other is unchanged). */
  merge(other: RunningStats): this {
    if (other.n === 0) return this;
    if (this.n === 0) {
      this.n = other.n;
      this.mu = other.mu;
      this.m2 = other.m2;
      return this;
    }
    const n = this.n + other.n;
    const delta = other.mu - this.mu;
    this.mu += (delta * other.n) / n;
    this.m2 += other.m2 + (delta * delta * this.n * other.n) / n;
    this.n = n;
    return this;
  }

  clone(): RunningStats {
    return RunningStats.fromJSON(this.toJSON());
  }

  get count(): number {
    return this.n;
  }

  /** Sample mean (NaN when empty). */
  get mean(): number {
    return this.n === 0 ? NaN : this.mu;
  }

  /** Unbiased sample variance (n − 1 denominator); NaN with fewer than 2 samples. */
  get variance(): number {
    return this.n < 2 ? NaN : this.m2 / (this.n - 1);
  }

  get stdDev(): number {
    return Math.sqrt(this.variance);
  }

  /** Standard error of the mean, √(s²/n); NaN with fewer than 2 samples. */
  get stdErr(): number {
    return Math.sqrt(this.variance / this.n);
  }

  toJSON(): RunningStatsJSON {
    return { count: this.n, mean: this.mu, m2: this.m2 };
  }
}

export interface CiOptions {
  /** clamp the interval to [0, 1] (for per-trial fractions such as downtime/horizon) */
  clamp01?: boolean;
  /** normal quantile, default Z95 */
  z?: number;
}

/**
 * Normal-approximation interval mean ± z·s/√n for the mean of per-trial values (e.g. per-trial
 * unavailability = downtime/horizon; trials are i.i.d. so the CLT applies to their mean).
 * With fewer than 2 samples the spread is unknown: returns (−∞, ∞), or [0, 1] when clamped.
 * Caveat: if no trial saw an outage, s = 0 and the interval collapses to [0, 0] — see
 * `tooFewEpisodes`.
 */
export function ci95Mean(data: readonly number[] | RunningStats, opts: CiOptions = {}): Interval {
  const s = data instanceof RunningStats ? data : RunningStats.of(data);
  const z = opts.z ?? Z95;
  let lo: number;
  let hi: number;
  if (s.count < 2) {
    lo = -Infinity;
    hi = Infinity;
  } else {
    const h = z * s.stdErr;
    lo = s.mean - h;
    hi = s.mean + h;
  }
  if (opts.clamp01) {
    lo = Math.min(1, Math.max(0, lo));
    hi = Math.min(1, Math.max(0, hi));
  }
  return [lo, hi];
}

/**
 * Wilson score interval for a binomial proportion (e.g. P(at least one outage in a year)).
 * Unlike the Wald interval it stays inside [0, 1] and keeps near-nominal coverage at 0 or n
 * successes, which is exactly where availability questions live. trials = 0 ⇒ [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, z: number = Z95): Interval {
  if (!Number.isInteger(trials) || trials < 0) throw new RangeError(`trials must be a non-negative integer, got ${trials}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`successes must be an integer in [0, trials], got ${successes}`);
  }
  if (trials === 0) return [0, 1];
  const n = trials;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // exact endpoints at the boundaries (avoid 1e-17 rounding noise)
  const lo = successes === 0 ? 0 : Math.max(0, centre - half);
  const hi = successes === n ? 1 : Math.min(1, centre + half);
  return [lo, hi];
}

/**
 * Exact (Garwood 1936) 95% interval for a Poisson rate, e.g. elections per year:
 *   lo = χ²(0.025; 2k)/2 / exposure,  hi = χ²(0.975; 2k+2)/2 / exposure,
 * with χ²_{2k}/2 ~ Gamma(k, 1), so the quantiles come from inverting the regularized incomplete
 * gamma function (special.ts). Conservative: coverage ≥ 95% for every true rate.
 * `exposure` is in the caller's unit (trial-years, say); the rate is events per that unit.
 */
export function poissonRateCi95(events: number, exposure: number): Interval {
  if (!Number.isInteger(events) || events < 0) throw new RangeError(`events must be a non-negative integer, got ${events}`);
  if (!(exposure > 0 && Number.isFinite(exposure))) throw new RangeError(`exposure must be positive and finite, got ${exposure}`);
  const alpha = 0.05;
  const lo = events === 0 ? 0 : gammaQuantile(events, alpha / 2);
  const hi = gammaQuantile(events + 1, 1 - alpha / 2);
  return [lo / exposure, hi / exposure];
}

/** "Number of nines": −log10(1 − A); Infinity for A = 1. Prefer `ninesFromUnavailability`. */
export function nines(availability: number): number {
  if (!(availability >= 0 && availability <= 1)) throw new RangeError(`availability must be in [0, 1], got ${availability}`);
  return ninesFromUnavailability(1 - availability);
}

/** −log10(U), computed from U directly so 1e-11 gives exactly 11 (1 − A would lose digits). */
export function ninesFromUnavailability(unavailability: number): number {
  if (!(unavailability >= 0 && unavailability <= 1)) throw new RangeError(`unavailability must be in [0, 1], got ${unavailability}`);
  return unavailability === 0 ? Infinity : 0 - Math.log10(unavailability); // 0 − x: no −0 for U = 1
}

/**
 * Half-width of `ci` relative to `estimate` — the quantity `--precision 0.1` bounds. An estimate
 * of 0 (nothing observed yet) has no relative precision at all: Infinity, so sampling continues.
 */
export function relativeHalfWidth(ci: Interval, estimate: number): number {
  const half = (ci[1] - ci[0]) / 2;
  if (estimate === 0 || !Number.isFinite(half)) return Infinity;
  return half / Math.abs(estimate);
}

/** Below this many independent outage episodes an unavailability interval is not trustworthy. */
export const MIN_EPISODES = 10;

/**
 * Rule of thumb: fewer than `MIN_EPISODES` outage episodes ⇒ flag the interval as untrustworthy.
 * Why: per-trial downtime is zero for most trials and large for a few, so the estimate is driven
 * by the handful of episodes seen. With k episodes the relative error is ~1/√k (Poisson), i.e.
 * ±60% at k = 10 and unbounded below; the sample variance is itself estimated from those few
 * episodes, so the normal interval under-covers; and with k = 0 it collapses to [0, 0], claiming
 * certainty exactly when we know least. (For 10% relative error you need ~100 episodes, the
 * "≈100/U samples" rule of availability.md §1d.)
 */
export function tooFewEpisodes(episodes: number, min: number = MIN_EPISODES): boolean {
  return episodes < min;
}
