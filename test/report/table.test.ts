import { describe, expect, it } from 'vitest';
import { Accumulator, availabilityDocument } from '../../src/montecarlo/index.js';
import { availabilityTable } from '../../src/report/table.js';
import { configs, crashRepair, DAY_US, options } from '../montecarlo/helpers.js';

describe('availability table', () => {
  it('is a pure function of the document: header, one column per topology, warnings', () => {
    const experiment = crashRepair(5, 1, 10);
    const acc = new Accumulator().add({
      index: 0, seed: '1|trial:0', measuredUs: 10 * DAY_US, writeDownUs: 3_600_000_000, quorumDownUs: 3_000_000_000,
      downByCauseUs: { quorumLost: 3_000_000_000, partitioned: 0, leaderIsolated: 400_000_000, electing: 200_000_000, syncing: 0 },
      outageEpisodes: 2, elections: 2, electionDurationsUs: [300_000, 900_000], firstQuorumLossUs: DAY_US, faults: 4, events: 100,
    });
    const studies = configs(experiment, 'n3-1az', 'n4-2az').map((config) => ({ config, acc, stoppedBy: 'runs' as const }));
    const doc = availabilityDocument(options({ horizonUs: 10 * DAY_US, runs: 1 }), studies, '9.9.9');
    const text = availabilityTable(doc);
    expect(availabilityTable(doc)).toBe(text);
    expect(text).toMatch(/^zksim 9\.9\.9 · experiment test-independent · seed 1 · runs 1 · horizon 10d per trial/);
    expect(text).toMatch(/\s+n3-1az\s+n4-2az\n/);
    for (const label of ['write availability', 'nines', 'downtime min/yr', 'quorum availability', 'closed form (quorum)', 'quorum lost',
      'elections/yr', 'election p50 / p99', 'mean time to quorum loss', 'P(outage in a year)']) expect(text).toContain(label);
    expect(text).toContain('warning: n3-1az: fewer than 10 outage episodes seen (2) — interval not trustworthy');
    expect(text).toMatch(/\b(29|30)\dms \/ (89|90)\dms/);
  });

  it('a closed form outside the quorum interval is blamed on too few quorum losses when there were few', () => {
    const experiment = crashRepair(5, 1, 10);
    const trial = (index: number, lostQuorum: boolean) => ({
      index, seed: `1|trial:${index}`, measuredUs: 10 * DAY_US, writeDownUs: 0, quorumDownUs: 0,
      downByCauseUs: { quorumLost: 0, partitioned: 0, leaderIsolated: 0, electing: 0, syncing: 0 },
      outageEpisodes: 0, elections: 0, electionDurationsUs: [], firstQuorumLossUs: lostQuorum ? DAY_US : null, faults: 0, events: 1,
    });
    // no downtime at all: the closed form (a = 5/6, far from 1) lies outside the degenerate interval
    const few = new Accumulator();
    for (let i = 0; i < 3; i++) few.add(trial(i, i === 0));
    const many = new Accumulator();
    for (let i = 0; i < 12; i++) many.add(trial(i, true));
    const text = (acc: Accumulator) =>
      availabilityTable(availabilityDocument(options({ horizonUs: 10 * DAY_US, runs: 12 }), configs(experiment, 'n3-1az').map((config) => ({ config, acc, stoppedBy: 'runs' as const })), 't'));
    expect(text(few)).toContain('outside the simulated quorum-availability interval (only 1 trial lost quorum, too few to test it: run more trials)');
    expect(text(many)).toContain('outside the simulated quorum-availability interval (a trial starts all-up; bias ~ MTTR/horizon)');
  });
});
