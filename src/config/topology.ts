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
 *     connectToLearnerMasterLimit: 0   # ticks; 0 = initLimit (Learner.connectToLeader)
 *     initialZxid: 0              # zookeeper.testingonly.initialZxid: a new leader's first counter - 1
 *     minSessionTimeout: 0        # ms; 0 = 2 × tickTime (the workload's sessions are clamped into
 *     maxSessionTimeout: 0        # ms; 0 = 20 × tickTime   [min, max], ZooKeeperServer.processConnectRequest)
 *     # and the other 3.8 zoo.cfg keys, accepted and ignored (schema.ts ZK_IGNORED_KEYS), e.g.
 *     # dataDir, clientPort, maxClientCnxns, snapCount; leaderServes, forceSync, syncEnabled
 *     # (behaviour the model does not implement) are refused with the reason
 *   latency:                      # one-way delay per link class; optional, defaults = DEFAULT_LATENCY
 *     sameHost:    { dist: constant, value: 0.05ms }
 *     sameZone:    { dist: uniform, min: 0.1ms, max: 0.5ms }
 *     crossZone:   { dist: uniform, min: 0.5ms, max: 1.5ms }
 *     crossRegion: { dist: lognormal, median: 30ms, sigma: 0.2 }
 *     links:                      # optional per-link overrides of the class latency, both directions
 *       - { between: [1, 2], oneWay: { dist: constant, value: 5ms } }   # two distinct server ids,
 *                                 # each pair at most once (model/topology.ts LinkLatency)
 *   storage:                      # optional; defaults = DEFAULT_STORAGE (assumptions)
 *     fsync: { dist: lognormal, median: 1ms, sigma: 0.5 }   # one txn-log fsync
 *     fileReplace: { dist: lognormal, median: 1.7ms, sigma: 0.54 }  # atomic small-file replace with
 *                                 # fsync (epoch files); lab figures: schema.ts LAB_FSYNC, LAB_FILE_REPLACE
 *     snapshotMB: 10              # data tree size before any write
 *     txnBytes: 1024
 *     bandwidthMbps: 1000         # sync streams and snapshot transfer
 *   process:                      # optional; defaults = DEFAULT_PROCESS (jvmStart measured, the rest
 *                                 # assumptions or calibrated: see config/schema.ts)
 *     jvmStart: { dist: lognormal, median: 259ms, sigma: 0.15 }    # spawn → client port
 *     startLeaderElection: { dist: lognormal, median: 200ms, sigma: 0.15 } # client port → electing
 *     roleShutdown: { dist: lognormal, median: 3ms, sigma: 0.5 }    # leaving a role
 *     fleStart: { dist: lognormal, median: 3ms, sigma: 0.3 }        # lookForLeader prologue
 *     leaderSetup: { dist: lognormal, median: 10ms, sigma: 0.3 }    # makeLeader, port bound
 *     learnerSetup: { dist: lognormal, median: 2ms, sigma: 0.3 }    # makeFollower, connect
 *     exitClose: { dist: lognormal, median: 1ms, sigma: 0.5 }       # kill → sockets closed
 *     snapshotWriteMBps: 100      # takeSnapshot serialisation
 *     snapshotLoadMBps: 200       # database load at start
 *     txnReplayPerSec: 50000      # txn-log replay at start
 *     coresPerHost: 2             # optional: starts on one host share its CPUs (default: no sharing)
 *   quorum: majority              # or hierarchical (every voter then needs `group` ≥ 1)
 *   backup:                       # optional: off-site backups, the restore after a total loss
 *     snapshotEvery: 1h           # (config/backup.ts: every key, its default and its source;
 *     logShipEvery: 5m            #  scenario/backup.ts: what a restore does)
 *   servers:
 *     - { id: 1, zone: az1 }      # region "region1", host "server-<id>", rack "<zone>-<host>" (its own),
 *     - { id: 4, zone: az3, role: observer }   # role voter, weight 1, group 0 by default
 *     - { id: 2, zone: az1, storage: { fsync: { dist: lognormal, median: 20ms, sigma: 1 } } }
 *                                 # a server's own disk: fsync and fileReplace over `storage`'s
 *
 * Time values (zookeeper.* in ms, latency parameters) are either a duration string with a unit
 * (`0.5ms`, `2s`, see model/duration.ts) or a plain number meaning milliseconds; the resolved
 * Topology holds them in µs (`tickTimeUs`, model/distribution.ts `Distribution`), converted here
 * once (config/topology-json.ts converts back for the JSON contract). Dimensionless parameters
 * (lognormal `sigma`, weibull `shape`) are plain numbers. Latency distributions and their
 * parameters, as in experiment files: constant {value} (also spelled `fixed`), uniform {min, max},
 * exponential {mean}, normal {mean, stddev}, lognormal {median, sigma}, weibull {scale, shape}.
 *
 * Servers keep their file order. Even-sized and 2-voter ensembles are valid on purpose: users
 * compare them with odd ones.
 *
 * Limits (config/limits.ts, each error names the field and the limit): every ZooKeeper timeout,
 * tickTime × initLimit and tickTime × syncLimit included, at most 1 day; latency and fsync means
 * at most 1 minute, lognormal sigma ≤ 3, Weibull shape ≥ 0.2; snapshotMB ≤ 1 TiB, txnBytes ≤ 1 MiB,
 * a snapshot transfer within a day; at most 51 voters and 1000 servers in all.
 */
