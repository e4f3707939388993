/**
 * The row of a failure-biased study (method.ts): every estimate from the likelihood-ratio
 * weighted cycles (weighted-estimate.ts weightedRowFields), the trust flags and warnings from
 * their diagnostics. Counts of episodes stay the raw numbers simulated under the biased measure
 * (what the estimate rests on, not how often it happens: the rates per year say that).
 */
import { MIN_EPISODES } from '../stats/index.js';
import { rowWarnings, type AvailabilityRow } from './estimate.js';
import { effectiveHits, weightedRowFields } from './weighted-estimate.js';
import type { WeightedAccumulator } from './weighted.js';

/** `base`: estimateRow of the same study's unweighted sums (for counts, closed form and context). */
export function failureBiasedRow(base: AvailabilityRow, w: WeightedAccumulator, horizonUs: number): AvailabilityRow {
  const fields = weightedRowFields(w, horizonUs);
  const diag = fields.rareEvent;
  const lossHits = effectiveHits(w, 'quorumLossCycles').hits;
  const quorumFew = diag === null || w.cyclesWithQuorumLoss === 0 || diag.quorumEffectiveHits < MIN_EPISODES;
  const writeFew = effectiveHits(w, 'writeDown').hits < MIN_EPISODES;
  const degenerate = diag?.degenerate ?? true;
  const analyticMttql = base.analyticMeanYearsToQuorumLoss;
  const simulated = fields.simulatedMeanYearsToQuorumLoss;
  const row: Omit<AvailabilityRow, 'warnings'> = {
    ...base,
    ...fields,
    meanYearsToQuorumLoss: analyticMttql ?? simulated,
    meanYearsToQuorumLossSource: analyticMttql !== null ? 'analytic' : simulated !== null ? 'simulated' : null,
    tooFewWriteEpisodes: writeFew,
    tooFewEpisodes: writeFew,
    tooFewQuorumEpisodes: quorumFew,
    // Every write outage's weight is in the estimate, quorum losses included: no unseen-loss rule;
    // degenerate weights make the whole row untrustworthy instead.
    writeAvailabilityUntrusted: writeFew || degenerate,
    tooFewMttqlEvents: lossHits < MIN_EPISODES,
  };
  // rowWarnings' episode-count sentences are about naive trials; the diagnostics speak for these.
  const generic = rowWarnings({ ...row, tooFewWriteEpisodes: false, tooFewQuorumEpisodes: false });
  return { ...row, warnings: [...generic, ...(diag?.warnings ?? [])] };
}

/** Enough evidence for `--precision` to stop a failure-biased study: ≥ MIN_EPISODES effective cycles with write downtime. */
export function enoughWeightedWriteEvidence(w: WeightedAccumulator): boolean {
  return effectiveHits(w, 'writeDown').hits >= MIN_EPISODES;
}
