/**
 * zoo.cfg reading (config/zoocfg*.ts): the Java properties syntax, the four real-world shaped
 * fixtures under test/fixtures/zoocfg/ turned into topologies, and the errors ZooKeeper 3.8.6
 * itself raises, each at file:line:column with the key and what was expected.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConfigError, parseTopology } from '../../src/config/index.js';
import { parseProperties } from '../../src/config/zoocfg-properties.js';
import { looksLikeZooCfg, readZooCfg, versionFromFilename, type ZooCfg } from '../../src/config/zoocfg.js';
import { placeServers, zooCfgTopologyYaml, type PlacementRule } from '../../src/config/zoocfg-topology.js';
import { sessionTimeoutBoundsUs } from '../../src/model/topology.js';

const FIX = 'test/fixtures/zoocfg';
const file = (name: string) => ({ file: `${FIX}/${name}`, text: readFileSync(`${FIX}/${name}`, 'utf8') });

function read(name: string, dynamic?: string): ZooCfg {
  const r = readZooCfg(file(name), dynamic === undefined ? undefined : file(dynamic));
  if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'));
  return r.cfg;
}

function topologyOf(cfg: ZooCfg, rule: PlacementRule = { kind: 'none' }) {
  const placed = placeServers(cfg.servers, rule);
  if (!placed.ok) throw new Error(placed.errors.join('\n'));
  const yaml = zooCfgTopologyYaml(cfg, { name: 't', files: ['zoo.cfg'], places: placed.places, placementSource: null, version: 'test', membersOnly: false });
  const parsed = parseTopology(yaml, 't.yaml');
  if (!parsed.ok) throw new Error(parsed.errors.map(formatConfigError).join('\n') + '\n' + yaml);
  return { yaml, topology: parsed.topology };
}

/** The errors of a zoo.cfg text, formatted as the CLI prints them. */
function errorsOf(text: string, dynamic?: string): string[] {
  const r = readZooCfg({ file: 'zoo.cfg', text }, dynamic === undefined ? undefined : { file: 'zoo.cfg.dynamic.100000000', text: dynamic });
  return r.ok ? [] : r.errors.map(formatConfigError);
}

const BASE = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\n';

describe('Java properties syntax (Properties.load)', () => {
  it('reads = : and blank separators, comments, continuation lines and escapes', () => {
    const p = parseProperties('# comment\n! also\n  a=1\nb : 2\nc 3\nd=x\\\n    y\\\n  z\ne=\\u0041\\tB\\:\nf\\ g=h\n\nempty=\n');
    expect(p.entries.map((e) => [e.key, e.value, e.line])).toEqual([
      ['a', '1', 3],
      ['b', '2', 4],
      ['c', '3', 5],
      ['d', 'xyz', 6],
      ['e', 'A\tB:', 9],
      ['f g', 'h', 10],
      ['empty', '', 12],
    ]);
    expect(p.problems).toEqual([]);
  });

  it('keeps the last of a key given twice and lists the earlier one; a malformed \\u is a problem', () => {
    const p = parseProperties('k=1\nk=2\nbad=\\u12G4\n');
    expect(p.entries.find((e) => e.key === 'k')?.value).toBe('2');
    expect(p.duplicates.map((d) => d.line)).toEqual([1]);
    expect(p.problems[0]).toMatchObject({ line: 3, column: 5 });
  });

  it('skips a leading byte order mark and says it did', () => {
    const withBom = parseProperties('\uFEFFtickTime=2000\n');
    expect(withBom.entries.map((e) => [e.key, e.line, e.column])).toEqual([['tickTime', 1, 1]]);
    expect(withBom.bom).toBe(true);
    expect(parseProperties('tickTime=2000\n\uFEFFx=1\n').bom).toBe(false);
    expect(looksLikeZooCfg('\uFEFFserver.1=a:1:2\n')).toBe(true);
  });

  it('tells a zoo.cfg from YAML', () => {
    expect(looksLikeZooCfg(file('kafka-3node.cfg').text)).toBe(true);
    expect(looksLikeZooCfg(readFileSync('topologies/n3-1az.yaml', 'utf8'))).toBe(false);
    expect(versionFromFilename('conf/zoo.cfg.dynamic.100000000')).toBe('100000000');
    expect(versionFromFilename('zoo.cfg.dynamic')).toBeNull();
  });
});

