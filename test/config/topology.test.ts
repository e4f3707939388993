import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LATENCY,
  DEFAULT_PROCESS,
  DEFAULT_STORAGE,
  DEFAULT_ZK_SETTINGS,
  formatConfigError,
  parseTopology,
  resolveTopology,
  validateTopology,
  zonesOf,
  type ConfigError,
} from '../../src/config/index.js';
import { LAB_FILE_REPLACE, LAB_FSYNC } from '../../src/config/schema.js';
import { topologyFromJson, topologyToJson } from '../../src/config/topology-json.js';
import type { Topology } from '../../src/model/topology.js';

const topologiesDir = new URL('../../topologies/', import.meta.url);

function parseOk(text: string, file = 'test.yaml'): Topology {
  const result = parseTopology(text, file);
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.topology;
}

function parseErrors(text: string, file = 'test.yaml'): ConfigError[] {
  const result = parseTopology(text, file);
  if (result.ok) throw new Error('expected errors, the topology parsed');
  return result.errors;
}

/** [line, column, path] per error, for compact exact assertions */
function where(errors: readonly ConfigError[]): [number | undefined, number | undefined, string][] {
  return errors.map((e) => [e.line, e.column, e.path]);
}

describe('shipped topologies', () => {
  const files = readdirSync(topologiesDir).filter((f) => f.endsWith('.yaml'));
  const expected: Record<string, { voters: number; zones: Record<string, number[]> }> = {
    'n1.yaml': { voters: 1, zones: { az1: [1] } },
    'n2-2az.yaml': { voters: 2, zones: { az1: [1], az2: [2] } },
    'n3-1az.yaml': { voters: 3, zones: { az1: [1, 2, 3] } },
    'n3-3az.yaml': { voters: 3, zones: { az1: [1], az2: [2], az3: [3] } },
    'n4-2az.yaml': { voters: 4, zones: { az1: [1, 2], az2: [3, 4] } },
    'n5-2az.yaml': { voters: 5, zones: { az1: [1, 2, 3], az2: [4, 5] } },
    'n5-3az.yaml': { voters: 5, zones: { az1: [1, 2], az2: [3, 4], az3: [5] } },
    'n6-3az.yaml': { voters: 6, zones: { az1: [1, 2], az2: [3, 4], az3: [5, 6] } },
    'n7-3az.yaml': { voters: 7, zones: { az1: [1, 2, 3], az2: [4, 5], az3: [6, 7] } },
    'n5-3az-dr.yaml': { voters: 5, zones: { az1: [1, 2], az2: [3, 4], az3: [5], dr1: [6, 7] } },
    'n5-3az-dr-async.yaml': { voters: 5, zones: { az1: [1, 2], az2: [3, 4], az3: [5] } },
    'n9-3x3-hier.yaml': { voters: 9, zones: { az1: [1, 2, 3], az2: [4, 5, 6], az3: [7, 8, 9] } },
  };
  // Not a production layout (one host, loopback): checked on its own below.
  const lab = 'lab-n3.yaml';

  it('ships exactly the expected files', () => {
    expect([...files].sort()).toEqual([...Object.keys(expected), lab].sort());
  });

  it('lab-n3.yaml: three voters on one host, with the disk measured in real-zk-n3', () => {
    const topology = parseOk(readFileSync(new URL(lab, topologiesDir), 'utf8'), `topologies/${lab}`);
    expect(topology.servers.map((s) => [s.id, s.role, s.host])).toEqual([[1, 'voter', 'lab'], [2, 'voter', 'lab'], [3, 'voter', 'lab']]);
    expect(topology.zk).toEqual(DEFAULT_ZK_SETTINGS);
    expect(topology.storage).toMatchObject({ fsync: LAB_FSYNC, fileReplace: LAB_FILE_REPLACE });
  });

  it.each(Object.entries(expected))('%s parses with the expected voters and zones', (file, want) => {
    const topology = parseOk(readFileSync(new URL(file, topologiesDir), 'utf8'), `topologies/${file}`);
    expect(topology.name).toBe(file.replace(/\.yaml$/, ''));
    expect(topology.servers.filter((s) => s.role === 'voter')).toHaveLength(want.voters);
    const zones: Record<string, number[]> = {};
    for (const s of topology.servers) (zones[s.zone] ??= []).push(s.id);
    expect(zones).toEqual(want.zones);
    // Voters in region1; each server on a rack of its own inside its zone.
    expect(topology.servers.filter((s) => s.role === 'voter').every((s) => s.region === 'region1')).toBe(true);
    expect(new Set(topology.servers.map((s) => s.rack)).size).toBe(topology.servers.length);
    expect(topology.servers.every((s) => s.rack.startsWith(`${s.zone}-r`))).toBe(true);
    expect(topology.zk).toEqual(DEFAULT_ZK_SETTINGS);
    expect(topology.latency).toEqual(DEFAULT_LATENCY);
    expect(topology.quorum).toBe(file === 'n9-3x3-hier.yaml' ? 'hierarchical' : 'majority');
  });
});

