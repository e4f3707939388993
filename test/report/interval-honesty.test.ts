import { describe, expect, it } from 'vitest';
import { Accumulator, availabilityDocument } from '../../src/montecarlo/index.js';
import { availabilityTable } from '../../src/report/table.js';
import { zeroByProcess } from '../../src/observe/index.js';
import { formatEstimateInterval, formatPerYear } from '../../src/stats/format.js';
import { configs, crashRepair, DAY_US, options, trialSummary } from '../montecarlo/helpers.js';

/** A two-column document (n3-1az, n4-2az) from one trial with a quorum loss. */
function doc() {
  const acc = new Accumulator().add(trialSummary({
    index: 0, measuredUs: 10 * DAY_US, writeDownUs: 3_600_000_000, quorumDownUs: 3_000_000_000,
    downByCauseUs: { quorumLost: 3_000_000_000, partitioned: 0, leaderIsolated: 400_000_000, electing: 200_000_000, syncing: 0 },
    downByProcessUs: { ...zeroByProcess(), startup: 200_000_000, hostFailures: 3_400_000_000 },
    quorumDownByProcessUs: { ...zeroByProcess(), hostFailures: 3_000_000_000 },
    outageEpisodes: 3, outageEpisodesByProcess: { ...zeroByProcess(), startup: 1, hostFailures: 2 },
    quorumLossEpisodes: 1, quorumLossEpisodesByProcess: { ...zeroByProcess(), hostFailures: 1 }, quorumLossDurationsUs: [3_000_000_000],
    longestWriteOutageUs: 3_000_000_000,
    elections: 2, electionDurationsUs: [300_000, 900_000], firstQuorumLossUs: DAY_US, faults: 4, events: 100,
  }));
  const studies = configs(crashRepair(5, 1, 10), 'n3-1az', 'n4-2az').map((config) => ({ config, acc, stoppedBy: 'runs' as const }));
  return availabilityDocument(options({ horizonUs: 10 * DAY_US, runs: 1 }), studies, '9.9.9');
}

describe('an estimate and its interval never contradict each other (issue 16)', () => {
  it('downtime min/yr: ± only for a symmetric interval, else the interval itself', () => {
    expect(formatEstimateInterval(44.5, [35.7, 53.3], formatPerYear)).toBe('44.5 ± 8.8');
    // the review's case: a low end clamped at 0 made "23.2 ± 33.2" claim an upper end of 56.4
    expect(formatEstimateInterval(23.2, [0, 66.5], formatPerYear)).toBe('23.2 [0, 66.5]');
    const d = doc();
    const rows = d.results.map((r, i) => (i === 1 ? { ...r, downtimeMinutesPerYear: 23.2, downtimeMinutesPerYearCi95: [0, 66.5] as [number, number] } : r));
    const text = availabilityTable({ ...d, results: rows });
    const line = text.split('\n').find((l) => l.startsWith('downtime min/yr')) ?? '';
    expect(line).toContain('23.2 [0, 66.5]');
    expect(line).not.toContain('± 33.2');
  });
});
