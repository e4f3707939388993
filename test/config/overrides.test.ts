import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../src/config/errors.js';
import { parseExperiment, validateExperiment } from '../../src/config/experiment.js';
import { applySet } from '../../src/config/overrides.js';
import { parseTopology } from '../../src/config/topology.js';
import type { Experiment } from '../../src/model/experiment.js';
import type { Topology } from '../../src/model/topology.js';

const H = 3_600_000_000;

function load<T>(result: { ok: true; experiment?: T; topology?: T } | { ok: false; errors: Parameters<typeof formatConfigError>[0][] }): T {
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return (result.experiment ?? result.topology) as T;
}

const production = load<Experiment>(parseExperiment(readFileSync(new URL('../../experiments/production.yaml', import.meta.url), 'utf8'), 'production.yaml'));
const n5 = load<Topology>(parseTopology(readFileSync(new URL('../../topologies/n5-3az.yaml', import.meta.url), 'utf8'), 'n5-3az.yaml'));

function setOk<T extends object>(base: T, path: string, value: string): T {
  const result = applySet(base, path, value);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function setError(base: object, path: string, value: string): string {
  const result = applySet(base, path, value);
  if (result.ok) throw new Error(`expected an error for ${path}=${value}`);
  return result.error;
}

describe('applySet', () => {
  it('sets a distribution parameter from a duration, leaving the frozen base untouched and sharing the rest', () => {
    const before = production.failures.hostFailures!.mttr;
    const next = setOk(production, 'failures.hostFailures.mttr.median', '4h');
    expect(next.failures.hostFailures!.mttr).toEqual({ ...before, median: 4 * H });
    expect(production.failures.hostFailures!.mttr).toBe(before);
    expect(next.failures.zonePartitions).toBe(production.failures.zonePartitions);
    expect(Object.isFrozen(next.failures.hostFailures!.mttr)).toBe(true);
    expect(validateExperiment(next)).toEqual([]);
  });

  it('reads dimensionless parameters and counts as numbers, unit-suffixed fields by their YAML names', () => {
    expect(setOk(production, 'failures.hostFailures.mttr.sigma', '0.5').failures.hostFailures!.mttr).toMatchObject({ sigma: 0.5 });
    expect(setOk(production, 'runs', '2000').runs).toBe(2000);
    expect(setOk(production, 'horizon', '10y').horizonUs).toBe(10 * 365 * 24 * H);
    expect(setOk(production, 'failures.bursts.window', '60s').failures.bursts!.windowUs).toBe(60_000_000);
    expect(setOk(production, 'failures.bursts.zoneJoin', '0.25').failures.bursts!.zoneJoin).toBe(0.25);
    expect(setOk(production, 'failures.domainOutages[1].duration.median', '2h').failures.domainOutages[1]!.duration).toMatchObject({ median: 2 * H });
    expect(setOk(production, 'failures.domainOutages.0.every.mean', '2y').failures.domainOutages[0]!.every).toMatchObject({ mean: 2 * 365 * 24 * H });
    expect(setOk(production, 'description', 'tweaked: 3 zones').description).toBe('tweaked: 3 zones');
  });

  it('sets topology fields by their YAML names, milliseconds from a duration or a bare number', () => {
    expect(setOk(n5, 'zookeeper.tickTime', '3s').zk.tickTimeUs).toBe(3_000_000);
    expect(setOk(n5, 'zookeeper.tickTime', '2500').zk.tickTimeUs).toBe(2_500_000);
    expect(setOk(n5, 'zookeeper.syncLimit', '10').zk.syncLimit).toBe(10);
    expect(setOk(n5, 'latency.crossZone.max', '3ms').latency.crossZone).toEqual({ dist: 'uniform', min: 500, max: 3000 });
    // held in µs, written in ms as in topology files: a bare number is milliseconds
    expect(setOk(n5, 'latency.crossZone.max', '2.5').latency.crossZone).toEqual({ dist: 'uniform', min: 500, max: 2500 });
    expect(setOk(n5, 'storage.fsync.median', '10ms').storage.fsync).toEqual({ dist: 'lognormal', median: 10_000, sigma: 0.5 });
    expect(setOk(n5, 'servers[4].zone', 'az2').servers[4]!.zone).toBe('az2');
    expect(n5.zk.tickTimeUs).toBe(2_000_000);
  });

  it('names the closest valid key when the path does not exist', () => {
    expect(setError(production, 'failures.hostFailure.mttr.median', '4h')).toBe(
      'no failures.hostFailure (did you mean "failures.hostFailures"?); keys of failures: processRestarts, hostFailures, diskLoss, domainOutages, bursts, zonePartitions, rollingMaintenance, pauses',
    );
    expect(setError(production, 'failures.hostFailures.mttr.medain', '4h')).toContain('(did you mean "failures.hostFailures.mttr.median"?)');
    expect(setError(n5, 'zookeeper.tickTim', '3s')).toContain('(did you mean "zookeeper.tickTime"?)');
    expect(setError(production, 'horizn', '2y')).toContain('(did you mean "horizon"?)');
    expect(setError(production, 'failures.domainOutages[5].level', 'zone')).toContain('indices 0..1');
    expect(setError(production, 'failures.rollingMaintenance.every', '7d')).toContain('is null (switched off)');
  });

  it('refuses values of the wrong shape', () => {
    expect(setError(production, 'failures.hostFailures.mttr.median', '7200')).toContain('add a unit');
    expect(setError(production, 'failures.hostFailures.mttr.median', 'soon')).toContain('expected a duration');
    expect(setError(production, 'failures.bursts.zoneJoin', '2h')).toContain('expected a plain number');
    expect(setError(production, 'runs', 'many')).toContain('expected a number');
    expect(setError(production, 'failures.hostFailures', '4h')).toContain('set one of its keys: mttf, mttr');
    expect(setError(production, 'failures..x', '1')).toContain('bad path');
  });

  it('leaves range checks to validation', () => {
    const next = setOk(production, 'failures.bursts.rackJoin', '1.5');
    expect(validateExperiment(next)).toEqual([{ path: 'failures.bursts.rackJoin', message: 'must be a probability in [0, 1], found 1.5' }]);
  });

  it("refuses to change a distribution's kind, whose parameters would not fit", () => {
    expect(setError(production, 'failures.hostFailures.mttr.dist', 'fixed')).toContain("cannot change a distribution's kind (lognormal to fixed)");
    // setting the kind it already has is harmless
    expect(setOk(production, 'failures.hostFailures.mttr.dist', 'lognormal')).toEqual(production);
  });
});
