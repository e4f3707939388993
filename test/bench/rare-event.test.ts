import { describe, expect, it } from 'vitest';
import {
  benchRareEvent,
  cpuSecondsToRelativeError,
  efficiencyGain,
  naiveVariancePerTrialBound,
  rareEventSummary,
  weightedSquaredEpisodes,
} from '../../src/bench/rare-event.js';
import { WeightedAccumulator, type WeightedCycle } from '../../src/montecarlo/index.js';
import { zeroByProcess } from '../../src/observe/index.js';

/** A cycle [startUs, endUs) with zeros everywhere, or one quorum loss of `lossUs` charged to hostFailures. */
function cycle(startUs: number, endUs: number, logWeight: number, lossUs = 0): WeightedCycle {
  const one = lossUs > 0 ? 1 : 0;
  return {
    startUs,
    endUs,
    logWeight,
    writeDownUs: lossUs,
    quorumDownUs: lossUs,
    downByCauseUs: { quorumLost: lossUs, partitioned: 0, leaderIsolated: 0, electing: 0, syncing: 0 },
    downByProcessUs: { ...zeroByProcess(), hostFailures: lossUs },
    quorumDownByProcessUs: { ...zeroByProcess(), hostFailures: lossUs },
    outageEpisodes: one,
    outageEpisodesByProcess: { ...zeroByProcess(), hostFailures: one },
    longestWriteOutageUs: lossUs,
    quorumLossEpisodes: one,
    quorumLossEpisodesByProcess: { ...zeroByProcess(), hostFailures: one },
    quorumLossDurationsUs: lossUs > 0 ? [lossUs] : [],
    elections: 0,
    electionDurationsUs: [],
  };
}

describe('rare-event benchmark arithmetic', () => {
  it('gain is (naive variance × naive CPU) / (biased variance × biased CPU)', () => {
    expect(efficiencyGain({ variance: 4e-12, cpuSeconds: 3 }, { variance: 1e-16, cpuSeconds: 6 })).toBeCloseTo(20_000, 6);
    // the product variance × CPU does not depend on the run length: twice the trials, half the variance
    expect(efficiencyGain({ variance: 2e-12, cpuSeconds: 6 }, { variance: 1e-16, cpuSeconds: 6 })).toBeCloseTo(20_000, 6);
    expect(efficiencyGain({ variance: 1, cpuSeconds: 1 }, { variance: 0, cpuSeconds: 1 })).toBeNaN();
  });

  it('CPU time to a relative error scales as (relative error / target)²', () => {
    expect(cpuSecondsToRelativeError(0.2, 3, 0.1)).toBeCloseTo(12, 12);
    expect(cpuSecondsToRelativeError(0.05, 8, 0.1)).toBeCloseTo(2, 12);
  });

  it('bounds one naive trial\'s variance by E[Σd²]/H − U², never below 0', () => {
    // one 1,000 µs loss per 1e6 µs horizon with probability 1e-3: E[Σd²] per µs = 1e-3·1e6/1e6 = 1e-3
    expect(naiveVariancePerTrialBound(1e-3, 1e-6, 1e6)).toBeCloseTo(1e-9 - 1e-12, 20);
    expect(naiveVariancePerTrialBound(0, 1e-6, 1e6)).toBe(0);
  });

  it('E[Σd²] per µs from weighted quorum-loss durations, at bucket lower bounds', () => {
    const w = new WeightedAccumulator();
    // natural cycle of 1,000 µs, then a cycle of weight ½ with a 64 µs loss (64 is a bucket's lower bound)
    w.add([cycle(0, 1000, 0), cycle(1000, 2000, Math.log(0.5), 64)]);
    expect(weightedSquaredEpisodes(w)).toBeCloseTo((0.5 * 64 * 64) / (1000 + 0.5 * 1000), 9);
    expect(weightedSquaredEpisodes(new WeightedAccumulator())).toBeNaN();
  });
});

describe('rare-event benchmark section', () => {
  it('returns the gain cases and the CPU times to 10% relative error, with their fields (a tiny budget)', () => {
    const r = benchRareEvent({ naiveIndependentTrials: 16, naiveProductionTrials: 16, maxBiasedTrials: 16 });
    expect(r.targetRelativeError).toBe(0.1);
    expect(r.gains.map((g) => g.topology)).toEqual(['n5-3az', 'n5-3az']);
    for (const g of r.gains) {
      expect(g.biased.trials).toBe(16);
      expect(g.naive.trials).toBe(16);
      expect(g.biased.cpuSeconds).toBeGreaterThan(0);
      expect(g.gainSource === 'measured' ? g.gainMeasured : g.gainEstimated).toBe(g.gain);
      expect(g.note).toMatch(/naive (saw|variance)/);
      for (const k of ['quorumUnavailability', 'quorumLossProbabilityPerYear', 'effectiveSampleSize', 'degenerate'] as const) expect(g.biased).toHaveProperty(k);
      expect(g).toHaveProperty('lossProbabilityGain');
    }
    expect(r.toTargetRelativeError.map((c) => [c.topology, c.voters])).toEqual([['n5-3az', 5], ['n7-3az', 7], ['n9-3az', 9]]);
    const lines = rareEventSummary(r).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^rare-event n5-3az, independent crash\/repair a = 0\.999: .* gain /);
    expect(lines[2]).toMatch(/n5-3az .*n7-3az .*n9-3az/);
  });
});
