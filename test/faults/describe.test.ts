import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/config/experiment.js';
import { formatConfigError } from '../../src/config/errors.js';
import { describeFailureModel, formatFailureModel, independentCrashRepair } from '../../src/faults/index.js';
import type { Experiment } from '../../src/model/experiment.js';

function experiment(name: string): Experiment {
  const result = parseExperiment(readFileSync(new URL(`../../experiments/${name}.yaml`, import.meta.url), 'utf8'), `${name}.yaml`);
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.experiment;
}

describe('describeFailureModel', () => {
  it('lists the processes that are on, per level for domain outages, with distributions in words', () => {
    const d = describeFailureModel(experiment('production'));
    expect(d.name).toBe('production');
    expect(d.processes.map((p) => p.process)).toEqual([
      'processRestarts',
      'hostFailures',
      'diskLoss',
      'rackOutages',
      'zoneOutages',
      'bursts',
      'zonePartitions',
    ]);
    const host = d.processes.find((p) => p.process === 'hostFailures');
    expect(host).toEqual({ process: 'hostFailures', scope: 'per host', parameters: { mttf: 'exponential, mean 30y', mttr: 'lognormal, median 8h, sigma 1.2' } });
    expect(d.processes.find((p) => p.process === 'zonePartitions')?.scope).toBe('per zone pair');
    expect(d.processes.find((p) => p.process === 'bursts')?.scope).toBe('per zone');
    // JSON-able: survives a round trip unchanged
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it('names the --node-mttf model and prints one line per process', () => {
    const e: Experiment = { ...experiment('independent'), name: 'node-mttf', failures: independentCrashRepair(30 * 86_400_000_000, 2 * 3_600_000_000) };
    expect(formatFailureModel(describeFailureModel(e))).toEqual(['hostFailures, per host: mttf exponential, mean 30d; mttr exponential, mean 2h']);
  });

  it('prints rolling maintenance parameters and a fixed duration as "fixed"', () => {
    const e = experiment('rolling-maintenance');
    const lines = formatFailureModel(describeFailureModel(e));
    expect(lines).toContain(
      'rollingMaintenance, per cluster: every 1w; order leader-last: observers, followers, the leader last; downtimePerServer 2m; gap 5m; gate each next restart waits until mntr shows every voter synced (at most 10m, else the round stops)',
    );
    const fixed: Experiment = { ...e, failures: { ...e.failures, rollingMaintenance: null, hostFailures: { mttf: { dist: 'constant', value: 4 * 3_600_000_000 }, mttr: { dist: 'uniform', min: 60_000_000, max: 120_000_000 } } } };
    expect(formatFailureModel(describeFailureModel(fixed))).toEqual(['hostFailures, per host: mttf fixed 4h; mttr uniform, min 1m, max 2m']);
  });

  it('says "no failures" when every process is off', () => {
    const e = experiment('independent');
    expect(formatFailureModel(describeFailureModel({ ...e, failures: { ...e.failures, hostFailures: null } }))).toEqual(['no failures']);
  });
});
