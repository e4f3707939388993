/**
 * Failure biasing: the change of measure behind `--method failure-biasing` (issue 12).
 * CONTRACT STUB — the implementation replaces the body of `sampleBiasedSchedule`.
 *
 * While the fault schedule is degraded (some fault touching a voter is active), the hazard of
 * every biasable, voter-touching failure process (exponential up time) is raised so that another
 * failure becomes about as likely as a repair, split evenly among the entities that can still
 * fail (balanced failure biasing, Shahabuddin 1994; continuous-time hazard scaling with general
 * repairs after Nicola, Nakayama, Heidelberger & Goyal 1993). The excess hazard of one excursion
 * is capped at `maxLogWeight`, so every cycle's likelihood ratio lies in (0, e^maxLogWeight].
 * Cycles start where the schedule is all up (regeneration points); each carries the likelihood
 * ratio of its own excursion only, so weights never compound over a trial.
 */
import type { FaultSpec } from '../model/faults.js';

export interface FailureBiasing {
  /** odds of "another failure" against "a repair" while degraded: total biased failure rate = odds × Σ 1/duration of the active faults */
  readonly odds: number;
  /** cap on the excess hazard ∫(biased − natural rate)dt of one excursion: log of the largest weight */
  readonly maxLogWeight: number;
}

export const DEFAULT_FAILURE_BIASING: FailureBiasing = { odds: 1, maxLogWeight: 2 };

/** One regenerative cycle: [startUs, endUs) in integer µs; cycles tile [0, horizon) in order. */
export interface RegenerativeCycle {
  readonly startUs: number;
  readonly endUs: number;
  /** natural log of the likelihood ratio dP/dQ of the cycle's excursion; ≤ maxLogWeight */
  readonly logWeight: number;
}

export interface BiasedSchedule {
  /** sorted by atUs, as sampleFaults returns them */
  readonly faults: FaultSpec[];
  readonly cycles: RegenerativeCycle[];
}
