/**
 * The `pauses` failure process (issue 13 §5): stop-the-world pauses per server, read from an
 * experiment file, sampled as `pause` faults with source `pauses`, checked like the other
 * processes, and counted by the auto pilot as holding their voter down.
 */
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/config/experiment.js';
import { formatFault } from '../../src/config/faults.js';
import { Rng } from '../../src/core/rng.js';
import { describeFailureModel, sampleFaults } from '../../src/faults/index.js';
import type { Experiment } from '../../src/model/experiment.js';
import { regenerationProblem, resolveMethod, singleEventQuorumLoss } from '../../src/montecarlo/method.js';
import { topology } from '../helpers/topologies.js';

const D = 24 * 3_600_000_000;

function read(failures: string): Experiment {
  const r = parseExperiment(`name: gc\nhorizon: 1y\nfailures:\n${failures}`, 'gc.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.experiment;
}

describe('the pauses process', () => {
  const gc = read('  pauses: { every: 30d, duration: { dist: lognormal, median: 2s, sigma: 1 } }\n');

  it('reads every and duration (a bare duration is the mean of an exponential)', () => {
    expect(gc.failures.pauses).toEqual({ every: { dist: 'exponential', mean: 30 * D }, duration: { dist: 'lognormal', median: 2_000_000, sigma: 1 } });
    expect(describeFailureModel(gc).processes.map((d) => [d.process, d.scope])).toEqual([['pauses', 'per server']]);
  });

  it('rejects a bad distribution with the field named', () => {
    const r = parseExperiment('name: gc\nfailures:\n  pauses: { every: 30d, duration: { dist: lognormal, median: 2s, sigma: -1 } }\n', 'gc.yaml');
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r.ok ? [] : r.errors)).toContain('failures.pauses.duration');
  });

  it('samples pause faults per server, about a year / 30 d of them each', () => {
    const t = topology('n5-3az');
    const faults = sampleFaults(gc, t, new Rng('pauses'), 365 * D);
    expect(faults.length).toBeGreaterThan(5 * 5);
    expect(faults.every((f) => f.kind === 'pause' && f.source === 'pauses' && f.durationUs !== null)).toBe(true);
    expect(new Set(faults.map((f) => formatFault(f).split('@')[0]))).toEqual(new Set([1, 2, 3, 4, 5].map((id) => `pause:${id}`)));
  });

  it('leaves the other processes draws unchanged (it is last in the table)', () => {
    const t = topology('n5-3az');
    const base = read('  hostFailures: { mttf: 60d, mttr: 4h }\n');
    const both: Experiment = { ...base, failures: { ...base.failures, pauses: gc.failures.pauses } };
    const crashes = (e: Experiment) => sampleFaults(e, t, new Rng('same'), 365 * D).filter((f) => f.kind === 'crash');
    expect(crashes(both)).toEqual(crashes(base));
  });

  it('auto: exponential pauses keep the regeneration points; a single pause in a 2-voter ensemble takes the quorum', () => {
    expect(regenerationProblem(gc.failures)).toBeNull();
    const weibull = read('  pauses: { every: { dist: weibull, scale: 30d, shape: 2 }, duration: 2s }\n');
    expect(regenerationProblem(weibull.failures)).toMatch(/^pauses has non-exponential up times/);
    expect(singleEventQuorumLoss(topology('n2-2az'), gc.failures)).toBe('server 1');
    expect(singleEventQuorumLoss(topology('n3-3az'), gc.failures)).toBeNull();
    expect(resolveMethod('auto', topology('n3-3az'), gc).method).toBe('naive'); // nothing biasable: pauses are sampled as they are
  });
});
