/**
 * Issue 5, "Must hold": under independent crash/repair the simulated QUORUM availability of 3, 4
 * and 5 voters agrees with the closed form (availability.md §1a) within its own 95% interval, and
 * 4 voters come out less available than 3; write availability never exceeds quorum availability.
 *
 * Parameters: MTTF 5 h, MTTR 1 h (a = 5/6) makes unavailability large (0.03–0.13) so a few dozen
 * short trials resolve it; short absolute repair times keep the FLE retry traffic of quorum-less
 * stretches cheap. Bias: a trial starts all-up rather than stationary, which lowers the measured
 * down fraction by about τ/T = (1/(λ+μ))/horizon = (50 min)/(15 d) ≈ 0.2% — far inside the
 * interval. Fixed seed, so the test is deterministic; the tolerance is the interval, not a constant.
 */
import { describe, expect, it } from 'vitest';
import { availabilityDocument, runStudies, type ResultRow } from '../../src/montecarlo/index.js';
import { independentCrashRepair } from '../../src/faults/index.js';
import { configs, DAY_US, options } from './helpers.js';

const HOUR_US = 3_600_000_000;

describe('simulated quorum availability vs the closed form (independent crash/repair)', () => {
  it('n3, n4, n5 agree with A(n, a) within the 95% CI; 4 voters are less available than 3', async () => {
    const experiment = {
      name: 'closed-form',
      description: '',
      runs: 64,
      horizonUs: 15 * DAY_US,
      seed: 1,
      failures: independentCrashRepair(5 * HOUR_US, 1 * HOUR_US),
      workload: null,
    };
    const opts = options({ horizonUs: experiment.horizonUs, runs: 64, chunkSize: 16 });
    const { studies } = await runStudies(configs(experiment, 'n3-1az', 'n4-2az', 'n5-3az'), opts, 'test', { workers: 1 });
    const rows = availabilityDocument(opts, studies, 'test').results;
    const by = (name: string): ResultRow => rows.find((r) => r.topology === name)!;
    for (const r of rows) {
      const [lo, hi] = r.quorumAvailabilityCi95;
      const closed = r.analyticQuorumAvailability!;
      expect(closed, `${r.topology}: closed form ${closed} outside [${lo}, ${hi}]`).toBeGreaterThanOrEqual(lo);
      expect(closed, `${r.topology}: closed form ${closed} outside [${lo}, ${hi}]`).toBeLessThanOrEqual(hi);
      expect(r.writeAvailability).toBeLessThanOrEqual(r.quorumAvailability);
      expect(r.tooFewEpisodes).toBe(false);
      expect(r.meanYearsToQuorumLossSource).toBe('analytic');
    }
    // Exact closed forms for a = 5/6, as a cross-check of the oracle wiring.
    expect(by('n3-1az').analyticQuorumAvailability).toBeCloseTo(25 / 27, 12);
    expect(by('n4-2az').quorumAvailabilityCi95[1]).toBeLessThan(by('n3-1az').quorumAvailabilityCi95[0]);
    expect(by('n4-2az').writeAvailability).toBeLessThan(by('n3-1az').writeAvailability);
  });
});
