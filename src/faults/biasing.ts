/**
 * Failure biasing: the shapes a failure-biased fault schedule comes in (issue 12,
 * `--method failure-biasing`). The change of measure itself is faults/forcing.ts (balanced
 * failure biasing with approximate forcing), over the entities of faults/biasing-entities.ts;
 * faults/sample.ts sampleFaultsBiased is the entry point.
 *
 * Lineage: balanced failure biasing (P. Shahabuddin, "Importance sampling for the simulation of
 * highly reliable Markovian systems", Management Science 40(3), 1994); failure biasing with
 * general repair distributions (V. F. Nicola, M. K. Nakayama, P. Heidelberger, A. Goyal, "Fast
 * simulation of highly dependable systems with general failure and repair processes", IEEE Trans.
 * Computers 42(12), 1993); regenerative ratio estimation over weighted cycles (M. A. Crane,
 * D. L. Iglehart, "Simulating stable stochastic systems: III. Regenerative processes and
 * discrete-event simulations", Operations Research 23(1), 1975).
 *
 * Cycles start where the schedule is all up (no fault touching a voter active, no burst crash
 * pending): regeneration points. Each carries the likelihood ratio dP/dQ of its own excursion
 * only, so weights never compound over a trial, and the estimator is Σ W·D / Σ W·C with trials
 * as the i.i.d. unit.
 *
 * A first version scaled hazards (rate raised to odds × Σ 1/duration while degraded, excess
 * hazard capped per excursion; commit 0553d82). It was replaced: its weights carry
 * e^∫(r−λ)dt, whose second moment, uncapped, is infinite with exponential repairs at odds ≥ 1
 * and with lognormal repairs at any odds, and the cap that bounds it hands long excursions back
 * to naive sampling.
 */
import type { FaultSpec } from '../model/faults.js';

/** One regenerative cycle: [startUs, endUs) in integer µs; cycles tile [0, horizon) in order. */
export interface RegenerativeCycle {
  readonly startUs: number;
  readonly endUs: number;
  /** natural log of the likelihood ratio dP/dQ of the cycle's excursion; 0 where nothing was biased */
  readonly logWeight: number;
}

export interface BiasedSchedule {
  /** sorted by atUs, as sampleFaults returns them */
  readonly faults: FaultSpec[];
  readonly cycles: RegenerativeCycle[];
}
