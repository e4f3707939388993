import { describe, expect, it } from 'vitest';
import { Rng, US_PER_YEAR } from '../../src/core/index.js';
import {
  Accumulator,
  cycleWeight,
  estimateRow,
  precisionOf,
  WeightedAccumulator,
  weightedPrecisionOf,
  weightedRowFields,
  weightedStatisticsProblem,
  type WeightedAccumulatorJSON,
  type WeightedCycle,
} from '../../src/montecarlo/index.js';
import { DOWNTIME_CAUSES, DOWNTIME_PROCESSES, zeroByProcess, type DowntimeProcess } from '../../src/observe/index.js';
import type { TrialSummary } from '../../src/scenario/index.js';
import { trialSummary } from './helpers.js';

/** A cycle [startUs, endUs) with zeros everywhere but what `over` sets. */
function cycle(startUs: number, endUs: number, logWeight: number, over: Partial<WeightedCycle> = {}): WeightedCycle {
  return {
    startUs,
    endUs,
    logWeight,
    writeDownUs: 0,
    quorumDownUs: 0,
    downByCauseUs: { quorumLost: 0, partitioned: 0, leaderIsolated: 0, electing: 0, syncing: 0 },
    downByProcessUs: zeroByProcess(),
    quorumDownByProcessUs: zeroByProcess(),
    outageEpisodes: 0,
    outageEpisodesByProcess: zeroByProcess(),
    longestWriteOutageUs: 0,
    quorumLossEpisodes: 0,
    quorumLossEpisodesByProcess: zeroByProcess(),
    quorumLossDurationsUs: [],
    elections: 0,
    electionDurationsUs: [],
    ...over,
  };
}

/**
 * A synthetic trial of 1–4 cycles: a start-up election in the first, then per cycle a failover
 * (electing, hostFailures) half the time and a quorum loss (some longer than the 30 s session
 * timeout) a fifth of the time. `logWeight` draws each cycle's weight.
 */
function synthetic(rng: Rng, logWeight: () => number): WeightedCycle[] {
  const cycles: WeightedCycle[] = [];
  let t = 0;
  const count = rng.int(1, 5);
  for (let i = 0; i < count; i++) {
    const end = t + rng.int(100_000_000, 1_000_000_000);
    const startup = i === 0 ? 2_000 : 0;
    const failover = rng.chance(0.5) ? rng.int(100, 50_000) : 0;
    const loss = rng.chance(0.2) ? rng.int(1_000, 60_000_000) : 0;
    const p = (s: number, h: number, z: number): Record<DowntimeProcess, number> => ({ ...zeroByProcess(), startup: s, hostFailures: h, zonePartitions: z });
    cycles.push(
      cycle(t, end, logWeight(), {
        writeDownUs: startup + failover + loss,
        quorumDownUs: loss,
        downByCauseUs: { quorumLost: loss, partitioned: 0, leaderIsolated: 0, electing: startup + failover, syncing: 0 },
        downByProcessUs: p(startup, failover, loss),
        quorumDownByProcessUs: p(0, 0, loss),
        outageEpisodes: (startup > 0 ? 1 : 0) + (failover > 0 ? 1 : 0) + (loss > 0 ? 1 : 0),
        outageEpisodesByProcess: p(startup > 0 ? 1 : 0, failover > 0 ? 1 : 0, loss > 0 ? 1 : 0),
        longestWriteOutageUs: Math.max(startup, failover, loss),
        quorumLossEpisodes: loss > 0 ? 1 : 0,
        quorumLossEpisodesByProcess: p(0, 0, loss > 0 ? 1 : 0),
        quorumLossDurationsUs: loss > 0 ? [loss] : [],
        elections: failover > 0 ? 1 : 0,
        electionDurationsUs: failover > 0 ? [failover] : [],
      }),
    );
    t = end;
  }
  return cycles;
}

