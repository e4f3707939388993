/** Semantic checks on a resolved Topology (no positions: parseTopology adds them). */
import type { Distribution } from '../model/distribution.js';
import { US_PER_MS } from '../model/duration.js';
import { sessionTimeoutBoundsUs, type ServerSpec, type Topology, type ZkSettings } from '../model/topology.js';
import {
  distributionMean,
  MAX_DELAY_MEAN_TEXT,
  MAX_DELAY_MEAN_US,
  MAX_SERVERS,
  MAX_SIGMA,
  MAX_SNAPSHOT_MB,
  MAX_TIMEOUT_TEXT,
  MAX_TIMEOUT_US,
  MAX_TRANSFER_US,
  MAX_TXN_BYTES,
  MAX_VOTERS,
  MIN_WEIBULL_SHAPE,
} from './limits.js';
import { LINK_CLASSES, MAX_INITIAL_ZXID, PROCESS_DISTRIBUTION_KEYS, PROCESS_RATE_KEYS, SERVER_STORAGE_KEYS, STORAGE_DISTRIBUTION_KEYS, ZK_KEYS } from './schema.js';

/** A problem without a file position; `path` uses the YAML key names. */
export interface TopologyIssue {
  readonly path: string;
  readonly message: string;
}

/** Every rule that does not need the YAML: also for topologies built in code or by immer overrides. */
export function validateTopology(topology: Topology): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const issue = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  if (topology.name.trim() === '') issue('name', 'expected a non-empty name');
  validateZk(topology.zk, issue);
  for (const linkClass of LINK_CLASSES) {
    validateLatency(topology.latency[linkClass], `latency.${linkClass}`, issue);
  }
  for (const key of STORAGE_DISTRIBUTION_KEYS) validateLatency(topology.storage[key], `storage.${key}`, issue);
  let storageOk = true;
  for (const key of ['snapshotMB', 'txnBytes', 'bandwidthMbps'] as const) {
    const v = topology.storage[key];
    if (!Number.isFinite(v) || v <= 0) {
      issue(`storage.${key}`, `expected a positive number, found ${v}`);
      storageOk = false;
    }
  }
  if (storageOk) validateStorageLimits(topology.storage, issue);
  validateProcess(topology.process, issue);
  validateServers(topology, issue);
  return issues;
}

/** The process timings (lead's section, issue 13): each distribution as a latency, each rate positive. */
function validateProcess(p: Topology['process'], issue: Issue): void {
  for (const key of PROCESS_DISTRIBUTION_KEYS) validateLatency(p[key], `process.${key}`, issue);
  for (const key of PROCESS_RATE_KEYS) {
    const v = p[key];
    if (v === undefined && key === 'coresPerHost') continue;
    if (v === undefined || !Number.isFinite(v) || v <= 0) issue(`process.${key}`, `expected a positive number, found ${v}`);
  }
}

/** Sizes the engine can move: the snapshot and a transaction, and a snapshot transfer within a day (config/limits.ts). */
function validateStorageLimits(storage: Topology['storage'], issue: Issue): void {
  const { snapshotMB, txnBytes, bandwidthMbps } = storage;
  if (snapshotMB > MAX_SNAPSHOT_MB) issue('storage.snapshotMB', `expected at most ${MAX_SNAPSHOT_MB} (1 TiB; ZooKeeper holds the data tree in memory), found ${snapshotMB}`);
  if (txnBytes > MAX_TXN_BYTES) issue('storage.txnBytes', `expected at most ${MAX_TXN_BYTES} (1 MiB, ZooKeeper's jute.maxbuffer default), found ${txnBytes}`);
  if (snapshotMB > MAX_SNAPSHOT_MB || txnBytes > MAX_TXN_BYTES) return;
  // bits / (Mbit/s) = µs, as the network and the disk compute it
  const transferUs = (snapshotMB * 1024 * 1024 * 8) / bandwidthMbps;
  if (!(transferUs <= MAX_TRANSFER_US)) {
    issue(
      'storage.bandwidthMbps',
      `expected a bandwidth that moves the ${snapshotMB} MB snapshot within ${MAX_TIMEOUT_TEXT} (at least ${minBandwidth(snapshotMB)} Mbit/s), found ${bandwidthMbps} (${(transferUs / MAX_TRANSFER_US).toPrecision(3)} days)`,
    );
  }
}

