/** Semantic checks on a resolved Topology (no positions: parseTopology adds them). */
import type { LatencySpec, ServerSpec, Topology, ZkSettings } from '../model/topology.js';
import { LINK_CLASSES, ZK_KEYS } from './schema.js';

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
  validateLatency(topology.storage.fsync, 'storage.fsync', issue);
  for (const key of ['snapshotMB', 'txnBytes', 'bandwidthMbps'] as const) {
    const v = topology.storage[key];
    if (!Number.isFinite(v) || v <= 0) issue(`storage.${key}`, `expected a positive number, found ${v}`);
  }
  validateServers(topology, issue);
  return issues;
}

type Issue = (path: string, message: string) => void;

function validateZk(zk: ZkSettings, issue: Issue): void {
  for (const [yamlKey, field, minimum] of ZK_KEYS) {
    const value = zk[field];
    if (!Number.isSafeInteger(value) || value < minimum) {
      const expected = minimum === 0 ? 'a non-negative integer' : 'a positive integer';
      issue(`zookeeper.${yamlKey}`, `expected ${expected}, found ${value}`);
    }
  }
}

function validateLatency(spec: LatencySpec, path: string, issue: Issue): void {
  const positive = (key: string, value: number): void => {
    if (!(Number.isFinite(value) && value > 0)) issue(`${path}.${key}`, `expected a positive finite value, found ${value}`);
  };
  const nonNegative = (key: string, value: number): void => {
    if (!(Number.isFinite(value) && value >= 0)) issue(`${path}.${key}`, `expected a non-negative finite value, found ${value}`);
  };
  switch (spec.dist) {
    case 'constant':
      nonNegative('value', spec.valueMs);
      return;
    case 'uniform':
      nonNegative('min', spec.minMs);
      positive('max', spec.maxMs);
      if (spec.minMs > spec.maxMs) issue(`${path}.max`, `expected max ≥ min (${spec.minMs} ms), found ${spec.maxMs} ms`);
      return;
    case 'exponential':
      positive('mean', spec.meanMs);
      return;
    case 'normal':
      positive('mean', spec.meanMs);
      nonNegative('stddev', spec.stddevMs);
      return;
    case 'lognormal':
      positive('median', spec.medianMs);
      positive('sigma', spec.sigma);
      return;
    case 'weibull':
      positive('scale', spec.scaleMs);
      positive('shape', spec.shape);
      return;
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
    checkQuorumFields(server, at, quorum, issue);
  });
  const voters = servers.filter((s) => s.role === 'voter');
  if (voters.length === 0) {
    issue('servers', `expected at least one voter, found ${servers.length === 0 ? 'no servers' : 'only observers'}`);
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
      `host ${server.host} is in ${host.zone}/${host.rack} (servers[${host.index}]), found ${server.zone}/${server.rack}`,
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

