/**
 * The zoo.cfg knobs of a topology's `zookeeper:` section (issue 13 §4): the keys the model uses
 * with their defaults, the other 3.8 keys accepted and ignored, the ones it refuses with a reason,
 * unknown keys with a suggestion, and initialZxid / connectToLearnerMasterLimit reaching the peers.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ZK_SETTINGS, formatConfigError, parseTopology, validateTopology, type ConfigError } from '../../src/config/index.js';
import { applySet } from '../../src/config/overrides.js';
import { ZK_IGNORED_KEYS } from '../../src/config/schema.js';
import { topologyFromJson, topologyToJson } from '../../src/config/topology-json.js';
import { Rng } from '../../src/core/index.js';
import { counterOf, epochOf, sessionTimeoutBoundsUs, type PeerEvent, type Topology } from '../../src/model/index.js';
import { buildPeerConfig } from '../../src/scenario/peer-config.js';
import { Trial } from '../../src/scenario/index.js';
import { MajorityVerifier } from '../../src/zk/index.js';
import { Harness, MS, note, voters } from '../zk/harness.js';

const SERVERS = 'servers: [{ id: 1, zone: a }, { id: 2, zone: a }, { id: 3, zone: a }]\n';

function parseOk(text: string): Topology {
  const result = parseTopology(text, 'knobs.yaml');
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.topology;
}

function parseErrors(text: string): ConfigError[] {
  const result = parseTopology(text, 'knobs.yaml');
  if (result.ok) throw new Error('expected errors, the topology parsed');
  return result.errors;
}

function peerConfigOf(topology: Topology, id = 1): ReturnType<typeof buildPeerConfig> {
  const verifier = new MajorityVerifier(topology.servers.map((s) => s.id));
  return buildPeerConfig(id, { topology, verifier, electionRng: new Rng('knobs'), reachableVoters: () => [] });
}

describe('zookeeper: knobs', () => {
  it('defaults connectToLearnerMasterLimit to 0 (meaning initLimit) and initialZxid to 0 (unset)', () => {
    const t = parseOk(SERVERS);
    expect(t.zk.connectToLearnerMasterLimit).toBe(0);
    expect(t.zk.initialZxid).toBe(0);
    expect(DEFAULT_ZK_SETTINGS).toMatchObject({ connectToLearnerMasterLimit: 0, initialZxid: 0 });
    const config = peerConfigOf(t);
    // Learner.connectToLeader: 0 → tickTime × initLimit
    expect(config.connectToLearnerMasterLimit).toBe(t.zk.initLimit);
    expect(config.testingInitialZxidCounter).toBeUndefined();
  });

  it('reads the knobs by their zoo.cfg names, hex zxids included, and hands them to the peers', () => {
    const t = parseOk(`zookeeper:\n  initLimit: 20\n  connectToLearnerMasterLimit: 4\n  initialZxid: 0xfffffff0\n${SERVERS}`);
    expect(t.zk).toMatchObject({ initLimit: 20, connectToLearnerMasterLimit: 4, initialZxid: 0xfffffff0 });
    const config = peerConfigOf(t);
    expect(config.connectToLearnerMasterLimit).toBe(4);
    // Leader.lead sets the low 32 bits to initialZxid; the first proposal increments it
    expect(config.testingInitialZxidCounter).toBe(0xfffffff1);
    expect(topologyFromJson(topologyToJson(t))).toEqual(t);
  });

  it('accepts the other 3.8 zoo.cfg keys and ignores them: the resolved topology is the defaults', () => {
    const t = parseOk(`zookeeper:\n  dataDir: /var/lib/zookeeper\n  clientPort: 2181\n  maxClientCnxns: 0\n  autopurge.purgeInterval: 1\n  electionPortBindRetry: 3\n${SERVERS}`);
    expect(t.zk).toEqual(DEFAULT_ZK_SETTINGS);
    for (const key of ['dataDir', 'clientPort', 'maxClientCnxns', 'snapCount', 'electionPortBindRetry', 'autopurge.purgeInterval']) {
      expect(ZK_IGNORED_KEYS, key).toHaveProperty([key]);
    }
  });

  it('refuses the keys whose behaviour the model does not implement, with the reason', () => {
    const errors = parseErrors(`zookeeper:\n  leaderServes: "no"\n  forceSync: "no"\n${SERVERS}`);
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [2, 'zookeeper.leaderServes'],
      [3, 'zookeeper.forceSync'],
    ]);
    expect(errors[0]?.message).toContain("zoo.cfg's leaderServes is not modelled: the model's leader always serves clients");
    expect(errors[1]?.message).toContain('storage.fsync');
  });

  it('rejects an unknown key with a suggestion and the keys the model uses', () => {
    const [error, ...rest] = parseErrors(`zookeeper:\n  connectToLeaderMasterLimit: 5\n${SERVERS}`);
    expect(rest).toEqual([]);
    expect(error).toMatchObject({ line: 2, path: 'zookeeper.connectToLeaderMasterLimit' });
    expect(error?.message).toBe(
      'unknown key "connectToLeaderMasterLimit" (did you mean "connectToLearnerMasterLimit"?); expected one of tickTime, initLimit, syncLimit, cnxTimeout, finalizeWait, maxNotificationInterval, observerElectionDelay, connectToLearnerMasterLimit, initialZxid, minSessionTimeout, maxSessionTimeout, reconfigEnabled, standaloneEnabled, or another ZooKeeper 3.8 zoo.cfg key (the README lists them)',
    );
  });

  it('checks the ranges: initialZxid fits 32 bits, connectToLearnerMasterLimit is a tick count within a day', () => {
    expect(parseErrors(`zookeeper:\n  initialZxid: 0x100000000\n${SERVERS}`).map((e) => [e.path, e.message])).toEqual([
      ['zookeeper.initialZxid', 'expected at most 4294967295 (0xffffffff: the low 32 bits of a zxid, under the epoch), found 4294967296'],
    ]);
    expect(parseErrors(`zookeeper:\n  connectToLearnerMasterLimit: -1\n${SERVERS}`)[0]?.message).toBe('expected a non-negative integer, found -1');
    expect(parseErrors(`zookeeper:\n  connectToLearnerMasterLimit: 50000\n${SERVERS}`)[0]?.message).toContain('expected tickTime × connectToLearnerMasterLimit at most');
    expect(parseErrors(`zookeeper:\n  dataDir: [a, b]\n${SERVERS}`)[0]?.message).toContain('expected a zoo.cfg value');
  });

  it('--set zookeeper.initialZxid reaches the peers, and a trial commits from that counter', () => {
    const base = parseOk(SERVERS);
    const set = applySet(base, 'zookeeper.initialZxid', String(0xfffffffe - 21));
    if (!set.ok) throw new Error(set.error);
    expect(validateTopology(set.value)).toEqual([]);
    expect(peerConfigOf(set.value).testingInitialZxidCounter).toBe(0xfffffffe - 20);
    const events: PeerEvent[] = [];
    new Trial({
      topology: set.value,
      seed: '1',
      durationUs: 2_000_000,
      faults: [],
      workload: { writesPerSec: 50, readsPerSec: 0, sessionTimeoutUs: 30_000_000 },
      trace: (r) => { if (r.type === 'peer') events.push(r.event); },
    }).run();
    const commits = events.flatMap((e) => (e.type === 'committed' ? [e.zxid] : []));
    expect(commits.length).toBeGreaterThan(0);
    expect(epochOf(commits[0]!)).toBe(1);
    expect(counterOf(commits[0]!)).toBe(0xfffffffe - 20);
    const limit = applySet(base, 'zookeeper.connectToLearnerMasterLimit', '3');
    expect(limit.ok && limit.value.zk.connectToLearnerMasterLimit).toBe(3);
  });

  it('--set reaches a server\'s own storage, its times in ms as the file writes them', () => {
    const t = parseOk('servers:\n  - { id: 1, zone: a, storage: { fsync: { dist: lognormal, median: 20ms, sigma: 1 } } }\n');
    const set = applySet(t, 'servers[0].storage.fsync.median', '35');
    if (!set.ok) throw new Error(set.error);
    expect(set.value.servers[0]?.storage?.fsync).toEqual({ dist: 'lognormal', median: 35_000, sigma: 1 });
  });
});

describe('session timeout bounds', () => {
  it('default to 2 and 20 × tickTime, are read in ms, and must not cross (QuorumPeerConfig)', () => {
    expect(sessionTimeoutBoundsUs(parseOk(`zookeeper:\n  tickTime: 1000\n${SERVERS}`).zk)).toEqual([2_000_000, 20_000_000]);
    const t = parseOk(`zookeeper:\n  minSessionTimeout: 4s\n  maxSessionTimeout: 90000\n${SERVERS}`);
    expect(sessionTimeoutBoundsUs(t.zk)).toEqual([4_000_000, 90_000_000]);
    expect(parseErrors(`zookeeper:\n  minSessionTimeout: 50000\n${SERVERS}`).map((e) => [e.path, e.message])).toEqual([
      ['zookeeper.minSessionTimeout', 'expected minSessionTimeout ≤ maxSessionTimeout, found 50000 ms > 40000 ms (an unset one is 2 or 20 × tickTime)'],
    ]);
  });
});

describe('connectToLearnerMasterLimit in the learner', () => {
  it('bounds the connect attempts to the leader (Learner.connectToLeader), not initLimit', () => {
    const h = new Harness(voters(3), [1], { connectToLearnerMasterLimit: 3 });
    h.start(1);
    h.run(0);
    h.deliver(0, 1, note(2, 'LOOKING', 3, 1));
    h.deliver(0, 1, note(3, 'LOOKING', 3, 1));
    h.fire(1, 'fle.finalize');
    const effects = h.settle(1);
    const connect = effects.find((e) => e.kind === 'connect');
    // one attempt may take at most the whole connect timeout: 3 ticks of 2 s, not initLimit's 10
    expect(connect).toMatchObject({ kind: 'connect', to: 3, timeoutUs: 3 * 2000 * MS });
  });
});
