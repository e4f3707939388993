/**
 * `zksim import` end to end, and a zoo.cfg where a topology is expected (cli/io.ts loadTopology):
 * the YAML printed reads back as the same topology, ignored keys go to stderr, bad input exits 2
 * with file:line:column and no stack trace.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../src/config/index.js';
import { hasStackTrace, zksim } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const EX = 'examples/zoocfg';

describe('zksim import', () => {
  it('prints a topology that reads back, zones from --zones, ignored keys on stderr', async () => {
    const r = await zksim(['import', `${EX}/kafka-3node.cfg`, '--zones', 'zoo1=az1,zoo2=az2,zoo3=az3/region2']);
    expect(r.status, r.stderr).toBe(0);
    const parsed = parseTopology(r.stdout, 'imported.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.topology.name).toBe('kafka-3node');
    expect(parsed.topology.servers.map((s) => `${s.id}@${s.zone}/${s.region}`)).toEqual(['1@az1/region1', '2@az2/region1', '3@az3/region2']);
    expect(r.stdout).toMatch(/initLimit: 5 +# ticks, examples\/zoocfg\/kafka-3node\.cfg:10/);
    expect(r.stderr).toContain('ignored, nothing the model computes depends on it: dataDir (examples/zoocfg/kafka-3node.cfg:4)');
  });

  it('finds the dynamic file a zoo.cfg names beside it, and places hosts from --placement', async () => {
    const r = await zksim(['import', `${EX}/zoo.cfg`, '--placement', `${EX}/placement.yaml`]);
    expect(r.stderr).not.toMatch(/no placement/);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('from examples/zoocfg/zoo.cfg and examples/zoocfg/zoo.cfg.dynamic.100000000');
    expect(r.stdout).toContain('{ id: 3, host: zk-c-1.zk.svc, zone: us-east-1c, rack: rack-7 }');
  });

  it('--zone-pattern reads zones out of host names; without placement stderr says everything is in one zone', async () => {
    const pattern = await zksim(['import', `${EX}/two-dc-hierarchical.cfg`, '--zone-pattern', '-(?<zone>dc[0-9])\\.']);
    expect(pattern.status, pattern.stderr).toBe(0);
    expect(pattern.stdout).toContain('{ id: 4, host: zk1-dc2.example.com, zone: dc2, group: 2, weight: 1 }');
    const none = await zksim(['import', `${EX}/observers.cfg`]);
    expect(none.status, none.stderr).toBe(0);
    expect(none.stderr).toMatch(/no placement given: every server is put in zone az1, so a zone outage takes the whole ensemble down/);
  });

  it('bad input: exit 2, file:line:column, the key and what was expected, no stack trace', async () => {
    const dir = tempDir('zksim-import-');
    const bad = join(dir, 'zoo.cfg');
    writeFileSync(bad, 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=zk1:2888\nserver.2=zk2:2888:3888\n');
    const r = await zksim(['import', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:4:10: server.1: expected host:quorumPort:electionPort`);
    expect(hasStackTrace(r.stderr)).toBe(false);
    for (const args of [['--zones', 'zoo1'], ['--zone-pattern', 'zk(\\d'], ['--zone-pattern', 'zk'], ['--zones', 'zoo1=a', '--zone-pattern', '(?<zone>x)']]) {
      const f = await zksim(['import', `${EX}/kafka-3node.cfg`, ...args]);
      expect(f.status, args.join(' ')).toBe(2);
      expect(hasStackTrace(f.stderr)).toBe(false);
    }
    const missing = join(dir, 'only.cfg');
    writeFileSync(missing, 'tickTime=2000\ninitLimit=10\nsyncLimit=5\ndynamicConfigFile=/nowhere/zoo.cfg.dynamic.1\n');
    const m = await zksim(['import', missing]);
    expect(m.status).toBe(2);
    expect(m.stderr).toContain(`${missing}:4:19: dynamicConfigFile: cannot find /nowhere/zoo.cfg.dynamic.1: tried /nowhere/zoo.cfg.dynamic.1 and ${join(dir, 'zoo.cfg.dynamic.1')} (beside the zoo.cfg)`);
  });

  it('validate checks a zoo.cfg as the topology it is read as', async () => {
    const r = await zksim(['validate', `${EX}/kafka-3node.cfg`]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok {2}examples\/zoocfg\/kafka-3node\.cfg: topology kafka-3node, 3 voters, 0 observers/m);
  });

  it('run takes a zoo.cfg where it takes a topology, its dynamic file found beside it', async () => {
    const dir = tempDir('zksim-import-run-');
    for (const f of ['zoo.cfg', 'zoo.cfg.dynamic.100000000']) copyFileSync(join(EX, f), join(dir, f));
    const r = await zksim(['run', join(dir, 'zoo.cfg'), '--duration', '20s', '--fault', 'kill:leader@5s', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { topology: string; leaders: unknown[] };
    expect(doc.topology).toBe('zoo');
    expect(doc.leaders.length).toBeGreaterThanOrEqual(2);
    expect(r.stderr).toContain('read as a zoo.cfg with every server in zone az1');
  });
});

describe('zksim import: placement files and a dynamic file alone', () => {
  it('a dynamic file alone: its servers, zksim\'s default settings, the version from its name', async () => {
    const r = await zksim(['import', `${EX}/zoo.cfg.dynamic.100000000`]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('# Dynamic configuration version 100000000.');
    expect(r.stdout).toContain("# zookeeper: not in the input (server lines only): zksim's defaults");
  });

  it('a bad --placement file: each entry at file:line:column, exit 2', async () => {
    const dir = tempDir('zksim-placement-');
    const file = join(dir, 'placement.yaml');
    writeFileSync(file, 'zk-a-1.zk.svc: us-east-1a\nzk-b-1.zk.svc: { zone: b, floor: 3 }\nzk-c-1.zk.svc: [x]\n');
    const r = await zksim(['import', `${EX}/zoo.cfg`, '--placement', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:2:1: zk-b-1.zk.svc.floor: expected zone, region or rack, each a name`);
    expect(r.stderr).toContain(`${file}:3:1: zk-c-1.zk.svc: expected a zone name or { zone, region, rack }`);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
});