function minBandwidth(snapshotMB: number): string {
  return ((snapshotMB * 1024 * 1024 * 8) / MAX_TRANSFER_US).toPrecision(3);
}

type Issue = (path: string, message: string) => void;

function validateZk(zk: ZkSettings, issue: Issue): void {
  let ok = true;
  for (const [yamlKey, field, minimum] of ZK_KEYS) {
    // Times are held in µs and written in whole ms: check (and report) them in the file's unit.
    const isTime = field.endsWith('Us');
    const value = isTime ? ms(zk[field]) : zk[field];
    if (!Number.isSafeInteger(value) || value < minimum) {
      const expected = minimum === 0 ? 'a non-negative integer' : 'a positive integer';
      issue(`zookeeper.${yamlKey}`, `expected ${expected}, found ${value}`);
      ok = false;
    } else if (isTime && zk[field] > MAX_TIMEOUT_US) {
      issue(`zookeeper.${yamlKey}`, `expected at most ${MAX_TIMEOUT_TEXT} (${ms(MAX_TIMEOUT_US)} ms), found ${value} ms`);
      ok = false;
    }
  }
  if (!ok) return;
  const [minSession, maxSession] = sessionTimeoutBoundsUs(zk);
  if (minSession > maxSession) {
    // QuorumPeerConfig.parseProperties: "minSessionTimeout must not be larger than maxSessionTimeout"
    issue('zookeeper.minSessionTimeout', `expected minSessionTimeout ≤ maxSessionTimeout, found ${ms(minSession)} ms > ${ms(maxSession)} ms (an unset one is 2 or 20 × tickTime)`);
  }
  if (zk.initialZxid > MAX_INITIAL_ZXID) {
    issue('zookeeper.initialZxid', `expected at most ${MAX_INITIAL_ZXID} (0xffffffff: the low 32 bits of a zxid, under the epoch), found ${zk.initialZxid}`);
  }
  // The session and sync timeouts are products: each must fit the same bound.
  for (const key of ['initLimit', 'syncLimit', 'connectToLearnerMasterLimit'] as const) {
    const us = zk.tickTimeUs * zk[key];
    if (us > MAX_TIMEOUT_US) {
      issue(`zookeeper.${key}`, `expected tickTime × ${key} at most ${MAX_TIMEOUT_TEXT} (${ms(MAX_TIMEOUT_US)} ms), found ${ms(zk.tickTimeUs)} ms × ${zk[key]} = ${ms(us)} ms`);
    }
  }
}

/** µs → the ms a topology file writes, for messages. */
function ms(us: number): number {
  return us / US_PER_MS;
}

/** A latency or fsync distribution (in µs; messages speak the file's ms). */
export function validateLatency(spec: Distribution, path: string, issue: Issue): void {
  let ok = true;
  const checked: Issue = (p, m) => {
    ok = false;
    issue(p, m);
  };
  validateLatencySigns(spec, path, checked);
  if (ok) validateDelayLimits(spec, path, issue);
}