describe('parseTopology: defaults and mapping', () => {
  it('fills every default from a minimal file and names it after the file', () => {
    const topology = parseOk('servers:\n  - { id: 7, zone: east }\n', 'some/dir/tiny.yml');
    expect(topology).toEqual({
      name: 'tiny',
      description: '',
      quorum: 'majority',
      zk: DEFAULT_ZK_SETTINGS,
      latency: DEFAULT_LATENCY,
      storage: DEFAULT_STORAGE,
      process: DEFAULT_PROCESS,
      servers: [{ id: 7, zone: 'east', region: 'region1', rack: 'east-server-7', host: 'server-7', role: 'voter', weight: 1, group: 0 }],
    });
  });

  it('reads the storage section, and rejects non-positive sizes with their position', () => {
    const topology = parseOk('storage:\n  fsync: { dist: constant, value: 3ms }\n  snapshotMB: 512\nservers:\n  - { id: 1, zone: az1 }\n');
    expect(topology.storage).toEqual({ ...DEFAULT_STORAGE, fsync: { dist: 'constant', value: 3000 }, snapshotMB: 512 });
    const bad = parseTopology('storage:\n  txnBytes: 0\n  bandwidth: 10\nservers:\n  - { id: 1, zone: az1 }\n', 'x.yaml');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.map((e) => [e.path, e.line])).toEqual([
        ['storage.txnBytes', 2],
        ['storage.bandwidth', 3],
      ]);
      expect(bad.errors[1]?.message).toContain("expected one of fsync, fileReplace, snapshotMB, txnBytes, bandwidthMbps");
    }
  });

  it('returns a deeply frozen topology', () => {
    const topology = parseOk('servers:\n  - { id: 1, zone: az1 }\n');
    expect(Object.isFrozen(topology)).toBe(true);
    expect(Object.isFrozen(topology.servers[0])).toBe(true);
    expect(Object.isFrozen(topology.latency.sameZone)).toBe(true);
    expect(() => {
      (topology.servers as unknown as { id: number }[])[0]!.id = 9;
    }).toThrow();
  });

  it('reads latency specs into microseconds, from durations or plain numbers of milliseconds', () => {
    const topology = parseOk(`
latency:
  sameHost: { dist: constant, value: 50us }
  sameZone: { dist: exponential, mean: 0.2 }
  crossZone: { dist: weibull, scale: 1ms, shape: 1.5 }
  crossRegion: { dist: normal, mean: 2s, stddev: 250us }
servers: [{ id: 1, zone: a }]
`);
    expect(topology.latency).toEqual({
      sameHost: { dist: 'constant', value: 50 },
      sameZone: { dist: 'exponential', mean: 200 },
      crossZone: { dist: 'weibull', scale: 1000, shape: 1.5 },
      crossRegion: { dist: 'normal', mean: 2_000_000, stddev: 250 },
    });
  });

  it('accepts `fixed` as another name for `constant` (the experiment files\' spelling)', () => {
    const fixed = parseOk('latency:\n  sameZone: { dist: fixed, value: 0.3ms }\nstorage:\n  fsync: { dist: fixed, value: 2 }\nservers: [{ id: 1, zone: a }]\n');
    expect(fixed.latency.sameZone).toEqual({ dist: 'constant', value: 300 });
    expect(fixed.storage.fsync).toEqual({ dist: 'constant', value: 2000 });
    const bad = parseTopology('latency:\n  sameZone: { dist: fixd, value: 1 }\nservers: [{ id: 1, zone: a }]\n', 'x.yaml');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]?.message).toMatch(/constant, fixed, uniform/);
  });

  it('writes the JSON contract in ms (`valueMs`, `minMs`, …) and reads it back unchanged', () => {
    const topology = parseOk(`
latency:
  sameHost: { dist: constant, value: 50us }
  sameZone: { dist: uniform, min: 0.1, max: 0.5 }
  crossZone: { dist: weibull, scale: 1ms, shape: 1.5 }
  crossRegion: { dist: normal, mean: 2s, stddev: 250us }
servers: [{ id: 1, zone: a }]
`);
    const json = topologyToJson(topology);
    expect(json.latency).toEqual({
      sameHost: { dist: 'constant', valueMs: 0.05 },
      sameZone: { dist: 'uniform', minMs: 0.1, maxMs: 0.5 },
      crossZone: { dist: 'weibull', scaleMs: 1, shape: 1.5 },
      crossRegion: { dist: 'normal', meanMs: 2000, stddevMs: 0.25 },
    });
    expect(json.storage.fsync).toEqual({ dist: 'lognormal', medianMs: 1, sigma: 0.5 });
    expect(Object.entries(json.zk)).toEqual([
      ['tickTimeMs', 2000],
      ['initLimit', 10],
      ['syncLimit', 5],
      ['cnxTimeoutMs', 5000],
      ['finalizeWaitMs', 200],
      ['maxNotificationIntervalMs', 60_000],
      ['observerElectionDelayMs', 200],
      ['connectToLearnerMasterLimit', 0],
      ['initialZxid', 0],
      ['minSessionTimeoutMs', 0],
      ['maxSessionTimeoutMs', 0],
    ]);
    expect(Object.keys(json)).toEqual(Object.keys(topology));
    expect(topologyFromJson(JSON.parse(JSON.stringify(json)))).toEqual(topology);
  });

  it('keeps unspecified link classes and zk settings at their defaults', () => {
    const topology = parseOk(`
zookeeper: { tickTime: 3000, syncLimit: 2, cnxTimeout: 1s }
latency: { crossZone: { dist: lognormal, median: 1ms, sigma: 0.3 } }
servers: [{ id: 1, zone: a }]
`);
    expect(topology.zk).toEqual({ ...DEFAULT_ZK_SETTINGS, tickTimeUs: 3_000_000, syncLimit: 2, cnxTimeoutUs: 1_000_000 });
    expect(topology.latency).toEqual({ ...DEFAULT_LATENCY, crossZone: { dist: 'lognormal', median: 1000, sigma: 0.3 } });
  });

  it('accepts an even-sized ensemble and observers', () => {
    const topology = parseOk(`
servers:
  - { id: 1, zone: az1 }
  - { id: 2, zone: az2 }
  - { id: 3, zone: az3, role: observer, host: obs, rack: r9, region: region1 }
`);
    expect(topology.servers.map((s) => s.role)).toEqual(['voter', 'voter', 'observer']);
    expect(topology.servers[2]).toMatchObject({ host: 'obs', rack: 'r9' });
    expect(zonesOf(topology)).toEqual(['az1', 'az2', 'az3']);
  });
});

