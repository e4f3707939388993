/**
 * The estimator's part of the availability table (issue 12): which method each column ran with,
 * the relative error of each headline estimate, the effective sample size, and the footnotes
 * that say why `auto` chose what it chose and what the counts of a failure-biased column are.
 */
import type { ResultRow } from '../montecarlo/index.js';
import { Z95 } from '../stats/index.js';

export type Measure = [string, (r: ResultRow) => string];

/** Standard error / estimate from a 95% interval of an unavailability (or probability); null when undefined. */
export function relativeErrorOf(ci: readonly number[], value: number): number | null {
  const lo = ci[0] ?? NaN;
  const hi = ci[1] ?? NaN;
  if (!(value > 0) || !Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  return (hi - lo) / 2 / Z95 / value;
}

/** "4.2%", or "–" when there is no estimate to be relative to. */
export function relativeErrorText(re: number | null): string {
  if (re === null || !Number.isFinite(re)) return '–';
  const p = re * 100;
  return `${p >= 10 ? p.toFixed(0) : p.toFixed(1)}%`;
}

export function biased(r: ResultRow): boolean {
  return r.method === 'failure-biasing';
}

/** A count of episodes: marked † in a failure-biased column (simulated under the biased measure). */
export function episodeCount(r: ResultRow, n: number): string {
  return biased(r) ? `${n}†` : String(n);
}

export const METHOD_MEASURES: readonly Measure[] = [
  ['estimated by', (r) => (biased(r) ? 'failure biasing' : 'naive Monte Carlo')],
  [
    '  effective sample size',
    (r) => (r.rareEvent ? `${Math.round(r.rareEvent.effectiveSampleSize)} of ${r.rareEvent.cycles} cycles` : `${r.runs} trials`),
  ],
];

/** Relative error of write unavailability (standard error / estimate). */
export const WRITE_RELATIVE_ERROR: Measure = ['  relative error', (r) => relativeErrorText(r.rareEvent ? r.rareEvent.writeRelativeError : relativeErrorOf(r.writeUnavailabilityCi95, r.writeUnavailability))];

/** Relative error of quorum unavailability, and for a failure-biased column the effective cycles it rests on. */
export const QUORUM_RELATIVE_ERROR: Measure = [
  '  relative error',
  (r) => {
    if (!r.rareEvent) return relativeErrorText(relativeErrorOf([1 - (r.quorumAvailabilityCi95[1] ?? NaN), 1 - (r.quorumAvailabilityCi95[0] ?? NaN)], 1 - r.quorumAvailability));
    return `${relativeErrorText(r.rareEvent.quorumRelativeError)} (${r.rareEvent.quorumEffectiveHits.toFixed(0)} effective cycles)`;
  },
];

/** Relative error of P(quorum lost in a year). */
export const LOSS_PROBABILITY_RELATIVE_ERROR: Measure = [
  '  relative error',
  (r) => relativeErrorText(r.rareEvent ? r.rareEvent.quorumLossProbabilityRelativeError : relativeErrorOf(r.quorumLossProbabilityPerYearCi95, r.quorumLossProbabilityPerYear)),
];

/** Footnotes: the † counts, and why each column ran with its method (grouped by reason). */
export function methodFootnotes(rows: readonly ResultRow[], name: (r: ResultRow) => string): string[] {
  const out: string[] = [];
  if (rows.some(biased)) {
    out.push(
      '† failure-biased columns: episodes as simulated under the biased measure (what the estimates rest on, not how often they happen: the rates per year say that); ' +
        'every estimate is weighted by likelihood ratios per regenerative cycle (effective sample size: Kish, over cycles)',
    );
  }
  const reasons = new Map<string, string[]>();
  for (const r of rows) {
    if (r.methodReason === null || r.methodReason === undefined) continue;
    const key = `${biased(r) ? 'failure biasing' : 'naive Monte Carlo'}\u0000${r.methodReason}`;
    reasons.set(key, [...(reasons.get(key) ?? []), name(r)]);
  }
  for (const [key, names] of reasons) {
    const [method, reason] = key.split('\u0000');
    out.push(`${method} for ${names.join(', ')}: ${reason}`);
  }
  return out;
}