/** The trial whose per-cycle split is `cycles`: every total is the sum over its cycles. */
function trialOf(index: number, cycles: readonly WeightedCycle[]): TrialSummary {
  const sum = (f: (c: WeightedCycle) => number): number => cycles.reduce((t, c) => t + f(c), 0);
  const byKey = <K extends string>(keys: readonly K[], f: (c: WeightedCycle) => Readonly<Record<K, number>>): Record<K, number> =>
    Object.fromEntries(keys.map((k) => [k, sum((c) => f(c)[k])])) as Record<K, number>;
  const lost = cycles.find((c) => c.quorumLossEpisodes > 0);
  return trialSummary({
    index,
    measuredUs: (cycles.at(-1)?.endUs ?? 0) - (cycles[0]?.startUs ?? 0),
    writeDownUs: sum((c) => c.writeDownUs),
    quorumDownUs: sum((c) => c.quorumDownUs),
    downByCauseUs: byKey(DOWNTIME_CAUSES, (c) => c.downByCauseUs),
    downByProcessUs: byKey(DOWNTIME_PROCESSES, (c) => c.downByProcessUs),
    quorumDownByProcessUs: byKey(DOWNTIME_PROCESSES, (c) => c.quorumDownByProcessUs),
    outageEpisodes: sum((c) => c.outageEpisodes),
    outageEpisodesByProcess: byKey(DOWNTIME_PROCESSES, (c) => c.outageEpisodesByProcess),
    longestWriteOutageUs: Math.max(...cycles.map((c) => c.longestWriteOutageUs)),
    quorumLossEpisodes: sum((c) => c.quorumLossEpisodes),
    quorumLossEpisodesByProcess: byKey(DOWNTIME_PROCESSES, (c) => c.quorumLossEpisodesByProcess),
    quorumLossDurationsUs: cycles.flatMap((c) => c.quorumLossDurationsUs),
    elections: sum((c) => c.elections),
    electionDurationsUs: cycles.flatMap((c) => c.electionDurationsUs),
    firstQuorumLossUs: lost === undefined ? null : lost.startUs,
  });
}

function trials(seed: string, count: number, logWeight: (rng: Rng) => number): WeightedCycle[][] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => synthetic(rng, () => logWeight(rng)));
}

function expectClose(actual: number, expected: number, relative = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected));
}

const HORIZON_US = 4_000_000_000;
const ctx = { topology: 't', voters: 3, observers: 0, horizonUs: HORIZON_US, analytic: null, stoppedBy: 'runs' as const };

