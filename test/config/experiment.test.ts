import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConfigError, type ConfigError } from '../../src/config/errors.js';
import { parseExperiment, validateExperiment } from '../../src/config/experiment.js';
import type { Experiment } from '../../src/model/experiment.js';

const experimentsDir = new URL('../../experiments/', import.meta.url);
const H = 3_600_000_000;
const D = 24 * H;
const Y = 365 * D;

function parseOk(text: string, file = 'exp.yaml'): Experiment {
  const result = parseExperiment(text, file);
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.experiment;
}

function parseErrors(text: string, file = 'exp.yaml'): ConfigError[] {
  const result = parseExperiment(text, file);
  if (result.ok) throw new Error('expected errors, the experiment parsed');
  return result.errors;
}

function where(errors: readonly ConfigError[]): [number | undefined, number | undefined, string][] {
  return errors.map((e) => [e.line, e.column, e.path]);
}

describe('shipped experiments', () => {
  const files = readdirSync(experimentsDir).filter((f) => f.endsWith('.yaml'));

  it('ships the four experiments of the issue', () => {
    expect(files).toEqual(expect.arrayContaining(['independent.yaml', 'production.yaml', 'az-outage.yaml', 'rolling-maintenance.yaml']));
  });

  it.each(files)('%s parses, is named after its file, and is deeply frozen', (file) => {
    const e = parseOk(readFileSync(new URL(file, experimentsDir), 'utf8'), `experiments/${file}`);
    expect(e.name).toBe(file.replace(/\.yaml$/, ''));
    expect(e.horizonUs).toBe(Y);
    expect(validateExperiment(e)).toEqual([]);
    expect(Object.isFrozen(e)).toBe(true);
    expect(Object.isFrozen(e.failures)).toBe(true);
    expect(Object.isFrozen(e.failures.domainOutages)).toBe(true);
  });

  it('independent.yaml is host crash/repair only, exponential both ways', () => {
    const e = parseOk(readFileSync(new URL('independent.yaml', experimentsDir), 'utf8'), 'independent.yaml');
    expect(e.failures).toEqual({
      processRestarts: null,
      hostFailures: { mttf: { dist: 'exponential', mean: 30 * D }, mttr: { dist: 'exponential', mean: 2 * H } },
      diskLoss: null,
      domainOutages: [],
      bursts: null,
      zonePartitions: null,
      rollingMaintenance: null,
      pauses: null,
    });
  });

  it('production.yaml turns on every process but rolling maintenance', () => {
    const e = parseOk(readFileSync(new URL('production.yaml', experimentsDir), 'utf8'), 'production.yaml');
    const f = e.failures;
    expect(f.processRestarts?.every).toEqual({ dist: 'exponential', mean: 130 * D });
    expect(f.hostFailures).not.toBeNull();
    expect(f.diskLoss).not.toBeNull();
    expect(f.domainOutages.map((o) => o.level)).toEqual(['rack', 'zone']);
    expect(f.bursts).toEqual({
      every: { dist: 'exponential', mean: 109 * D },
      windowUs: 120_000_000,
      zoneJoin: 0.5,
      rackJoin: 0.7,
      downtime: { dist: 'lognormal', median: 180_000_000, sigma: 1 },
    });
    expect(f.zonePartitions).not.toBeNull();
    expect(f.rollingMaintenance).toBeNull();
  });

  it('production.yaml comments every number', () => {
    const text = readFileSync(new URL('production.yaml', experimentsDir), 'utf8');
    const failures = text.slice(text.indexOf('\nfailures:'));
    for (const line of failures.split('\n')) {
      const code = line.split('#')[0] ?? '';
      if (/\d/.test(code)) expect(line, line).toMatch(/#/);
    }
  });
});

describe('parseExperiment', () => {
  it('fills defaults for an empty failure model', () => {
    const e = parseOk('description: nothing fails\n', 'dir/quiet.yaml');
    expect(e).toEqual({
      name: 'quiet',
      description: 'nothing fails',
      runs: 1000,
      horizonUs: Y,
      seed: 1,
      failures: {
        processRestarts: null,
        hostFailures: null,
        diskLoss: null,
        domainOutages: [],
        bursts: null,
        zonePartitions: null,
        rollingMaintenance: null,
        pauses: null,
      },
      workload: null,
    });
  });

  it('reads every process, distributions in microseconds in canonical parameter order', () => {
    const e = parseOk(`
runs: 50
horizon: 30d
seed: abc
failures:
  processRestarts: { every: { dist: exponential, mean: 120d }, downtime: { sigma: 1, dist: lognormal, median: 2m } }
  hostFailures:    { mttf: { dist: weibull, scale: 1y, shape: 0.7 }, mttr: { dist: fixed, value: 2h } }
  diskLoss:        { every: { dist: uniform, min: 1y, max: 2y }, rebuild: { dist: normal, mean: 4h, stddev: 1h } }
  domainOutages:
    - { level: zone, every: { dist: exponential, mean: 2y }, duration: { dist: lognormal, median: 1h, sigma: 0.8 } }
    - { level: region, every: { dist: exponential, mean: 10y }, duration: 3h }
  bursts: { every: { dist: exponential, mean: 100d }, zoneJoin: 0.4, downtime: 5m }
  zonePartitions: { every: { dist: exponential, mean: 1y }, duration: 30m }
  rollingMaintenance: { every: 30d, order: leader-last, downtimePerServer: 2m, gap: 5m }
workload: null
`);
    expect(e.runs).toBe(50);
    expect(e.horizonUs).toBe(30 * D);
    expect(e.seed).toBe('abc');
    const f = e.failures;
    expect(Object.keys(f.processRestarts!.downtime)).toEqual(['dist', 'median', 'sigma']);
    expect(f.processRestarts!.downtime).toEqual({ dist: 'lognormal', median: 120_000_000, sigma: 1 });
    expect(f.hostFailures).toEqual({ mttf: { dist: 'weibull', scale: Y, shape: 0.7 }, mttr: { dist: 'constant', value: 2 * H } });
    expect(f.diskLoss!.rebuild).toEqual({ dist: 'normal', mean: 4 * H, stddev: H });
    // a bare duration in a stochastic field is the mean of an exponential, as --node-mttf reads it
    expect(f.domainOutages[1]).toEqual({ level: 'region', every: { dist: 'exponential', mean: 10 * Y }, duration: { dist: 'exponential', mean: 3 * H } });
    expect(f.bursts!.downtime).toEqual({ dist: 'exponential', mean: 5 * 60_000_000 });
    // window defaults to Ford's 120 s, rackJoin to zoneJoin (no rack affinity)
    expect(f.bursts).toMatchObject({ windowUs: 120_000_000, zoneJoin: 0.4, rackJoin: 0.4 });
    expect(f.rollingMaintenance).toEqual({ everyUs: 30 * D, order: 'leader-last', downtimePerServerUs: 120_000_000, gapUs: 300_000_000 });
  });

  it('reports several positioned errors at once, with did-you-mean', () => {
    const errors = parseErrors(`runs: 0
horizon: 10
failures:
  hostFailurs: { mttf: 1d, mttr: 1h }
  processRestarts: { every: { dist: exponentail, mean: 1d }, downtime: { dist: lognormal, median: 2m } }
  domainOutages:
    - { level: zoen, every: 1y, duration: 1h }
    - { level: rack, every: { dist: exponential, mean: -1d }, duration: 1h }
    - { level: rack, every: 1y, duration: 0s }
  bursts: { every: 30d, zoneJoin: 1.5, rackJoin: 0.6, window: 120s, downtime: 1m }
  rollingMaintenance: { every: 30d, order: leader-first, downtimePerServer: 2m }
`);
    const text = errors.map(formatConfigError);
    expect(where(errors)).toEqual([
      [1, 7, 'runs'],
      [2, 10, 'horizon'],
      [4, 3, 'failures.hostFailurs'],
      [5, 37, 'failures.processRestarts.every.dist'],
      [5, 72, 'failures.processRestarts.downtime.sigma'],
      [7, 16, 'failures.domainOutages[0].level'],
      [8, 56, 'failures.domainOutages[1].every.mean'],
      [9, 43, 'failures.domainOutages[2].duration.mean'],
      [10, 35, 'failures.bursts.zoneJoin'],
      [11, 44, 'failures.rollingMaintenance.order'],
    ]);
    expect(text[0]).toBe('exp.yaml:1:7: runs: must be a positive integer, found 0');
    expect(text[1]).toContain('add a unit');
    expect(text[2]).toContain('unknown key "hostFailurs" (did you mean "hostFailures"?)');
    expect(text[3]).toContain('(did you mean "exponential"?)');
    expect(text[4]).toContain('expected "sigma", found none');
    expect(text[5]).toContain('(did you mean "zone"?)');
    expect(text[6]).toContain('expected a duration with a unit');
    expect(text[7]).toContain('must be a positive duration');
    expect(text[8]).toContain('must be a probability in [0, 1], found 1.5');
    expect(text[9]).toContain('expected one of leader-last, any');
  });

  it('reads a constant as { dist: fixed, value } (constant is a synonym) and a bare duration as an exponential mean', () => {
    const f = parseOk(`
failures:
  hostFailures: { mttf: 1y, mttr: { dist: fixed, value: 4h } }
  diskLoss: { every: { dist: constant, value: 64y }, rebuild: 4h }
`).failures;
    expect(f.hostFailures).toEqual({ mttf: { dist: 'exponential', mean: Y }, mttr: { dist: 'constant', value: 4 * H } });
    expect(f.diskLoss).toEqual({ every: { dist: 'constant', value: 64 * Y }, rebuild: { dist: 'exponential', mean: 4 * H } });
    const errors = parseErrors('failures:\n  hostFailures: { mttf: 1y, mttr: { dist: fixd, value: 4h } }\n');
    expect(errors.map(formatConfigError)[0]).toContain('(did you mean "fixed"?)');
  });

  it('rejects bare numbers as durations and a non-null workload', () => {
    const errors = parseErrors('horizon: 1y\nworkload: { rate: 10 }\nfailures:\n  zonePartitions: { every: 1y, duration: 1800 }\n');
    expect(where(errors)).toEqual([
      [2, 11, 'workload'],
      [4, 42, 'failures.zonePartitions.duration'],
    ]);
  });

  it('reports YAML syntax errors with a position', () => {
    const errors = parseErrors('failures: { hostFailures: [\n');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.line).toBeDefined();
  });

  it('reports missing keys at their mapping', () => {
    const errors = parseErrors('failures:\n  hostFailures:\n    mttf: 30d\n');
    expect(where(errors)).toEqual([[3, 5, 'failures.hostFailures.mttr']]);
    expect(errors[0]?.message).toBe('expected "mttr", found none');
  });

  it('bursts: zoneJoin is required, and rackJoin below zoneJoin is an error naming both', () => {
    expect(where(parseErrors('failures:\n  bursts: { every: 100d, downtime: 3m }\n'))).toEqual([[2, 11, 'failures.bursts.zoneJoin']]);
    const errors = parseErrors('failures:\n  bursts: { every: 100d, zoneJoin: 0.5, rackJoin: 0.3, downtime: 3m }\n');
    expect(errors.map(formatConfigError)).toEqual(['exp.yaml:2:51: failures.bursts.rackJoin: must be at least zoneJoin (0.5), found 0.3']);
  });
});
