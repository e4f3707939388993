import { describe, expect, it } from 'vitest';
import { applyTopologySets, nameOverrides, withNodeModel } from '../../src/cli/study.js';
import { topologyToJson } from '../../src/config/topology-json.js';
import { modelProvenance, topologySettings } from '../../src/report/table.js';
import { crashRepair, DAY_US } from '../montecarlo/helpers.js';
import { topology } from '../helpers/topologies.js';

// The table and report.html say which settings options changed from the structured fields
// (Topology.overrides, Experiment.provenance) that cli/study.ts sets, never from the prose.
describe('provenance of overridden settings and replaced failure models', () => {
  it('marks the settings `--set` and `--vary` changed, from Topology.overrides', () => {
    const base = topology('n3-1az');
    const set = applyTopologySets(base, ['zookeeper.tickTime=1000', 'latency.crossZone.max=5ms', 'failures.hostFailures.mttr.median=4h'], 'n3-1az.yaml');
    const both = applyTopologySets(set, ['topology.zookeeper.initLimit=20'], 'n3-1az.yaml', '--vary');
    expect(set.overrides).toEqual([
      { flag: '--set', path: 'zookeeper.tickTime', value: '1000' },
      { flag: '--set', path: 'latency.crossZone.max', value: '5ms' },
    ]);
    expect(set.description).toContain('overridden by --set zookeeper.tickTime=1000 --set latency.crossZone.max=5ms');
    const [zk, latency] = topologySettings(topologyToJson(both));
    // both applications are marked (the prose reader saw only the last "overridden by")
    expect(zk).toContain('tickTime 1000 ms (overridden by --set)');
    expect(zk).toContain('initLimit 20 (overridden by --vary)');
    expect(zk).toContain('syncLimit 5,');
    expect(latency).toMatch(/crossZone uniform [\d.]+–5 ms \(overridden by --set\)/);
    expect(latency).not.toMatch(/sameZone [^;]*overridden/);
    expect(applyTopologySets(base, [], 'n3-1az.yaml')).toBe(base);
  });

  it('reads no prose: a description that merely says "overridden by" marks nothing', () => {
    const t = { ...topologyToJson(topology('n3-1az')), description: 'overridden by --set zookeeper.tickTime=1000' };
    expect(topologySettings(t).join('\n')).not.toContain('overridden');
    expect(modelProvenance([{ config: { experiment: { description: '--x replaced the failures of experiment y; overridden by --set a=1' } } }])).toEqual([]);
  });

  it('shows the description of an experiment that options changed, once per distinct description', () => {
    const base = { ...crashRepair(30, 1, 365), name: 'production' };
    const replaced = withNodeModel(base, 30 * DAY_US, 2 * 3_600_000_000);
    expect(replaced.provenance).toEqual({ failuresReplacedBy: '--node-mttf 30d --node-mttr 2h', failuresOf: 'production' });
    const overridden = nameOverrides(replaced, ['failures.hostFailures.mttr.mean=4h'], '--set');
    expect(overridden.provenance).toEqual({ failuresReplacedBy: '--node-mttf 30d --node-mttr 2h', failuresOf: 'production', overrides: ['--set failures.hostFailures.mttr.mean=4h'] });
    expect(modelProvenance([replaced, replaced, overridden, base].map((experiment) => ({ config: { experiment } })))).toEqual([
      '--node-mttf 30d --node-mttr 2h replaced the failures of experiment production',
      '--node-mttf 30d --node-mttr 2h replaced the failures of experiment production; overridden by --set failures.hostFailures.mttr.mean=4h',
    ]);
    expect(nameOverrides(base, [], '--set')).toBe(base);
  });
});
