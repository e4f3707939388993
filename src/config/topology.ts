/**
 * Topology files: YAML → validated, defaulted, deeply frozen `Topology`.
 *
 * Schema (keys are camelCase; unknown keys are errors, with a "did you mean" when one is close):
 *
 *   name: n5-3az                  # optional; defaults to the file's basename without extension
 *   description: "5 voters ..."   # optional
 *   zookeeper:                    # optional; every key optional, defaults = DEFAULT_ZK_SETTINGS
 *     tickTime: 2000              # ms
 *     initLimit: 10               # ticks
 *     syncLimit: 5                # ticks
 *     cnxTimeout: 5000            # ms
 *     finalizeWait: 200           # ms
 *     maxNotificationInterval: 60000   # ms
 *     observerElectionDelay: 200       # ms
 *   latency:                      # one-way delay per link class; optional, defaults = DEFAULT_LATENCY
 *     sameHost:    { dist: constant, value: 0.05ms }
 *     sameZone:    { dist: uniform, min: 0.1ms, max: 0.5ms }
 *     crossZone:   { dist: uniform, min: 0.5ms, max: 1.5ms }
 *     crossRegion: { dist: lognormal, median: 30ms, sigma: 0.2 }
 *   storage:                      # optional; defaults = DEFAULT_STORAGE (assumptions)
 *     fsync: { dist: lognormal, median: 1ms, sigma: 0.5 }   # one txn-log fsync
 *     snapshotMB: 10              # data tree size before any write
 *     txnBytes: 1024
 *     bandwidthMbps: 1000         # sync streams and snapshot transfer
 *   quorum: majority              # or hierarchical (every voter then needs `group` ≥ 1)
 *   servers:
 *     - { id: 1, zone: az1 }      # region "region1", host "server-<id>", rack "<zone>-<host>" (its own),
 *     - { id: 4, zone: az3, role: observer }   # role voter, weight 1, group 0 by default
 *
 * Time values (zookeeper.* in ms, latency parameters) are either a duration string with a unit
 * (`0.5ms`, `2s`, see model/duration.ts) or a plain number meaning milliseconds. Dimensionless
 * parameters (lognormal `sigma`, weibull `shape`) are plain numbers. Latency distributions and
 * their parameters: constant {value}, uniform {min, max}, exponential {mean},
 * normal {mean, stddev}, lognormal {median, sigma}, weibull {scale, shape}.
 *
 * Servers keep their file order. Even-sized and 2-voter ensembles are valid on purpose: users
 * compare them with odd ones.
 */
import { freeze } from 'immer';
import { LineCounter, parseDocument } from 'yaml';
import type { ServerSpec, Topology } from '../model/topology.js';
import type { ConfigError } from './errors.js';
import { TopologyReader } from './read-yaml.js';
import { DEFAULT_LATENCY, DEFAULT_QUORUM, DEFAULT_REGION, DEFAULT_STORAGE, DEFAULT_ZK_SETTINGS, type ServerInput, type TopologyInput } from './schema.js';
import { validateTopology } from './validate.js';

export {
  DEFAULT_LATENCY,
  DEFAULT_QUORUM,
  DEFAULT_REGION,
  DEFAULT_STORAGE,
  DEFAULT_ZK_SETTINGS,
  LINK_CLASSES,
  type ServerInput,
  type TopologyInput,
} from './schema.js';
export { validateTopology, type TopologyIssue } from './validate.js';

/**
 * Defaults: host `server-<id>`; rack `<zone>-<host>`, a rack of the server's own (shared only by
 * servers stated on the same host), as every shipped topology places its servers — so a rack
 * outage takes one host down unless the file says which servers share a rack.
 */
export function resolveServer(input: ServerInput): ServerSpec {
  const host = input.host ?? `server-${input.id}`;
  return {
    id: input.id,
    zone: input.zone,
    region: input.region ?? DEFAULT_REGION,
    rack: input.rack ?? `${input.zone}-${host}`,
    host,
    role: input.role ?? 'voter',
    weight: input.weight ?? 1,
    group: input.group ?? 0,
  };
}

/** Fills defaults and deep-freezes. Does not validate: see `validateTopology`. */
export function resolveTopology(input: TopologyInput): Topology {
  const topology: Topology = {
    name: input.name,
    description: input.description ?? '',
    servers: input.servers.map(resolveServer),
    latency: { ...DEFAULT_LATENCY, ...input.latency },
    zk: { ...DEFAULT_ZK_SETTINGS, ...input.zk },
    storage: { ...DEFAULT_STORAGE, ...input.storage },
    quorum: input.quorum ?? DEFAULT_QUORUM,
  };
  return freeze(topology, true);
}

/** Zone names in order of first appearance. */
export function zonesOf(topology: Topology): string[] {
  return [...new Set(topology.servers.map((s) => s.zone))];
}

export type ParseTopologyResult =
  | { readonly ok: true; readonly topology: Topology }
  | { readonly ok: false; readonly errors: ConfigError[] };
/** `dir/n5-3az.yaml` → `n5-3az` */
export function basenameWithoutExtension(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

export function parseTopology(text: string, file: string): ParseTopologyResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const reader = new TopologyReader(file, lineCounter);
  if (doc.errors.length > 0) {
    for (const e of doc.errors) reader.errorAtOffset('', e.pos[0], e.message);
    return { ok: false, errors: reader.errors };
  }
  const input = reader.readTopology(doc.contents, basenameWithoutExtension(file));
  const topology = resolveTopology(input);
  for (const { path, message } of validateTopology(topology)) {
    if (!reader.hasErrorAtOrAbove(path)) reader.errorAtPath(path, message);
  }
  if (reader.errors.length > 0) return { ok: false, errors: sortByPosition(reader.errors) };
  return { ok: true, topology };
}

function sortByPosition(errors: ConfigError[]): ConfigError[] {
  const key = (e: ConfigError): number => (e.line ?? Number.MAX_SAFE_INTEGER) * 1e6 + (e.column ?? 0);
  return errors.map((e, i) => ({ e, i })).sort((a, b) => key(a.e) - key(b.e) || a.i - b.i).map(({ e }) => e);
}
