/**
 * Issue 9: downtime from t = 0, attribution by failure process, the headline probabilities,
 * election time while a quorum is up, quorum-loss durations, episode counts for --precision.
 * Fixed seeds; every statistical tolerance is derived from the interval it tests.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/config/experiment.js';
import {
  Accumulator,
  availabilityDocument,
  enoughWriteEpisodes,
  fingerprintParts,
  makeCheckpoint,
  mergeDocuments,
  parseCheckpoint,
  runStudies,
  type AvailabilityDocument,
  type ResultRow,
} from '../../src/montecarlo/index.js';
import { DOWNTIME_CAUSES, DOWNTIME_PROCESSES, zeroByProcess } from '../../src/observe/index.js';
import { wilsonInterval } from '../../src/stats/index.js';
import { configs, crashRepair, DAY_US, options, trialSummary } from './helpers.js';

const YEAR_US = 365 * DAY_US;

async function study(experiment = crashRepair(30, 1, 30), names = ['n3-1az'], runs = 400, horizonUs = experiment.horizonUs): Promise<AvailabilityDocument> {
  const opts = options({ horizonUs, runs, chunkSize: 16 });
  const { studies } = await runStudies(configs(experiment, ...names), opts, 'test', { workers: 1 });
  return availabilityDocument(opts, studies, 'test');
}

const bigSum = (r: Readonly<Record<string, string>>): bigint => Object.values(r).reduce((a, b) => a + BigInt(b), 0n);
const numSum = (r: Readonly<Record<string, number>>): number => Object.values(r).reduce((a, b) => a + b, 0);

describe('downtime is counted from t = 0', () => {
  it('a trial with no write-available leader is 0% available, beside a closed form of ~0 (issue 9 item 1)', async () => {
    // --node-mttf 1ms --node-mttr 30d: every host fails before the first election can finish
    const experiment = crashRepair(1, 30, 365);
    const fast = { ...experiment, failures: { ...experiment.failures, hostFailures: { ...experiment.failures.hostFailures!, mttf: { dist: 'exponential' as const, mean: 1000 } } } };
    const doc = await study(fast, ['n3-3az'], 10, YEAR_US);
    const r = doc.results[0] as ResultRow;
    expect(r.writeAvailability).toBe(0);
    expect(r.downtimeMinutesPerYear).toBeCloseTo(525_600, 6);
    expect(r.analyticQuorumAvailability).not.toBeNull();
    expect(r.analyticQuorumAvailability as number).toBeLessThan(1e-9);
    expect(r.quorumAvailability).toBeLessThan(1e-9);
    // the few ms before the first host failure are start-up; the rest is the host failures'
    expect(r.downtimeByProcess.startup).toBeLessThan(1e-3);
    expect(r.downtimeByProcess.hostFailures).toBeCloseTo(525_600, 2);
    expect(r.quorumLossProbabilityPerYear).toBe(1);
    expect(r.longOutageProbabilityPerYear).toBe(1);
  });
});

describe('attribution by failure process', () => {
  it('under production.yaml, by process and by symptom each add up exactly (integer µs) to the total', async () => {
    const file = 'experiments/production.yaml';
    const parsed = parseExperiment(readFileSync(file, 'utf8'), file);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const doc = await study(parsed.experiment, ['n3-3az', 'n5-3az'], 32, YEAR_US);
    for (const r of doc.results) {
      const st = r.statistics;
      expect(bigSum(st.byProcess)).toBe(BigInt(st.writeDown.sum));
      expect(bigSum(st.byCause)).toBe(BigInt(st.writeDown.sum));
      expect(bigSum(st.quorumByProcess)).toBe(BigInt(st.quorumDown.sum));
      expect(numSum(st.outageEpisodesByProcess)).toBe(st.outageEpisodes);
      expect(numSum(st.quorumLossEpisodesByProcess)).toBe(st.quorumLossEpisodes);
      expect(numSum(r.downtimeByProcess)).toBeCloseTo(r.downtimeMinutesPerYear, 9);
      expect(numSum(r.quorumDowntimeByProcess)).toBeCloseTo(r.quorumDowntimeMinutesPerYear, 9);
      // every trial starts with one election (start-up); sampled faults are never "scripted"
      expect(r.outageEpisodesByProcess.startup).toBe(32);
      expect(BigInt(st.byProcess.startup)).toBeGreaterThan(0n);
      expect(st.byProcess.scripted).toBe('0');
      expect(r.failureOutageEpisodes).toBe(r.outageEpisodes - 32);
      expect(Object.keys(r.downtimeByProcess)).toEqual([...DOWNTIME_PROCESSES]);
      expect(Object.keys(r.downtimeByCause)).toEqual([...DOWNTIME_CAUSES]);
    }
    expect(doc.failureModel?.name).toBe('production');
    expect(doc.failureModel?.processes.map((p) => p.process)).toContain('hostFailures');
    for (const r of doc.results) expect(r.config.failureModel).toEqual(doc.failureModel);
  });
});

describe('headline probabilities, election time and quorum-loss durations (n3-1az, MTTF 30 d, MTTR 1 d, 400 × 30 d)', () => {
  const run = study();

  it('P(quorum lost in a trial) agrees with the closed-form MTTQL within its Wilson interval; rescaled to a year', async () => {
    const r = (await run).results[0] as ResultRow;
    const n = r.runs;
    const k = r.trialsWithQuorumLoss;
    const [lo, hi] = wilsonInterval(k, n);
    const horizonYears = 30 / 365;
    const toYear = (p: number): number => 1 - Math.pow(1 - p, 1 / horizonYears);
    expect(r.quorumLossProbabilityPerYear).toBeCloseTo(toYear(k / n), 12);
    expect(r.quorumLossProbabilityPerYearCi95[0]).toBeCloseTo(toYear(lo), 12);
    expect(r.quorumLossProbabilityPerYearCi95[1]).toBeCloseTo(toYear(hi), 12);
    // first passage from all-up is close to exponential with the closed-form mean
    const mttql = r.analyticMeanYearsToQuorumLoss as number;
    const expected = 1 - Math.exp(-horizonYears / mttql);
    expect(expected).toBeGreaterThanOrEqual(lo);
    expect(expected).toBeLessThanOrEqual(hi);
  });

  it('a quorum loss outlives the 30 s session timeout; a failover does not', async () => {
    const r = (await run).results[0] as ResultRow;
    expect(r.sessionTimeoutMs).toBe(30_000);
    // losses last hours (repairs take a day): each is a long outage; leader failovers take seconds and are not
    expect(r.trialsWithLongOutage).toBe(r.trialsWithQuorumLoss);
    expect(r.outageProbabilityPerYear).toBe(1); // any outage: every trial has its initial election
  });

  it('election time is measured while a quorum is up; time without one has its own distribution', async () => {
    const r = (await run).results[0] as ResultRow;
    // seconds, not days: the quorum losses no longer leak into election times
    expect(r.electionMsMax as number).toBeLessThan(30_000);
    expect(r.electionMsP50 as number).toBeGreaterThan(200); // at least finalizeWait
    // a loss ends at the first of (mostly) two repairs: Exp(mean 12 h), median 12 h·ln 2 = 8.3 h; the
    // sample median of k exponentials has sd ≈ mean/√k, so ±3 sd
    const k = r.quorumLossEpisodes;
    expect(k).toBeGreaterThanOrEqual(10);
    const meanMs = 12 * 3_600_000;
    expect(r.quorumLossMsP50 as number).toBeGreaterThan(meanMs * Math.LN2 - (3 * meanMs) / Math.sqrt(k));
    expect(r.quorumLossMsP50 as number).toBeLessThan(meanMs * Math.LN2 + (3 * meanMs) / Math.sqrt(k));
    expect(r.tooFewQuorumEpisodes).toBe(false);
    expect(r.quorumLossEpisodesByProcess.hostFailures).toBe(k);
    expect(r.statistics.quorumLossUs.count).toBe(k);
  });
});

describe('episode counts behind each estimate', () => {
  it('--precision and tooFewWriteEpisodes count write outages caused by failures, not initial elections', () => {
    const acc = new Accumulator();
    for (let i = 0; i < 20; i++) {
      acc.add(trialSummary({ index: i, writeDownUs: 500_000, downByCauseUs: { quorumLost: 0, partitioned: 0, leaderIsolated: 0, electing: 500_000, syncing: 0 },
        downByProcessUs: { ...zeroByProcess(), startup: 500_000 }, outageEpisodes: 1, outageEpisodesByProcess: { ...zeroByProcess(), startup: 1 }, longestWriteOutageUs: 500_000 }));
    }
    expect(acc.outageEpisodes).toBe(20);
    expect(enoughWriteEpisodes(acc)).toBe(false);
    const row = availabilityDocument(options({ horizonUs: DAY_US, runs: 20 }), [{ config: configs(crashRepair(5, 1, 1), 'n3-1az')[0]!, acc, stoppedBy: 'runs' }], 't').results[0]!;
    expect(row.tooFewWriteEpisodes).toBe(true);
    expect(row.tooFewQuorumEpisodes).toBe(true);
    expect(row.failureOutageEpisodes).toBe(0);
    expect(row.outagesPerYear).toBe(0);
  });

  it('statistics and documents of the earlier format are refused with a clear message', async () => {
    const doc = JSON.parse(JSON.stringify(await study(crashRepair(5, 1, 5), ['n3-1az'], 4))) as AvailabilityDocument;
    const { format: _f, ...old } = doc as AvailabilityDocument & { format?: number };
    expect(() => mergeDocuments([old as AvailabilityDocument])).toThrow(/input 1: an older format \(before issue 9\), this zksim merges format 2/);
    const stats = { ...doc.results[0]!.statistics } as Partial<typeof doc.results[0]['statistics']>;
    delete stats.format;
    expect(() => Accumulator.fromJSON(stats as never)).toThrow(/older format .* re-run with this version/);
    // a checkpoint saved by the earlier format is refused, not misread
    const parts = fingerprintParts(options({ horizonUs: 5 * DAY_US, runs: 4 }), configs(crashRepair(5, 1, 5), 'n3-1az'), 'test');
    const cp = makeCheckpoint(parts, [{ key: 'k', nextChunk: 1, finished: null, acc: stats as never }]);
    expect(() => parseCheckpoint(JSON.stringify(cp))).toThrow(/older format .*; delete the checkpoint to start over/);
  });
});