function validateLatencySigns(spec: Distribution, path: string, issue: Issue): void {
  const positive = (key: string, value: number, unit = 1): void => {
    if (!(Number.isFinite(value) && value > 0)) issue(`${path}.${key}`, `expected a positive finite value, found ${value / unit}`);
  };
  const nonNegative = (key: string, value: number, unit = 1): void => {
    if (!(Number.isFinite(value) && value >= 0)) issue(`${path}.${key}`, `expected a non-negative finite value, found ${value / unit}`);
  };
  switch (spec.dist) {
    case 'constant':
      nonNegative('value', spec.value, US_PER_MS);
      return;
    case 'uniform':
      nonNegative('min', spec.min, US_PER_MS);
      positive('max', spec.max, US_PER_MS);
      if (spec.min > spec.max) issue(`${path}.max`, `expected max ≥ min (${ms(spec.min)} ms), found ${ms(spec.max)} ms`);
      return;
    case 'exponential':
      positive('mean', spec.mean, US_PER_MS);
      return;
    case 'normal':
      positive('mean', spec.mean, US_PER_MS);
      nonNegative('stddev', spec.stddev, US_PER_MS);
      return;
    case 'lognormal':
      positive('median', spec.median, US_PER_MS);
      positive('sigma', spec.sigma);
      return;
    case 'weibull':
      positive('scale', spec.scale, US_PER_MS);
      positive('shape', spec.shape);
      return;
  }
}

/**
 * What the engine can represent (config/limits.ts): sigma ≤ 3, shape ≥ 0.2, and a mean (and any
 * constant, uniform max or normal stddev) of at most a minute. Runs after the sign checks.
 */
function validateDelayLimits(spec: Distribution, path: string, issue: Issue): void {
  const limitMs = ms(MAX_DELAY_MEAN_US);
  const atMost = (key: string, valueUs: number, what: string): boolean => {
    if (valueUs <= MAX_DELAY_MEAN_US) return true;
    issue(`${path}.${key}`, `expected ${what} at most ${MAX_DELAY_MEAN_TEXT} (${limitMs} ms), found ${ms(valueUs)} ms`);
    return false;
  };
  switch (spec.dist) {
    case 'constant':
      atMost('value', spec.value, 'a delay');
      return;
    case 'uniform':
      atMost('max', spec.max, 'a delay');
      return;
    case 'normal':
      if (atMost('mean', spec.mean, 'a mean delay')) atMost('stddev', spec.stddev, 'a standard deviation');
      return;
    case 'exponential':
      atMost('mean', spec.mean, 'a mean delay');
      return;
    case 'lognormal':
      if (spec.sigma > MAX_SIGMA) {
        issue(`${path}.sigma`, `expected a sigma at most ${MAX_SIGMA} (the tail would outrun the simulated clock), found ${spec.sigma}`);
        return;
      }
      break;
    case 'weibull':
      if (spec.shape < MIN_WEIBULL_SHAPE) {
        issue(`${path}.shape`, `expected a shape at least ${MIN_WEIBULL_SHAPE} (the tail would outrun the simulated clock), found ${spec.shape}`);
        return;
      }
      break;
  }
  const meanUs = distributionMean(spec);
  if (!(meanUs <= MAX_DELAY_MEAN_US)) {
    const key = spec.dist === 'lognormal' ? 'median' : 'scale';
    issue(`${path}.${key}`, `expected a mean delay at most ${MAX_DELAY_MEAN_TEXT} (${limitMs} ms), found a mean of ${ms(meanUs).toPrecision(3)} ms`);
  }
}