describe('parseTopology: errors', () => {
  it('reports every problem at once, each at its line and column, in file order', () => {
    const text = [
      'name: bad', //                                             1
      'zookeeper:', //                                            2
      '  tickTme: 2000', //                                       3
      '  initLimit: 0', //                                        4
      'latency:', //                                              5
      '  sameZone: { dist: uniform, min: 2ms, max: 1ms }', //     6
      'servers:', //                                              7
      '  - { id: 1, zone: az1 }', //                              8
      '  - { id: 1, zone: az2, role: follower }', //              9
      '  - { id: x, zone: az3 }', //                              10
      '  - zone: az3', //                                         11
      '    group: 2', //                                          12
    ].join('\n');
    const errors = parseErrors(text, 'bad.yaml');
    expect(where(errors)).toEqual([
      [3, 3, 'zookeeper.tickTme'],
      [4, 14, 'zookeeper.initLimit'],
      [6, 45, 'latency.sameZone.max'],
      [9, 11, 'servers[1].id'],
      [9, 31, 'servers[1].role'],
      [10, 11, 'servers[2].id'],
      [11, 5, 'servers[3].id'],
      [12, 12, 'servers[3].group'],
    ]);
    expect(errors.map(formatConfigError)).toEqual([
      'bad.yaml:3:3: zookeeper.tickTme: unknown key "tickTme" (did you mean "tickTime"?); expected one of tickTime, initLimit, syncLimit, cnxTimeout, finalizeWait, maxNotificationInterval, observerElectionDelay, connectToLearnerMasterLimit, initialZxid, minSessionTimeout, maxSessionTimeout, reconfigEnabled, standaloneEnabled, or another ZooKeeper 3.8 zoo.cfg key (the README lists them)',
      'bad.yaml:4:14: zookeeper.initLimit: expected a positive integer, found 0',
      'bad.yaml:6:45: latency.sameZone.max: expected max ≥ min (2 ms), found 1 ms',
      'bad.yaml:9:11: servers[1].id: duplicate id 1 (already used by servers[0])',
      'bad.yaml:9:31: servers[1].role: expected one of voter, observer, found "follower"',
      'bad.yaml:10:11: servers[2].id: expected an integer, found "x"',
      'bad.yaml:11:5: servers[3].id: expected "id", found none',
      'bad.yaml:12:12: servers[3].group: group needs "quorum: hierarchical", found quorum: majority',
    ]);
  });

  it('suggests the closest key for a typo at the top level and in a server', () => {
    const errors = parseErrors('sevrers:\n  - { id: 1, zone: az1 }\n');
    expect(errors[0]).toMatchObject({ path: 'sevrers', line: 1, column: 1 });
    expect(errors[0]?.message).toContain('did you mean "servers"?');
    expect(errors[1]).toMatchObject({ path: 'servers', message: 'expected a "servers" list, found none' });
    const server = parseErrors('servers:\n  - { id: 1, zoen: az1 }\n');
    expect(server.map((e) => [e.column, e.message])).toEqual([
      [5, 'expected "zone", found none'],
      [14, 'unknown key "zoen" (did you mean "zone"?); expected one of id, zone, region, rack, host, role, weight, group, storage, member'],
    ]);
  });

  it('does not suggest anything for a key that is nothing like the known ones', () => {
    const [error] = parseErrors('servers: [{ id: 1, zone: a }]\ncolour: blue\n');
    expect(error).toMatchObject({ line: 2, column: 1, path: 'colour' });
    expect(error?.message).not.toContain('did you mean');
  });

  it('reports YAML syntax errors with their position', () => {
    const errors = parseErrors('servers:\n  - { id: 1, zone: az1\nname: x\n', 'broken.yaml');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ file: 'broken.yaml', line: 3, column: 1 });
    const duplicateKey = parseErrors('name: a\nname: b\nservers: [{ id: 1, zone: a }]\n');
    expect(duplicateKey.map((e) => [e.line, e.column, e.message])).toEqual([[2, 1, 'the key "name" appears twice in this mapping: expected each key once']]);
  });

  it('rejects an empty document and a non-mapping root', () => {
    expect(parseErrors('').map((e) => e.message)).toEqual(['expected a mapping, found nothing']);
    expect(parseErrors('- 1\n- 2\n').map((e) => e.message)).toEqual(['expected a mapping, found a list']);
  });

  it('reports a key with no value at the key', () => {
    const errors = parseErrors('servers:\n  - id: 1\n    zone:\n');
    expect(errors.map((e) => [e.line, e.column, e.path, e.message])).toEqual([
      [3, 5, 'servers[0].zone', 'expected a string, found nothing'],
    ]);
  });

  it('requires at least one voter', () => {
    const errors = parseErrors('servers:\n  - { id: 1, zone: a, role: observer }\n');
    expect(errors.map((e) => [e.line, e.column, e.path, e.message])).toEqual([
      [2, 3, 'servers', 'expected at least one voter, found only observers'],
    ]);
    expect(parseErrors('servers: []\n').map((e) => e.message)).toEqual(['expected at least one voter, found no servers']);
  });

  it('rejects non-positive ids and bad latency parameters', () => {
    const errors = parseErrors(`
latency:
  sameZone: { dist: lognormal, median: 0ms, sigma: -1 }
  crossZone: { dist: uniform, min: 1ms }
  crossRegion: { dist: gaussian, mean: 1ms }
servers: [{ id: 0, zone: a }]
`);
    expect(errors.map((e) => [e.line, e.column, e.path])).toEqual([
      [3, 40, 'latency.sameZone.median'],
      [3, 52, 'latency.sameZone.sigma'],
      [4, 14, 'latency.crossZone.max'],
      [5, 24, 'latency.crossRegion.dist'],
      [6, 17, 'servers[0].id'],
    ]);
    expect(errors[3]?.message).toBe('expected one of constant, fixed, uniform, exponential, normal, lognormal, weibull, found "gaussian"');
  });

  it('rejects a parameter that does not belong to the distribution', () => {
    const errors = parseErrors('latency:\n  sameZone: { dist: constant, value: 1ms, max: 2ms }\nservers: [{ id: 1, zone: a }]\n');
    expect(errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [2, 43, 'unknown key "max"; expected one of dist, value'],
    ]);
  });

  it('rejects a zone placed in two regions and a host placed in two zones', () => {
    const errors = parseErrors(`
servers:
  - { id: 1, zone: a, region: r1, host: h }
  - { id: 2, zone: a, region: r2 }
  - { id: 3, zone: b, host: h }
`);
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [4, 'servers[1].region'],
      [5, 'servers[2].host'],
    ]);
  });
});

