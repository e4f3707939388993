import { describe, expect, it } from 'vitest';
import { Accumulator, availabilityDocument } from '../../src/montecarlo/index.js';
import { availabilityTable } from '../../src/report/table.js';
import { zeroByProcess } from '../../src/observe/index.js';
import { configs, crashRepair, DAY_US, oneQuorumLossTrial, options, trialSummary } from '../montecarlo/helpers.js';

describe('availability table', () => {
  it('is a pure function of the document: header, one column per topology, warnings', () => {
    const experiment = crashRepair(5, 1, 10);
    const acc = new Accumulator().add(oneQuorumLossTrial());
    const studies = configs(experiment, 'n3-1az', 'n4-2az').map((config) => ({ config, acc, stoppedBy: 'runs' as const }));
    const doc = availabilityDocument(options({ horizonUs: 10 * DAY_US, runs: 1 }), studies, '9.9.9');
    const text = availabilityTable(doc);
    expect(availabilityTable(doc)).toBe(text);
    expect(text).toMatch(/^zksim 9\.9\.9 · experiment test-independent · seed 1 · runs 1 · horizon 10 d per trial\nfailure model test-independent:\n  hostFailures, per host: mttf exponential, mean 5d; mttr exponential, mean 1d\n/);
    expect(text).toMatch(/\s+n3-1az\s+n4-2az\n/);
    for (const label of ['write availability', 'nines', 'downtime min/yr', 'quorum availability', 'closed form (quorum)', 'quorum lost',
      'downtime by process, min/yr', '  start-up (initial election)', '  host failures', 'quorum loss p50 / p99', 'elections/yr',
      'election p50 / p99 (quorum up)', 'mean time to quorum loss', 'P(quorum lost in a year)', 'P(write outage > 30 s in a year)']) expect(text).toContain(label);
    expect(text).not.toContain('P(outage in a year)');
    expect(text).toContain('warning: n3-1az: only 2 write outages caused by failures (fewer than 10) — the write availability interval cannot be trusted');
    expect(text).toContain('warning: n3-1az: only 1 quorum-loss episode (fewer than 10) — the quorum availability interval cannot be trusted');
    // minutes per year over a 10-day window: 200 s of start-up is 200/60 × 36.5 min/yr
    expect(text).toMatch(/ {2}start-up \(initial election\)\s+122\s+122\n/);
    expect(text).toMatch(/quorum loss p50 \/ p99\s+50(\.\d)? min \/ 50(\.\d)? min/);
    expect(text).toMatch(/\b(29|30)\d ms \/ (89|90)\d ms/);
  });

  it('a closed form outside the quorum interval is blamed on too few quorum losses when there were few', () => {
    const experiment = crashRepair(5, 1, 10);
    const trial = (index: number, lostQuorum: boolean) => trialSummary({
      index, measuredUs: 10 * DAY_US, firstQuorumLossUs: lostQuorum ? DAY_US : null, events: 1,
      quorumLossEpisodes: lostQuorum ? 1 : 0, quorumLossEpisodesByProcess: { ...zeroByProcess(), hostFailures: lostQuorum ? 1 : 0 },
    });
    // no downtime at all: the closed form (a = 5/6, far from 1) lies outside the degenerate interval
    const few = new Accumulator();
    for (let i = 0; i < 3; i++) few.add(trial(i, i === 0));
    const many = new Accumulator();
    for (let i = 0; i < 12; i++) many.add(trial(i, true));
    const text = (acc: Accumulator) =>
      availabilityTable(availabilityDocument(options({ horizonUs: 10 * DAY_US, runs: 12 }), configs(experiment, 'n3-1az').map((config) => ({ config, acc, stoppedBy: 'runs' as const })), 't'));
    expect(text(few)).toContain('outside the simulated quorum-availability interval (only 1 quorum-loss episode, too few to test it: run more trials)');
    expect(text(many)).toContain('outside the simulated quorum-availability interval (a trial starts all-up; bias ~ MTTR/horizon)');
  });

  it('rows with different failure models (a sweep) each state theirs; the document has no shared failureModel', () => {
    const acc = new Accumulator().add(trialSummary({ index: 0, measuredUs: DAY_US }));
    const studies = [crashRepair(5, 1, 1), crashRepair(5, 2, 1)].map((experiment, i) => ({
      config: { ...configs(experiment, 'n3-1az')[0]!, variant: { key: 'node-mttr', value: `${i + 1}d` } },
      acc,
      stoppedBy: 'runs' as const,
    }));
    const doc = availabilityDocument(options({ horizonUs: DAY_US, runs: 1 }), studies, 't');
    expect(doc.failureModel).toBeNull();
    const text = availabilityTable(doc);
    expect(text).toContain('failure model test-independent (n3-1az node-mttr=1d):\n  hostFailures, per host: mttf exponential, mean 5d; mttr exponential, mean 1d\n');
    expect(text).toContain('failure model test-independent (n3-1az node-mttr=2d):\n  hostFailures, per host: mttf exponential, mean 5d; mttr exponential, mean 2d\n');
  });

  it('warns when most write downtime is a handful of quorum losses, however many failovers there were', () => {
    const trials = Array.from({ length: 20 }, (_, i) => trialSummary({
      index: i, measuredUs: DAY_US,
      writeDownUs: i === 0 ? 3_600_000_000 : 1_000_000,
      quorumDownUs: i === 0 ? 3_500_000_000 : 0,
      downByCauseUs: { quorumLost: i === 0 ? 3_500_000_000 : 0, partitioned: 0, leaderIsolated: i === 0 ? 100_000_000 : 1_000_000, electing: 0, syncing: 0 },
      downByProcessUs: { ...zeroByProcess(), hostFailures: i === 0 ? 3_600_000_000 : 1_000_000 },
      quorumDownByProcessUs: { ...zeroByProcess(), hostFailures: i === 0 ? 3_500_000_000 : 0 },
      outageEpisodes: 1, outageEpisodesByProcess: { ...zeroByProcess(), hostFailures: 1 },
      quorumLossEpisodes: i === 0 ? 1 : 0, quorumLossEpisodesByProcess: { ...zeroByProcess(), hostFailures: i === 0 ? 1 : 0 },
      firstQuorumLossUs: i === 0 ? 1000 : null,
    }));
    const acc = new Accumulator();
    for (const t of trials) acc.add(t);
    const doc = availabilityDocument(options({ horizonUs: DAY_US, runs: 20 }), configs(crashRepair(5, 1, 1), 'n3-1az').map((config) => ({ config, acc, stoppedBy: 'runs' as const })), 't');
    const text = availabilityTable(doc);
    expect(doc.results[0]!.tooFewWriteEpisodes).toBe(false);
    expect(text).toContain('warning: n3-1az: 97% of the write downtime is that one quorum loss, so the write availability rests on it too');
  });
});