describe('WeightedAccumulator: failure-biased cycles weighted by their likelihood ratios', () => {
  it('scales weights by 2^96: weight 1 is exact, 1e-20 keeps 9 significant digits', () => {
    expect(cycleWeight(0)).toBe(2n ** 96n);
    const w = Number(cycleWeight(Math.log(1e-20)));
    expectClose(w / 2 ** 96, 1e-20, 1e-9);
    expect(() => cycleWeight(NaN)).toThrow(RangeError);
  });

  it('add refuses a trial without cycles and cycles with impossible numbers, naming the cycle and field', () => {
    const w = new WeightedAccumulator();
    expect(() => w.add([])).toThrow(/at least one cycle/);
    expect(() => w.add([cycle(0, 10, NaN)])).toThrow(/logWeight must be a finite/);
    expect(() => w.add([cycle(0, 10, 0), cycle(10, 5, 0)])).toThrow(/cycle 1: endUs 5 is before startUs 10/);
    expect(() => w.add([cycle(0, 10, 0, { quorumDownUs: -1 })])).toThrow(/cycle 0: quorumDownUs: expected a non-negative integer/);
    expect(JSON.stringify(w.toJSON())).toBe(JSON.stringify(new WeightedAccumulator().toJSON()));
  });

  it('with every weight 1 gives the naive estimates of estimateRow on the same trials', () => {
    const all = trials('equal', 80, () => 0);
    const acc = new Accumulator();
    const w = new WeightedAccumulator();
    all.forEach((cycles, i) => {
      acc.add(trialOf(i, cycles));
      w.add(cycles);
    });
    const naive = estimateRow(acc, ctx);
    const weighted = weightedRowFields(w, HORIZON_US);
    expect(naive.quorumLossEpisodes).toBeGreaterThan(10);
    for (const k of ['writeUnavailability', 'quorumAvailability', 'downtimeMinutesPerYear', 'quorumDowntimeMinutesPerYear', 'outagesPerYear', 'quorumLossesPerYear', 'electionsPerYear'] as const) {
      expectClose(weighted[k], naive[k]);
    }
    for (const k of ['writeUnavailabilityCi95', 'writeAvailabilityCi95', 'quorumAvailabilityCi95', 'downtimeMinutesPerYearCi95'] as const) {
      expectClose(weighted[k][0], naive[k][0]);
      expectClose(weighted[k][1], naive[k][1]);
    }
    expectClose(weighted.relativeHalfWidth ?? NaN, naive.relativeHalfWidth ?? NaN);
    for (const c of DOWNTIME_CAUSES) expectClose(weighted.downtimeByCause[c], naive.downtimeByCause[c]);
    for (const p of DOWNTIME_PROCESSES) {
      expectClose(weighted.downtimeByProcess[p], naive.downtimeByProcess[p]);
      expectClose(weighted.quorumDowntimeByProcess[p], naive.quorumDowntimeByProcess[p]);
    }
    for (const k of ['quorumLossMsP50', 'quorumLossMsP99', 'quorumLossMsMax', 'electionMsP50', 'electionMsP99', 'electionMsMax'] as const) expect(weighted[k]).toBe(naive[k]);
    expect(weighted.rareEvent?.effectiveSampleSize).toBe(w.cycles);
    expectClose(weightedPrecisionOf(w), precisionOf(acc));
    expect(weightedPrecisionOf(new WeightedAccumulator())).toBe(Infinity);
  });

  it('merges in any order and round-trips through JSON to the same bytes', () => {
    const all = trials('merge', 60, (rng) => -8 * rng.next() + 2 * rng.next());
    const whole = new WeightedAccumulator();
    for (const t of all) whole.add(t);
    const parts = [new WeightedAccumulator(), new WeightedAccumulator(), new WeightedAccumulator()];
    all.forEach((t, i) => parts[i % 3]!.add(t));
    const merged = new WeightedAccumulator().merge(parts[2]!).merge(parts[0]!).merge(parts[1]!);
    const json = JSON.stringify(whole.toJSON());
    expect(JSON.stringify(merged.toJSON())).toBe(json);
    expect(JSON.stringify(WeightedAccumulator.fromJSON(JSON.parse(json) as WeightedAccumulatorJSON).toJSON())).toBe(json);
    expect(JSON.stringify(whole.clone().toJSON())).toBe(json);
    expect(weightedStatisticsProblem(whole)).toBeNull();
    expect(weightedStatisticsProblem(new WeightedAccumulator())).toBeNull();
  });

  describe('refuses damaged statistics', () => {
    const good = new WeightedAccumulator();
    for (const t of trials('damage', 30, (rng) => -3 * rng.next())) good.add(t);
    const edited = (edit: (j: any) => void): WeightedAccumulatorJSON => {
      const j = JSON.parse(JSON.stringify(good.toJSON()));
      edit(j);
      return j as WeightedAccumulatorJSON;
    };
    it('fromJSON names the damaged field', () => {
      expect(() => WeightedAccumulator.fromJSON(edited((j) => (j.moments.quorumDown.sum = '-5')))).toThrow(/invalid weighted statistics: moments\.quorumDown\.sum: expected a non-negative whole number/);
      expect(() => WeightedAccumulator.fromJSON(edited((j) => delete j.spread.quorumDown))).toThrow(/spread\.quorumDown/);
      expect(() => WeightedAccumulator.fromJSON(edited((j) => (j.trials = 1.5)))).toThrow(/trials: expected a non-negative integer/);
      expect(() => WeightedAccumulator.fromJSON(edited((j) => (j.quorumLossUs.buckets[0][1] = '1')))).toThrow(/quorumLossUs\.totalWeight/);
      expect(() => WeightedAccumulator.fromJSON(edited((j) => (j.format = 99)))).toThrow(/format 99, this zksim reads format 1/);
      expect(() => WeightedAccumulator.fromJSON(edited((j) => (j.weightScaleBits = 64)))).toThrow(/2\^64/);
    });
    it('weightedStatisticsProblem catches sums that no trials can give', () => {
      const problem = (edit: (j: any) => void): string | null => weightedStatisticsProblem(WeightedAccumulator.fromJSON(edited(edit)));
      const bump = (s: string): string => (BigInt(s) + 1n).toString();
      expect(problem((j) => (j.byCause.electing.sum = bump(j.byCause.electing.sum)))).toMatch(/write downtime by cause adds up to/);
      expect(problem((j) => (j.quorumByProcess.zonePartitions.sum = bump(j.quorumByProcess.zonePartitions.sum)))).toMatch(/quorum downtime by process/);
      expect(problem((j) => (j.trials = j.cycles + 1))).toMatch(/cycles for \d+ trials \(every trial has at least one\)/);
      expect(problem((j) => (j.spread.quorumDown.max = bump(j.moments.quorumDown.sum)))).toMatch(/quorumDown: its per-cycle spread/);
      expect(problem((j) => (j.measured.sumSq = bump(j.measured.sumSq)))).toMatch(/measured time: sumXm differs/);
      expect(problem((j) => (j.sumWeightSq = '1'))).toMatch(/\(Σ W\)² > cycles × Σ W²/);
      expect(problem((j) => (j.quorumLossUs.max = 0))).toMatch(/quorumLossUs: min \d+ > max 0/);
      expect(problem((j) => (j.electionUs.min = j.electionUs.max))).toMatch(/electionUs: min \d+ or max \d+ lies beyond the weighted buckets/);
    });
  });
});