describe('hierarchical quorums', () => {
  it('accepts voters in groups with weights, and observers without a group', () => {
    const topology = parseOk(`
quorum: hierarchical
servers:
  - { id: 1, zone: a, group: 1 }
  - { id: 2, zone: b, group: 1, weight: 2 }
  - { id: 3, zone: c, group: 2, weight: 0 }
  - { id: 4, zone: c, role: observer }
`);
    expect(topology.servers.map((s) => [s.group, s.weight])).toEqual([
      [1, 1],
      [1, 2],
      [2, 0],
      [0, 1],
    ]);
  });

  it('requires a group on every voter, non-negative weights and no group on observers', () => {
    const errors = parseErrors(`
quorum: hierarchical
servers:
  - { id: 1, zone: a, group: 1 }
  - { id: 2, zone: a }
  - { id: 3, zone: a, group: 1, weight: -1 }
  - { id: 4, zone: a, group: 2, role: observer }
`);
    expect(errors.map((e) => [e.line, e.column, e.path, e.message])).toEqual([
      [5, 5, 'servers[1].group', 'with quorum: hierarchical every voter needs a group ≥ 1, found none'],
      [6, 41, 'servers[2].weight', 'expected a non-negative integer, found -1'],
      [7, 30, 'servers[3].group', 'observers do not vote and must not have a group, found group 2'],
    ]);
  });

  it('requires one group with non-zero weight', () => {
    const errors = parseErrors('quorum: hierarchical\nservers:\n  - { id: 1, zone: a, group: 1, weight: 0 }\n');
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      ['servers', 'expected at least one group with non-zero total weight, found every group weighing 0'],
    ]);
  });

  it('rejects groups and weights under a majority quorum', () => {
    const errors = parseErrors('servers:\n  - { id: 1, zone: a, weight: 3 }\n');
    expect(errors.map((e) => e.path)).toEqual(['servers[0].weight']);
  });

  it('suggests the quorum kind for a typo', () => {
    const errors = parseErrors('quorum: hierarchal\nservers: [{ id: 1, zone: a, group: 1 }]\n');
    expect(errors.map((e) => e.message)).toEqual([
      'expected one of majority, hierarchical, found "hierarchal" (did you mean "hierarchical"?)',
    ]);
  });
});