import { freeze } from 'immer';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { readBackupSection, validateBackup } from './backup.js';
import { readDrSection, validateDr } from './dr.js';
import type { ServerSpec, Topology } from '../model/topology.js';
import type { ConfigError } from './errors.js';
import { TopologyReader } from './read-yaml.js';
import { DEFAULT_LATENCY, DEFAULT_PROCESS, DEFAULT_QUORUM, DEFAULT_REGION, DEFAULT_STORAGE, DEFAULT_ZK_SETTINGS, type ServerInput, type TopologyInput } from './schema.js';
import { validateLatency, validateTopology as validateTopologyRules, type TopologyIssue } from './validate.js';

export {
  DEFAULT_LATENCY,
  DEFAULT_PROCESS,
  DEFAULT_QUORUM,
  DEFAULT_REGION,
  DEFAULT_STORAGE,
  DEFAULT_ZK_SETTINGS,
  LINK_CLASSES,
  type ServerInput,
  type TopologyInput,
} from './schema.js';
export type { TopologyIssue } from './validate.js';

/**
 * Characters a name may not contain: controls (NUL, ESC, …), format characters (bidirectional
 * overrides), private-use, unassigned code points and line separators. Names reach the terminal,
 * SVG/PNG charts and HTML: a NUL used to crash the PNG renderer, an ESC to drive the terminal.
 */
const NOT_PRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;
/** The same for free text (the description), which may also hold tabs and line breaks. */
const NOT_PRINTABLE_TEXT = /[^\P{C}\t\n]|[\p{Zl}\p{Zp}]/u;

function codePoint(c: string): string {
  return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * What is wrong with a name (or, with `freeText`, a description: tab and newline allowed), or
 * null: `expected …, found the non-printable character U+001B at position 3`.
 */
export function nonPrintableProblem(value: string, what: string, freeText = false): string | null {
  const bad = (freeText ? NOT_PRINTABLE_TEXT : NOT_PRINTABLE).exec(value);
  return bad ? `expected ${what}, found the non-printable character ${codePoint(bad[0])} at position ${bad.index + 1}` : null;
}

/** Names (topology, zone, region, rack, host) hold printable characters only; the description no control characters but tab and newline. */
export function validateNames(topology: Topology): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const check = (path: string, value: string, re: RegExp, what: string): void => {
    const problem = nonPrintableProblem(value, what, re === NOT_PRINTABLE_TEXT);
    if (problem !== null) issues.push({ path, message: problem });
  };
  check('name', topology.name, NOT_PRINTABLE, 'a name of printable characters only');
  check('description', topology.description, NOT_PRINTABLE_TEXT, 'text without control characters (tab and newline allowed)');
  topology.servers.forEach((s, i) => {
    for (const key of ['zone', 'region', 'rack', 'host'] as const) {
      // a defaulted rack (`<zone>-<host>`) is reported through its zone or host, not twice
      if (key === 'rack' && s.rack === `${s.zone}-${s.host}`) continue;
      check(`servers[${i}].${key}`, s[key], NOT_PRINTABLE, `a ${key} name of printable characters only`);
    }
  });
  return issues;
}