describe('real-world shaped zoo.cfg files', () => {
  it('a Kafka-style 3-node file: three voters, its timings, every other key listed as ignored', () => {
    const cfg = read('kafka-3node.cfg');
    const { topology } = topologyOf(cfg, { kind: 'map', places: new Map([['zoo1', { zone: 'a' }], ['zoo2', { zone: 'b' }], ['zoo3', { zone: 'c' }]]), source: '--zones' });
    expect(topology.servers.map((s) => [s.id, s.host, s.zone, s.role])).toEqual([
      [1, 'zoo1', 'a', 'voter'],
      [2, 'zoo2', 'b', 'voter'],
      [3, 'zoo3', 'c', 'voter'],
    ]);
    expect(topology.zk).toMatchObject({ tickTimeUs: 2_000_000, initLimit: 5, syncLimit: 2 });
    expect(cfg.ignored.map((i) => i.key)).toEqual(['dataDir', 'dataLogDir', 'clientPort', 'maxClientCnxns', 'autopurge.snapRetainCount', 'autopurge.purgeInterval', 'admin.enableServer', '4lw.commands.whitelist']);
  });

  it('a hierarchical two-DC file: groups and weights, cnxTimeout and connectToLearnerMasterLimit', () => {
    const cfg = read('two-dc-hierarchical.cfg');
    const { topology, yaml } = topologyOf(cfg, { kind: 'pattern', pattern: /-(?<zone>dc\d)\./, source: '--zone-pattern' });
    expect(topology.quorum).toBe('hierarchical');
    expect(topology.servers.map((s) => [s.id, s.zone, s.group, s.weight])).toEqual([
      [1, 'dc1', 1, 1],
      [2, 'dc1', 1, 1],
      [3, 'dc1', 1, 0],
      [4, 'dc2', 2, 1],
      [5, 'dc2', 2, 1],
      [6, 'dc2', 2, 1],
    ]);
    expect(topology.zk).toMatchObject({ cnxTimeoutUs: 3_000_000, connectToLearnerMasterLimit: 20 });
    expect(yaml).toContain('# ms, zoo.cfg'.replace('zoo.cfg', `${FIX}/two-dc-hierarchical.cfg:8`));
  });

  it('an observer file: `:observer` servers are observers; peerType (the local role) is listed as ignored with why', () => {
    const cfg = read('observers.cfg');
    const { topology } = topologyOf(cfg);
    expect(topology.servers.filter((s) => s.role === 'observer').map((s) => s.id)).toEqual([6, 7]);
    expect(topology.servers.map((s) => s.host)).toContain('10.9.1.12');
    expect(cfg.ignored.find((i) => i.key === 'peerType')?.reason).toMatch(/setupPeerType/);
  });

  it('a 3.5+ dynamic file: the servers from it, the settings from zoo.cfg, the version from its name', () => {
    const cfg = read('zoo.cfg', 'zoo.cfg.dynamic.100000000');
    expect(cfg.version).toBe('100000000');
    expect(cfg.servers.map((s) => [s.id, s.host, s.source])).toEqual([
      [1, 'zk-a-1.zk.svc', `${FIX}/zoo.cfg.dynamic.100000000:1`],
      [2, 'zk-b-1.zk.svc', `${FIX}/zoo.cfg.dynamic.100000000:2`],
      [3, 'zk-c-1.zk.svc', `${FIX}/zoo.cfg.dynamic.100000000:3`],
    ]);
    const { topology } = topologyOf(cfg);
    expect(topology.reconfig).toEqual({ reconfigEnabled: true, standaloneEnabled: false });
  });

  it('a tickTime left out is ZooKeeper\'s 3000 ms, not zksim\'s 2000; reconfigEnabled left out stays off', () => {
    const r = readZooCfg({ file: 'zoo.cfg', text: 'initLimit=10\nsyncLimit=5\nstandaloneEnabled=false\nserver.1=a:1:2\nserver.2=b:1:2\nserver.3=c:1:2\n' });
    if (!r.ok) throw new Error('unexpected');
    const { topology, yaml } = topologyOf(r.cfg);
    expect(topology.zk.tickTimeUs).toBe(3_000_000);
    expect(yaml).toMatch(/tickTime: 3000 .*DEFAULT_TICK_TIME/);
    expect(topology.reconfig).toEqual({ reconfigEnabled: false, standaloneEnabled: false });
  });
});