describe('resolveTopology and validateTopology', () => {
  it('fills defaults for programmatic input and validates it without positions', () => {
    const topology = resolveTopology({ name: 'prog', servers: [{ id: 1, zone: 'z' }, { id: 1, zone: 'z' }] });
    expect(topology.servers[1]).toEqual({ id: 1, zone: 'z', region: 'region1', rack: 'z-server-1', host: 'server-1', role: 'voter', weight: 1, group: 0 });
    expect(Object.isFrozen(topology)).toBe(true);
    expect(validateTopology(topology)).toEqual([{ path: 'servers[1].id', message: 'duplicate id 1 (already used by servers[0])' }]);
  });
});

describe('formatConfigError', () => {
  it('omits what it does not know', () => {
    expect(formatConfigError({ file: 'a.yaml', path: 'x', line: 3, column: 4, message: 'm' })).toBe('a.yaml:3:4: x: m');
    expect(formatConfigError({ file: 'a.yaml', path: 'x', line: 3, message: 'm' })).toBe('a.yaml:3: x: m');
    expect(formatConfigError({ file: 'a.yaml', path: 'x', message: 'm' })).toBe('a.yaml: x: m');
    expect(formatConfigError({ file: 'a.yaml', path: '', line: 1, column: 1, message: 'm' })).toBe('a.yaml:1:1: m');
  });
});

describe('placement defaults', () => {
  it('gives each server without rack: a rack of its own, shared only by servers stated on one host', () => {
    const t = resolveTopology({
      name: 'racks',
      servers: [
        { id: 1, zone: 'a' },
        { id: 2, zone: 'a' },
        { id: 3, zone: 'a', host: 'big' },
        { id: 4, zone: 'a', host: 'big' },
        { id: 5, zone: 'b', rack: 'shared' },
        { id: 6, zone: 'b', rack: 'shared' },
      ],
    });
    expect(t.servers.map((s) => s.rack)).toEqual(['a-server-1', 'a-server-2', 'a-big', 'a-big', 'shared', 'shared']);
  });
});
