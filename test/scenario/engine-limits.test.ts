import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveTopology } from '../../src/config/topology.js';
import { isSimulationLimitError, SimulationLimitError } from '../../src/core/index.js';
import { safetyProperty, type CrashRecord } from '../../src/scenario/explore.js';
import { runTrial } from '../../src/scenario/trial.js';

/** Built in code, so never validated: the engine's own guard is what is under test. */
const overflowing = resolveTopology({
  name: 'huge-tick',
  zk: { tickTimeUs: 2 ** 53 - 1 },
  servers: [
    { id: 1, zone: 'a' },
    { id: 2, zone: 'b' },
    { id: 3, zone: 'c' },
  ],
});

describe('a time past the clock ends the trial with a SimulationLimitError', () => {
  it('runTrial throws the typed error, naming the limit, not a bare RangeError', () => {
    let caught: unknown;
    try {
      runTrial({ topology: overflowing, seed: 1, durationUs: 60_000_000, faults: [] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SimulationLimitError);
    expect(isSimulationLimitError(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/simulated time left the clock's range .* about 285 years/);
  });

  it('check\'s property records the crash instead of failing (no "violation found", no shrinking)', () => {
    const record: CrashRecord = { crash: null };
    const property = safetyProperty({ topologies: [{ topology: overflowing, file: 'huge-tick.yaml' }], quorumRule: 'majority', unsafe: [] }, undefined, record);
    const details = fc.check(property, { seed: 1, numRuns: 5 });
    expect(details.failed).toBe(false);
    expect(record.crash?.run).toBeGreaterThanOrEqual(1);
    expect(isSimulationLimitError(record.crash?.error)).toBe(true);
  });
});
