import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../src/config/errors.js';
import { parseExperiment, validateExperiment } from '../../src/config/experiment.js';
import { MAX_EXPECTED_FAULTS, MAX_SERVERS, MAX_VOTERS } from '../../src/config/limits.js';
import { parseTopology, resolveTopology, validateTopology } from '../../src/config/topology.js';
import type { Experiment } from '../../src/model/experiment.js';

const SERVERS = 'servers:\n  - { id: 1, zone: a }\n  - { id: 2, zone: b }\n  - { id: 3, zone: c }\n';

/** Every error of a topology file, formatted (file:line:col: path: message). */
function topologyErrors(body: string): string[] {
  const r = parseTopology(`name: t\n${body}${SERVERS}`, 't.yaml');
  return r.ok ? [] : r.errors.map(formatConfigError);
}

function experimentErrors(text: string): string[] {
  const r = parseExperiment(text, 'e.yaml');
  return r.ok ? [] : r.errors.map(formatConfigError);
}

describe('topology values the engine cannot represent are refused, naming the field and the limit', () => {
  it.each([
    ['zookeeper: { tickTime: 9007199254740991 }\n', 't.yaml:2:24: zookeeper.tickTime: expected at most 1 day (86400000 ms), found 9007199254740991 ms'],
    ['zookeeper: { tickTime: 10m, initLimit: 1000 }\n', 'zookeeper.initLimit: expected tickTime × initLimit at most 1 day (86400000 ms), found 600000 ms × 1000 = 600000000 ms'],
    ['zookeeper: { cnxTimeout: 2d }\n', 'zookeeper.cnxTimeout: expected at most 1 day (86400000 ms), found 172800000 ms'],
    ['latency: { crossZone: { dist: constant, value: 1e300 } }\n', 'latency.crossZone.value: expected a delay at most 1 minute (60000 ms), found 1e+300 ms'],
    ['latency: { crossZone: { dist: lognormal, median: 1ms, sigma: 1000 } }\n', 'latency.crossZone.sigma: expected a sigma at most 3'],
    ['latency: { sameZone: { dist: lognormal, median: 10s, sigma: 3 } }\n', 'latency.sameZone.median: expected a mean delay at most 1 minute (60000 ms), found a mean of 9.00e+5 ms'],
    ['storage: { fsync: { dist: weibull, scale: 1ms, shape: 1e-9 } }\n', 'storage.fsync.shape: expected a shape at least 0.2'],
    ['storage: { fsync: { dist: normal, mean: 1ms, stddev: 1h } }\n', 'storage.fsync.stddev: expected a standard deviation at most 1 minute'],
    ['storage: { snapshotMB: 1e300 }\n', 'storage.snapshotMB: expected at most 1048576 (1 TiB'],
    ['storage: { txnBytes: 1e12 }\n', "storage.txnBytes: expected at most 1048576 (1 MiB, ZooKeeper's jute.maxbuffer default)"],
    ['storage: { snapshotMB: 100000, bandwidthMbps: 1 }\n', 'storage.bandwidthMbps: expected a bandwidth that moves the 100000 MB snapshot within 1 day (at least 9.71 Mbit/s), found 1'],
  ])('%s', (body, message) => {
    const errors = topologyErrors(body);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it('the defaults and values at the limits are accepted', () => {
    expect(topologyErrors('')).toEqual([]);
    expect(topologyErrors('zookeeper: { tickTime: 1d, initLimit: 1, syncLimit: 1 }\nlatency: { crossZone: { dist: lognormal, median: 1ms, sigma: 3 } }\nstorage: { fsync: { dist: weibull, scale: 1ms, shape: 0.2 }, snapshotMB: 1048576, bandwidthMbps: 110 }\n')).toEqual([]);
  });

  it('overrides (--set, scenario files) go through the same rules: validateTopology on a resolved topology', () => {
    const t = resolveTopology({ name: 't', zk: { tickTimeUs: 2 ** 53 - 1 }, storage: { snapshotMB: 1e300 }, servers: [{ id: 1, zone: 'a' }] });
    expect(validateTopology(t).map((i) => i.path)).toEqual(['zookeeper.tickTime', 'storage.snapshotMB']);
  });

  it(`refuses more than ${MAX_VOTERS} voters and more than ${MAX_SERVERS} servers, saying why`, () => {
    const servers = (voters: number, observers: number) =>
      Array.from({ length: voters + observers }, (_, i) => ({ id: i + 1, zone: `az${i % 3}`, role: i < voters ? ('voter' as const) : ('observer' as const) }));
    const issues = (v: number, o: number) => validateTopology(resolveTopology({ name: 't', servers: servers(v, o) }));
    expect(issues(51, 949)).toEqual([]);
    const tooMany = issues(52, 0);
    expect(tooMany).toHaveLength(1);
    expect(tooMany[0]!.message).toMatch(/^expected at most 51 voters, found 52: quorum checks enumerate voter subsets and leader election is all-to-all/);
    expect(issues(9, 992).map((i) => i.message)).toEqual(['expected at most 1000 servers (voters and observers), found 1001']);
  });
});

describe('experiments: distribution ranges and the fault budget', () => {
  const head = 'name: e\nhorizon: 1y\nfailures:\n';
  it.each([
    ['  processRestarts: { every: 1ms, downtime: 1s }\n', 'e.yaml:4:29: failures.processRestarts.every: would generate about 31504496 faults per server in one 1y trial; the limit is 100000 per trial'],
    ['  rollingMaintenance: { every: 1us, downtimePerServer: 1us }\n', 'failures.rollingMaintenance.every: would generate about 3.15e+13 faults per server in one 1y trial'],
    ['  zonePartitions: { every: 1ms, duration: 1ms }\n', 'failures.zonePartitions.every: would generate about 1.58e+10 faults per zone pair'],
    ['  hostFailures: { mttf: 30d, mttr: { dist: lognormal, median: 1h, sigma: 1000 } }\n', 'failures.hostFailures.mttr.sigma: must be at most 3'],
    ['  diskLoss: { every: { dist: weibull, scale: 1y, shape: 1e-9 }, rebuild: 4h }\n', 'failures.diskLoss.every.shape: must be at least 0.2'],
  ])('%s', (body, message) => {
    const errors = experimentErrors(head + body);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it('the shipped experiments stay far inside the budget; an interval at the budget is accepted', () => {
    // 1 y / (5m + 0.256m) ≈ 100 000: just inside
    expect(experimentErrors(`${head}  processRestarts: { every: 5m, downtime: { dist: fixed, value: 16s } }\n`)).toEqual([]);
    expect(experimentErrors(`${head}  processRestarts: { every: 5m, downtime: { dist: fixed, value: 10s } }\n`)[0]).toContain(`the limit is ${MAX_EXPECTED_FAULTS} per trial`);
  });

  it('--set overrides are checked the same way (validateExperiment on the object)', () => {
    const r = parseExperiment(`${head}  processRestarts: { every: 30d, downtime: 5m }\n`, 'e.yaml');
    if (!r.ok) throw new Error('setup');
    const e: Experiment = { ...r.experiment, failures: { ...r.experiment.failures, processRestarts: { every: { dist: 'exponential', mean: 1000 }, downtime: { dist: 'exponential', mean: 1000 } } } };
    expect(validateExperiment(e).map((i) => i.path)).toEqual(['failures.processRestarts.every']);
  });
});

describe('the experiment reader: duration limit hint and printable names', () => {
  it('a duration past the clock names the 285-year limit', () => {
    const errors = experimentErrors('name: e\nhorizon: 300y\n');
    expect(errors).toEqual(['e.yaml:2:10: horizon: expected a duration with a unit such as 90s, 2h or 30d, found "300y" (too long: durations up to 285 years)']);
  });
  it('a name or description with control characters is refused by the reader, with the code point', () => {
    expect(experimentErrors('name: "a\\u001b[2Jb"\n')).toEqual(['e.yaml:1:7: name: expected a name of printable characters only, found the non-printable character U+001B at position 2']);
    expect(experimentErrors('name: e\ndescription: "line\\nnext\\u0007"\n')[0]).toContain('description: expected text without control characters (tab and newline allowed), found the non-printable character U+0007 at position 10');
  });
});