describe('bad lines: file:line:column, the key, what was expected', () => {
  it.each([
    ['server.1=zk1:2888\nserver.2=b:1:2', 'zoo.cfg:4:10: server.1: expected host:quorumPort:electionPort'],
    ['server.x=zk1:2888:3888\nserver.2=b:1:2', 'zoo.cfg:4:1: server.x: expected server.N with N the server id'],
    ['server.1=zk1:2888:2888\nserver.2=b:1:2', 'zoo.cfg:4:19: server.1: expected different quorum and election ports, found 2888 twice'],
    ['server.1=zk1:2888:3888:leader\nserver.2=b:1:2', 'zoo.cfg:4:24: server.1: expected the role participant or observer'],
    ['server.1=zk1:2888:99999\nserver.2=b:1:2', 'zoo.cfg:4:19: server.1: expected the election port (a port, 0-65535), found "99999"'],
    ['server.1=a:1:2|b:1:2\nserver.2=b:1:2', 'several addresses (a|b) need multiAddress.enabled=true'],
    ['server.1=a:1:2:observer', 'observers without participants are an invalid configuration'],
    ['server.1=a:1:2\nserver.2=b:1:2\ngroup.1=1', 'zoo.cfg:5:1: server.2: expected every voter in a group.G line when there are groups, found server 2 in none'],
    ['server.1=a:1:2\nserver.2=b:1:2\ngroup.1=1:2\ngroup.2=2', 'zoo.cfg:7:9: group.2: server 2 is in two groups'],
    ['server.1=a:1:2\nserver.2=b:1:2\ngroup.1=1:2\nweight.1=heavy', 'zoo.cfg:7:10: weight.1: expected a weight, a whole number ≥ 0, found "heavy"'],
    ['server.1=a:1:2\nserver.2=b:1:2\nreconfigEnabled=yes', 'zoo.cfg:6:17: reconfigEnabled: expected true or false, found "yes"'],
    ['server.1=a:1:2\nserver.2=b:1:2\nelectionAlg=1', 'electionAlg: expected 3'],
    ['server.1=a:1:2\nserver.2=b:1:2\npeerType=leader', 'peerType: expected observer or participant'],
    ['server.1=a:1:2\nserver.2=b:1:2\ndynamicConfigFile=/x', 'zoo.cfg:4:1: server.1: server.1 must be in the dynamic config file'],
  ])('%j', (lines, expected) => {
    expect(errorsOf(BASE + lines).join('\n')).toContain(expected);
  });

  it('the weight of an observer outside the groups is not used, and a note says so', () => {
    const r = readZooCfg({ file: 'zoo.cfg', text: `${BASE}server.1=a:1:2\nserver.2=b:1:2\nserver.3=c:1:2:observer\ngroup.1=1:2\nweight.3=5\n` });
    expect(r.ok && [...r.cfg.groups.keys()]).toEqual([1, 2]);
    expect(r.ok && r.cfg.notes).toEqual(['zoo.cfg:8: weight.3 is the weight of an observer, which does not vote; not used (ZooKeeper 3.8 does not use it either)']);
  });

  it('several addresses with multiAddress.enabled=true: the first host, and a note saying so', () => {
    const r = readZooCfg({ file: 'zoo.cfg', text: `${BASE}multiAddress.enabled=true\nserver.1=a1:1:2|a2:1:2\nserver.2=b:1:2\n` });
    expect(r.ok && r.cfg.servers[0]?.host).toBe('a1');
    expect(r.ok && r.cfg.notes).toEqual(['zoo.cfg:5: server.1 has 2 addresses; zksim models one network path per server and uses the first, a1']);
  });

  it('tickTime "2s" and a missing initLimit are errors, as in ZooKeeper', () => {
    expect(errorsOf('tickTime=2s\nsyncLimit=5\nserver.1=a:1:2\nserver.2=b:1:2\n')).toEqual([
      'zoo.cfg:1:10: tickTime: expected a positive number of milliseconds, found "2s"',
      'zoo.cfg: initLimit: expected initLimit=N (ticks): ZooKeeper refuses a distributed configuration without it ("initLimit is not set", QuorumPeerConfig.checkValidity)',
    ]);
  });

  it('no server lines is a standalone server, which zksim does not simulate', () => {
    expect(errorsOf(BASE).join('\n')).toMatch(/expected server\.N lines/);
  });

  it('a dynamic file holds only server, group, weight and version lines', () => {
    expect(errorsOf(`${BASE}dynamicConfigFile=/x`, 'server.1=a:1:2\nserver.2=b:1:2\ntickTime=3\n')).toEqual([
      'zoo.cfg.dynamic.100000000:3:1: tickTime: expected only server.N, group.N, weight.N and version lines in a dynamic config file (QuorumPeerConfig.parseDynamicConfig: "Unrecognised parameter")',
    ]);
  });

  it('placement: a host the map lacks, or one the pattern does not match, is an error', () => {
    const cfg = read('kafka-3node.cfg');
    const missing = placeServers(cfg.servers, { kind: 'map', places: new Map([['zoo1', { zone: 'a' }]]), source: '--zones' });
    expect(missing.ok ? [] : missing.errors).toEqual([
      '--zones: no zone for server.2 (host zoo2): expected zoo2=ZONE or 2=ZONE',
      '--zones: no zone for server.3 (host zoo3): expected zoo3=ZONE or 3=ZONE',
    ]);
    const unmatched = placeServers(cfg.servers, { kind: 'pattern', pattern: /dc(?<zone>\d)/, source: '--zone-pattern' });
    expect(unmatched.ok).toBe(false);
  });

  it('a placement file: a missing host is asked for in the file\'s syntax; a host no server.N line names is an error at its line', () => {
    const cfg = read('kafka-3node.cfg');
    const places = new Map([['zoo1', { zone: 'a' }], ['zoo2', { zone: 'b' }], ['zoo9', { zone: 'c' }]]);
    const at = new Map([['zoo1', 'p.yaml:1:1'], ['zoo2', 'p.yaml:2:1'], ['zoo9', 'p.yaml:3:1']]);
    const r = placeServers(cfg.servers, { kind: 'map', places, source: 'p.yaml', at });
    expect(r.ok ? [] : r.errors).toEqual([
      'p.yaml: no zone for server.3 (host zoo3): expected a line "zoo3: ZONE" (or "3: ZONE", or "zoo3: { zone: Z, region: R, rack: K }")',
      'p.yaml:3:1: zoo9: expected the host or id of a server.N line (zoo1, zoo2, zoo3), found zoo9, which none names',
    ]);
  });
});