describe('weightedRowFields: importance sampling with a known answer', () => {
  // Cycles of 10⁴ s lose quorum for 1000 s with probability p = 1e-6 under the natural measure
  // (U = 1e-7, ρ = p per cycle); under the biased measure with q = 0.2, each cycle weighted by its
  // likelihood ratio p/q or (1 − p)/(1 − q). Naive Monte Carlo would need ~10⁸ cycles to see 100.
  const C = 10_000_000_000;
  const D = 1_000_000_000;
  const p = 1e-6;
  const q = 0.2;
  const rng = new Rng('importance');
  const w = new WeightedAccumulator();
  for (let i = 0; i < 200; i++) {
    const cycles: WeightedCycle[] = [];
    for (let k = 0; k < 50; k++) {
      const hit = rng.chance(q);
      const over = { writeDownUs: D, quorumDownUs: D, quorumLossEpisodes: 1, quorumLossDurationsUs: [D], outageEpisodes: 1, longestWriteOutageUs: D };
      const total = { ...over, downByCauseUs: { ...cycle(0, 0, 0).downByCauseUs, quorumLost: D }, downByProcessUs: { ...zeroByProcess(), hostFailures: D }, quorumDownByProcessUs: { ...zeroByProcess(), hostFailures: D } };
      cycles.push(cycle(k * C, (k + 1) * C, Math.log(hit ? p / q : (1 - p) / (1 - q)), hit ? total : {}));
    }
    w.add(cycles);
  }
  const row = weightedRowFields(w, 50 * C);
  const trueU = (p * D) / C;
  const cyclesPerYear = US_PER_YEAR / C;
  const trueP = -Math.expm1(-p * cyclesPerYear);

  it('recovers the true unavailability and P(quorum lost in a year) within their 95% intervals', () => {
    expect(row.quorumAvailabilityCi95[0]).toBeLessThanOrEqual(1 - trueU);
    expect(row.quorumAvailabilityCi95[1]).toBeGreaterThanOrEqual(1 - trueU);
    expect(row.writeUnavailabilityCi95[0]).toBeLessThanOrEqual(trueU);
    expect(row.writeUnavailabilityCi95[1]).toBeGreaterThanOrEqual(trueU);
    expect(row.quorumLossProbabilityPerYearCi95[0]).toBeLessThanOrEqual(trueP);
    expect(row.quorumLossProbabilityPerYearCi95[1]).toBeGreaterThanOrEqual(trueP);
    const mttql = row.simulatedMeanYearsToQuorumLossCi95!;
    expect(mttql[0]).toBeLessThanOrEqual(1 / (p * cyclesPerYear));
    expect(mttql[1]).toBeGreaterThanOrEqual(1 / (p * cyclesPerYear));
    expect(row.quorumLossMsP50).toBe(D / 1000);
  });

  it('reports a small relative error, many effective hits and no degeneracy', () => {
    const r = row.rareEvent!;
    // per cycle the relative standard deviation is √(1/q − 1) = 2, so 10,000 cycles give ~2%
    expect(r.quorumRelativeError).toBeGreaterThan(0.01);
    expect(r.quorumRelativeError).toBeLessThan(0.04);
    expect(r.quorumLossProbabilityRelativeError).toBeLessThan(0.04);
    expect(r.quorumEffectiveHits).toBeGreaterThan(1000);
    expect(r.quorumLargestShare).toBeLessThan(0.01);
    expect(r.degenerate).toBe(false);
    expect(r.warnings).toEqual([]);
  });
});