function validateServers(topology: Topology, issue: Issue): void {
  const { servers, quorum } = topology;
  const firstIndexOfId = new Map<number, number>();
  const regionOfZone = new Map<string, { region: string; index: number }>();
  const placementOfHost = new Map<string, { rack: string; zone: string; index: number }>();
  servers.forEach((server, index) => {
    const at = `servers[${index}]`;
    // Placement is only compared for servers with a valid, unique id: a defaulted host
    // (`server-<id>`) of a duplicate would otherwise report the same mistake twice.
    let comparable = server.zone.trim() !== '';
    if (!Number.isSafeInteger(server.id) || server.id < 1) {
      issue(`${at}.id`, `expected a positive integer, found ${server.id}`);
      comparable = false;
    } else {
      const first = firstIndexOfId.get(server.id);
      if (first === undefined) firstIndexOfId.set(server.id, index);
      else {
        issue(`${at}.id`, `duplicate id ${server.id} (already used by servers[${first}])`);
        comparable = false;
      }
    }
    for (const key of ['zone', 'region', 'rack', 'host'] as const) {
      if (server[key].trim() === '') issue(`${at}.${key}`, `expected a non-empty ${key} name`);
    }
    if (server.role !== 'voter' && server.role !== 'observer') {
      issue(`${at}.role`, `expected voter or observer, found ${String(server.role)}`);
    }
    if (comparable) checkPlacement(server, index, regionOfZone, placementOfHost, issue);
    for (const key of SERVER_STORAGE_KEYS) {
      const own = server.storage?.[key];
      if (own !== undefined) validateLatency(own, `${at}.storage.${key}`, issue);
    }
    checkQuorumFields(server, at, quorum, issue);
  });
  const voters = servers.filter((s) => s.role === 'voter');
  if (voters.length > MAX_VOTERS) {
    issue('servers', `expected at most ${MAX_VOTERS} voters, found ${voters.length}: quorum checks enumerate voter subsets and leader election is all-to-all, so larger ensembles cannot be simulated in reasonable time (real ensembles rarely exceed ~11 voters; add observers instead)`);
  }
  if (servers.length > MAX_SERVERS) {
    issue('servers', `expected at most ${MAX_SERVERS} servers (voters and observers), found ${servers.length}`);
  }
  if (voters.length === 0) {
    issue('servers', `expected at least one voter, found ${servers.length === 0 ? 'no servers' : 'only observers'}`);
  } else if (!voters.some((s) => s.member !== false)) {
    issue('servers', 'expected at least one voter in the initial configuration, found every voter with member: false');
  } else if (quorum === 'hierarchical') {
    const groupWeight = new Map<number, number>();
    for (const v of voters) groupWeight.set(v.group, (groupWeight.get(v.group) ?? 0) + v.weight);
    if ([...groupWeight.values()].every((w) => w === 0)) {
      issue('servers', 'expected at least one group with non-zero total weight, found every group weighing 0');
    }
  }
}

function checkPlacement(
  server: ServerSpec,
  index: number,
  regionOfZone: Map<string, { region: string; index: number }>,
  placementOfHost: Map<string, { rack: string; zone: string; index: number }>,
  issue: Issue,
): void {
  const at = `servers[${index}]`;
  const zone = regionOfZone.get(server.zone);
  if (zone === undefined) regionOfZone.set(server.zone, { region: server.region, index });
  else if (zone.region !== server.region) {
    issue(`${at}.region`, `zone ${server.zone} is in region ${zone.region} (servers[${zone.index}]), found region ${server.region}`);
  }
  const host = placementOfHost.get(server.host);
  if (host === undefined) placementOfHost.set(server.host, { rack: server.rack, zone: server.zone, index });
  else if (host.zone !== server.zone || host.rack !== server.rack) {
    issue(
      `${at}.host`,
      `host ${server.host} is in zone ${host.zone}, rack ${host.rack} (servers[${host.index}]), found zone ${server.zone}, rack ${server.rack}`,
    );
  }
}

function checkQuorumFields(server: ServerSpec, at: string, quorum: Topology['quorum'], issue: Issue): void {
  if (server.role === 'observer') {
    if (server.group !== 0) issue(`${at}.group`, `observers do not vote and must not have a group, found group ${server.group}`);
    if (server.weight !== 1) issue(`${at}.weight`, `observers do not vote and must not have a weight, found weight ${server.weight}`);
    return;
  }
  if (quorum === 'majority') {
    if (server.group !== 0) issue(`${at}.group`, `group needs "quorum: hierarchical", found quorum: majority`);
    if (server.weight !== 1) issue(`${at}.weight`, `weight needs "quorum: hierarchical", found quorum: majority`);
    return;
  }
  if (!Number.isSafeInteger(server.group) || server.group < 1) {
    issue(`${at}.group`, `with quorum: hierarchical every voter needs a group ≥ 1, found ${server.group === 0 ? 'none' : server.group}`);
  }
  if (!Number.isSafeInteger(server.weight) || server.weight < 0) {
    issue(`${at}.weight`, `expected a non-negative integer, found ${server.weight}`);
  }
}