describe('what ZooKeeper 3.8 accepts and refuses (issue 16, round 2)', () => {
  const VOTERS = 'server.1=zk1:2888:3888\nserver.2=zk2:2888:3888\nserver.3=zk3:2888:3888\n';

  it('minSessionTimeout=0 is no lower bound (only -1 is unset), not 2 × tickTime: it imports beside a maxSessionTimeout under 2 × tickTime', () => {
    const r = readZooCfg({ file: 'zoo.cfg', text: `tickTime=2000\ninitLimit=10\nsyncLimit=5\nminSessionTimeout=0\nmaxSessionTimeout=3000\n${VOTERS}` });
    if (!r.ok) throw new Error(r.errors.map(formatConfigError).join('\n'));
    const { yaml, topology } = topologyOf(r.cfg);
    expect(sessionTimeoutBoundsUs(topology.zk)).toEqual([1000, 3_000_000]);
    expect(yaml).toContain('zoo.cfg:4 says 0, no lower bound');
    const alone = readZooCfg({ file: 'zoo.cfg', text: `${BASE}minSessionTimeout=0\n${VOTERS}` });
    if (!alone.ok) throw new Error('refused');
    // a session asking for 1 ms keeps it, as under 3.8's bound 0 (2 × tickTime would raise it to 4000 ms)
    expect(sessionTimeoutBoundsUs(topologyOf(alone.cfg).topology.zk)[0]).toBe(1000);
  });

  it('maxSessionTimeout=0 with minSessionTimeout=0 (every session 0 ms in 3.8) is refused at its line; -1 stays unset', () => {
    expect(errorsOf(`${BASE}minSessionTimeout=0\nmaxSessionTimeout=0\n${VOTERS}`)).toEqual([
      'zoo.cfg:5:19: maxSessionTimeout: expected a maxSessionTimeout above 0 ms, found 0 (minSessionTimeout 0 too): ZooKeeper 3.8 takes 0 as a bound, not as unset (only -1 is), and would negotiate every session to a 0 ms timeout; zksim does not model that. Write -1 or leave it out for 20 × tickTime',
    ]);
    expect(errorsOf(`${BASE}minSessionTimeout=-1\nmaxSessionTimeout=-1\n${VOTERS}`)).toEqual([]);
  });

  it('one participant with standaloneEnabled=false is distributed: initLimit and syncLimit are required', () => {
    const errors = errorsOf('tickTime=2000\nstandaloneEnabled=false\nserver.1=zk1:2888:3888\n');
    expect(errors.map((e) => e.split(': ').slice(0, 2).join(': '))).toEqual(['zoo.cfg: initLimit', 'zoo.cfg: syncLimit']);
    expect(errors[0]).toContain('"initLimit is not set"');
    expect(errorsOf('tickTime=2000\nserver.1=zk1:2888:3888\n')).toEqual([]);
  });

  it('one participant and an observer is refused at the observer\'s line unless standaloneEnabled=false', () => {
    expect(errorsOf(`${BASE}server.1=zk1:2888:3888\nserver.2=zk2:2888:3888:observer\n`)).toEqual([
      'zoo.cfg:5:1: server.2: expected two or more participants beside observers, or standaloneEnabled=false, found one participant and server.2, an observer: ZooKeeper 3.8 refuses to start ("Observers w/o quorum is an invalid configuration", QuorumPeerConfig.parseDynamicConfig)',
    ]);
    expect(errorsOf(`${BASE}standaloneEnabled=false\nserver.1=zk1:2888:3888\nserver.2=zk2:2888:3888:observer\n`)).toEqual([]);
  });
});
