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
});