describe('rareEvent diagnostics flag degenerate weights', () => {
  it('one cycle carrying the estimate is degenerate, in words', () => {
    const w = new WeightedAccumulator();
    const rng = new Rng('degenerate');
    // 40 trials whose quorum losses weigh e^-30, and one whose single loss weighs e^2
    for (let i = 0; i < 40; i++) w.add(synthetic(rng, () => -30));
    const loss = { quorumDownUs: 1_000_000, quorumLossEpisodes: 1, quorumLossDurationsUs: [1_000_000], quorumDownByProcessUs: { ...zeroByProcess(), hostFailures: 1_000_000 } };
    w.add([cycle(0, HORIZON_US, 2, loss)]);
    const r = weightedRowFields(w, HORIZON_US).rareEvent!;
    expect(r.quorumLargestShare).toBeGreaterThan(0.5);
    expect(r.degenerate).toBe(true);
    expect(r.warnings.join('\n')).toMatch(/the likelihood-ratio weights are degenerate: .*one cycle carries \d+% of the quorum downtime.*run more trials or --method naive/);
  });

  it('no quorum loss at all gives no interval rather than [0, 0]', () => {
    const w = new WeightedAccumulator();
    for (let i = 0; i < 20; i++) w.add([cycle(0, 1_000_000_000, -1, { writeDownUs: 2_000, downByCauseUs: { ...cycle(0, 0, 0).downByCauseUs, electing: 2_000 }, downByProcessUs: { ...zeroByProcess(), startup: 2_000 } })]);
    const row = weightedRowFields(w, 1_000_000_000);
    expect(row.quorumAvailability).toBe(1);
    expect(row.quorumAvailabilityCi95).toEqual([0, 1]);
    expect(row.quorumLossProbabilityPerYearCi95).toEqual([0, 1]);
    expect(row.simulatedMeanYearsToQuorumLoss).toBeNull();
    expect(row.rareEvent!.degenerate).toBe(true);
    expect(row.rareEvent!.warnings[0]).toMatch(/no cycle lost quorum/);
  });
});