/**
 * Every rule that does not need the YAML (config/validate.ts) and the names' characters: for
 * topologies read from files, built in code or changed by --set overrides.
 */
export function validateTopology(topology: Topology): TopologyIssue[] {
  return [...validateTopologyRules(topology), ...validateNames(topology), ...validateLinkLatency(topology), ...validateBackup(topology), ...validateDr(topology)];
}

/** `latency.links`: two distinct servers of the topology, each pair once, a valid latency. */
export function validateLinkLatency(topology: Topology): TopologyIssue[] {
  const issues: TopologyIssue[] = [];
  const ids = new Set(topology.servers.map((s) => s.id));
  const seen = new Map<string, number>();
  (topology.linkLatency ?? []).forEach((link, i) => {
    const path = `latency.links[${i}]`;
    const [a, b] = link.between;
    link.between.forEach((id, j) => {
      if (!ids.has(id)) issues.push({ path: `${path}.between[${j}]`, message: `expected the id of a server in this topology (${[...ids].join(', ')}), found ${id}` });
    });
    if (a === b) issues.push({ path: `${path}.between`, message: `expected two different servers, found ${a} twice` });
    const pair = a < b ? `${a}-${b}` : `${b}-${a}`;
    const first = seen.get(pair);
    if (first !== undefined) issues.push({ path: `${path}.between`, message: `expected each link once: ${a}–${b} is already set by latency.links[${first}]` });
    else seen.set(pair, i);
    validateLatency(link.oneWay, `${path}.oneWay`, (p, m) => issues.push({ path: p, message: m }));
  });
  return issues;
}

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
    ...(input.storage === undefined ? {} : { storage: input.storage }),
    ...(input.member === false ? { member: false as const } : {}),
  };
}

/** Fills defaults and deep-freezes. Does not validate: see `validateTopology`. */
export function resolveTopology(input: TopologyInput): Topology {
  const topology: Topology = {
    name: input.name,
    description: input.description ?? '',
    servers: input.servers.map(resolveServer),
    latency: { ...DEFAULT_LATENCY, ...input.latency },
    ...(input.linkLatency !== undefined && input.linkLatency.length > 0 ? { linkLatency: input.linkLatency } : {}),
    zk: { ...DEFAULT_ZK_SETTINGS, ...input.zk },
    storage: { ...DEFAULT_STORAGE, ...input.storage },
    process: { ...DEFAULT_PROCESS, ...input.process },
    quorum: input.quorum ?? DEFAULT_QUORUM,
    ...(input.reconfig === undefined ? {} : { reconfig: { reconfigEnabled: input.reconfig.reconfigEnabled ?? true, standaloneEnabled: input.reconfig.standaloneEnabled ?? true } }),
    ...(input.backup === undefined ? {} : { backup: input.backup }),
    ...(input.dr === undefined ? {} : { dr: input.dr }),
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
    reader.syntaxErrors(doc.errors, text);
    return { ok: false, errors: reader.errors };
  }
  const read = reader.readTopology(doc.contents, basenameWithoutExtension(file));
  const backup = readBackupSection(isMap(doc.contents) ? doc.contents.get('backup', true) : undefined, file, lineCounter, reader.errors);
  const dr = readDrSection(isMap(doc.contents) ? doc.contents.get('dr', true) : undefined, file, lineCounter, reader.errors);
  const topology = resolveTopology({ ...read, ...(backup === undefined ? {} : { backup }), ...(dr === undefined ? {} : { dr }) });
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
