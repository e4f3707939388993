import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { analyticInputs, describeFailureModel, FAILURE_PROCESS_TABLE, sampleFaults, type FailureProcess } from '../../src/faults/index.js';
import { FAILURE_PROCESSES, type Experiment } from '../../src/model/experiment.js';
import { FAILURE_SOURCES, type FailureSource } from '../../src/model/faults.js';
import { experiment, topology } from '../helpers/topologies.js';

const Y = 365 * 24 * 3_600_000_000;


/** Every shipped process on at once: production (restarts, hosts, disks, bursts, zones…) plus the other files' processes. */
function everyProcess(): Experiment {
  const base = experiment('production');
  const others = ['az-outage', 'rolling-maintenance', 'independent'].map((n) => experiment(n).failures);
  const f = { ...base.failures };
  for (const o of others) {
    for (const key of FAILURE_PROCESSES) {
      if (key === 'domainOutages') f.domainOutages = [...f.domainOutages, ...o.domainOutages];
      else if (f[key] === null && o[key] !== null) (f as Record<string, unknown>)[key] = o[key];
    }
  }
  return { ...base, failures: f };
}

/**
 * A process a later issue might add: it emits a no-op partition of nobody, says nothing about
 * the closed form, and carries a source the model does not know yet.
 */
const NOOP: FailureProcess = {
  field: 'noopOutages',
  sources: () => ['noopOutages' as FailureSource],
  sample(_f, { horizonUs, out }) {
    out.add({ kind: 'partition', groups: [[], []], atUs: Math.floor(horizonUs / 2), durationUs: 1, source: 'noopOutages' as FailureSource });
  },
  describe: () => [{ process: 'noopOutages' as FailureSource, scope: 'per cluster', parameters: { every: 'never' } }],
};

describe('failure processes: one table entry each', () => {
  it('has one entry per FailureModel field, in the sampling order', () => {
    expect(FAILURE_PROCESS_TABLE.map((p) => p.field)).toEqual([...FAILURE_PROCESSES]);
  });

  it('lists sources in FAILURE_SOURCES order, every model source once', () => {
    const f = everyProcess().failures;
    const sources = FAILURE_PROCESS_TABLE.flatMap((p) => p.sources(f));
    expect(sources).toEqual(FAILURE_SOURCES.filter((s) => sources.includes(s)));
    expect(new Set(sources).size).toBe(sources.length);
  });

  it('the closed form covers exactly the independent renewal processes', () => {
    const { covers, leavesOut } = analyticInputs(everyProcess().failures);
    expect(covers).toEqual(['processRestarts', 'hostFailures', 'diskLoss', 'rackOutages', 'zoneOutages']);
    expect(leavesOut).toEqual(['bursts', 'zonePartitions', 'rollingMaintenance']);
  });
});

describe('closed-form coverage is an allow-list', () => {
  const table = [...FAILURE_PROCESS_TABLE, NOOP];

  it('a registered process that does not say closedForm is reported as left out, never as covered', () => {
    const f = experiment('independent').failures;
    const before = analyticInputs(f);
    const after = analyticInputs(f, table);
    expect(after.covers).toEqual(before.covers);
    expect(after.leavesOut).toEqual([...before.leavesOut, 'noopOutages']);
    // the numbers the closed form uses do not move: it knows nothing of the new process
    expect({ ...after, leavesOut: [] }).toEqual({ ...before, leavesOut: [] });
  });

  it('closedForm: false is the same as leaving it out', () => {
    const f = experiment('independent').failures;
    expect(analyticInputs(f, [...FAILURE_PROCESS_TABLE, { ...NOOP, closedForm: false }]).leavesOut).toContain('noopOutages');
  });

  it('the one entry is enough to sample and describe the process, after every other process', () => {
    const exp = experiment('independent');
    const n5 = topology('n5-3az');
    const base = sampleFaults(exp, n5, new Rng('processes'), Y);
    const withNoop = sampleFaults(exp, n5, new Rng('processes'), Y, undefined, table);
    expect(withNoop.filter((x) => x.source !== ('noopOutages' as FailureSource))).toEqual(base);
    expect(withNoop.filter((x) => x.source === ('noopOutages' as FailureSource))).toHaveLength(1);
    const names = describeFailureModel(exp, table).processes.map((p) => p.process);
    expect(names).toEqual([...describeFailureModel(exp).processes.map((p) => p.process), 'noopOutages']);
  });
});
