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
 *   quorum: majority              # or hierarchical (every voter then needs `group` ≥ 1)
 *   servers:
 *     - { id: 1, zone: az1 }      # region "region1", rack "<zone>-r1", host "server-<id>",
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
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parseDurationUs } from '../model/duration.js';
import type { ServerId, ServerRole } from '../model/ids.js';
import type { LatencySpec, LinkClass, ServerSpec, Topology, ZkSettings } from '../model/topology.js';
import type { ConfigError } from './errors.js';
import { didYouMean } from './suggest.js';

// ---------------------------------------------------------------------------------------------
// Defaults

/** zoo_sample.cfg values for tickTime/initLimit/syncLimit; 3.8 code defaults for the rest. */
export const DEFAULT_ZK_SETTINGS: ZkSettings = freeze(
  {
    tickTimeMs: 2000,
    initLimit: 10,
    syncLimit: 5,
    cnxTimeoutMs: 5000,
    finalizeWaitMs: 200,
    maxNotificationIntervalMs: 60_000,
    observerElectionDelayMs: 200,
  },
  true,
);

/**
 * LAN one-way delay 0.1–0.5 ms (zab-facts §9). Cross-zone 0.5–1.5 ms and cross-region 30 ms are
 * assumptions (typical cloud AZ-to-AZ and intra-continent figures), not measurements.
 */
export const DEFAULT_LATENCY: Readonly<Record<LinkClass, LatencySpec>> = freeze(
  {
    sameHost: { dist: 'constant', valueMs: 0.05 },
    sameZone: { dist: 'uniform', minMs: 0.1, maxMs: 0.5 },
    crossZone: { dist: 'uniform', minMs: 0.5, maxMs: 1.5 },
    crossRegion: { dist: 'lognormal', medianMs: 30, sigma: 0.2 },
  },
  true,
);

export const DEFAULT_REGION = 'region1';
export const DEFAULT_QUORUM: Topology['quorum'] = 'majority';
export const LINK_CLASSES: readonly LinkClass[] = ['sameHost', 'sameZone', 'crossZone', 'crossRegion'];

// ---------------------------------------------------------------------------------------------
// Programmatic input and resolution

export interface ServerInput {
  readonly id: ServerId;
  readonly zone: string;
  readonly region?: string;
  readonly rack?: string;
  readonly host?: string;
  readonly role?: ServerRole;
  readonly weight?: number;
  readonly group?: number;
}

/** A topology with every optional part left out; `resolveTopology` fills the defaults. */
export interface TopologyInput {
  readonly name: string;
  readonly description?: string;
  readonly zk?: Partial<ZkSettings>;
  readonly latency?: Partial<Record<LinkClass, LatencySpec>>;
  readonly quorum?: Topology['quorum'];
  readonly servers: readonly ServerInput[];
}

export function resolveServer(input: ServerInput): ServerSpec {
  return {
    id: input.id,
    zone: input.zone,
    region: input.region ?? DEFAULT_REGION,
    rack: input.rack ?? `${input.zone}-r1`,
    host: input.host ?? `server-${input.id}`,
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
    quorum: input.quorum ?? DEFAULT_QUORUM,
  };
  return freeze(topology, true);
}

/** Zone names in order of first appearance. */
export function zonesOf(topology: Topology): string[] {
  return [...new Set(topology.servers.map((s) => s.zone))];
}

// ---------------------------------------------------------------------------------------------
// Semantic validation (works on any Topology, e.g. one produced by an immer override)

/** A problem without a file position; `path` uses the YAML key names. */
export interface TopologyIssue {
  readonly path: string;
  readonly message: string;
}

const ZK_KEYS: readonly (readonly [yamlKey: string, field: keyof ZkSettings, minimum: number])[] = [
  ['tickTime', 'tickTimeMs', 1],
  ['initLimit', 'initLimit', 1],
  ['syncLimit', 'syncLimit', 1],
  ['cnxTimeout', 'cnxTimeoutMs', 1],
  ['finalizeWait', 'finalizeWaitMs', 1],
  ['maxNotificationInterval', 'maxNotificationIntervalMs', 1],
  ['observerElectionDelay', 'observerElectionDelayMs', 0],
];

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

// ---------------------------------------------------------------------------------------------
// YAML reading with positions

export type ParseTopologyResult =
  | { readonly ok: true; readonly topology: Topology }
  | { readonly ok: false; readonly errors: ConfigError[] };

const TOP_KEYS = ['name', 'description', 'zookeeper', 'latency', 'quorum', 'servers'] as const;
const SERVER_KEYS = ['id', 'zone', 'region', 'rack', 'host', 'role', 'weight', 'group'] as const;
const DIST_PARAMS: Readonly<Record<LatencySpec['dist'], readonly string[]>> = {
  constant: ['value'],
  uniform: ['min', 'max'],
  exponential: ['mean'],
  normal: ['mean', 'stddev'],
  lognormal: ['median', 'sigma'],
  weibull: ['scale', 'shape'],
};
const DIMENSIONLESS_PARAMS: ReadonlySet<string> = new Set(['sigma', 'shape']);

/** `dir/n5-3az.yaml` → `n5-3az` */
export function basenameWithoutExtension(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

export function parseTopology(text: string, file: string): ParseTopologyResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const reader = new Reader(file, lineCounter);
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

function describe(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    if (typeof v === 'string') return `"${v}"`;
    return `${typeof v} ${String(v)}`;
  }
  return 'an alias or unsupported node';
}

interface Entry {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: unknown;
}

class Reader {
  readonly errors: ConfigError[] = [];
  /** YAML node of every path we read, to place semantic errors */
  private readonly nodes = new Map<string, Node>();
  private readonly errorPaths: string[] = [];

  constructor(
    private readonly file: string,
    private readonly lineCounter: LineCounter,
  ) {}

  errorAtOffset(path: string, offset: number | undefined, message: string): void {
    const error: { -readonly [K in keyof ConfigError]: ConfigError[K] } = { file: this.file, path, message };
    if (offset !== undefined) {
      const { line, col } = this.lineCounter.linePos(offset);
      error.line = line === 0 ? 1 : line;
      error.column = line === 0 ? col + 1 : col;
    }
    this.errors.push(error);
    this.errorPaths.push(path);
  }

  /** At the node; a missing value (`key:` with nothing after it) is reported at its key. */
  errorAt(path: string, node: unknown, message: string): void {
    const empty = node === null || node === undefined || (isScalar(node) && node.value === null);
    this.errorAtOffset(path, offsetOf(empty ? (this.nodes.get(path) ?? node) : node), message);
  }

  /** Semantic errors: placed at the node of the path, or of its nearest ancestor that exists. */
  errorAtPath(path: string, message: string): void {
    let probe = path;
    for (;;) {
      const node = this.nodes.get(probe);
      if (node !== undefined || probe === '') {
        this.errorAt(path, node, message);
        return;
      }
      probe = parentPath(probe);
    }
  }

  /** True when a reading error already covers this path or an ancestor (avoid double reports). */
  hasErrorAtOrAbove(path: string): boolean {
    return this.errorPaths.some((p) => p === '' || p === path || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
  }

  private remember(path: string, node: unknown): void {
    if (isNode(node) && !(isScalar(node) && node.value === null)) this.nodes.set(path, node);
  }

  /** The entries of a mapping, reporting unknown keys; null (after an error) when not a mapping. */
  private entries(node: unknown, path: string, known: readonly string[]): Entry[] | null {
    this.remember(path, node);
    if (!isMap(node)) {
      this.errorAt(path, node, `expected a mapping, found ${describe(node)}`);
      return null;
    }
    const out: Entry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key;
      const keyPath = join(path, '?');
      if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
        this.errorAt(keyPath, keyNode, `expected a key name, found ${describe(keyNode)}`);
        continue;
      }
      const key = keyNode.value;
      if (!known.includes(key)) {
        this.errorAt(join(path, key), keyNode, `unknown key "${key}"${didYouMean(key, known)}; expected one of ${known.join(', ')}`);
        continue;
      }
      const value: unknown = pair.value;
      out.push({ key, keyNode, value });
      const empty = !isNode(value) || (isScalar(value) && value.value === null);
      this.remember(join(path, key), empty ? keyNode : value);
    }
    return out;
  }

  private string(node: unknown, path: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    this.errorAt(path, node, `expected a string, found ${describe(node)}`);
    return undefined;
  }

  private integer(node: unknown, path: string): number | undefined {
    if (isScalar(node) && typeof node.value === 'number' && Number.isSafeInteger(node.value)) return node.value;
    this.errorAt(path, node, `expected an integer, found ${describe(node)}`);
    return undefined;
  }

  private number(node: unknown, path: string): number | undefined {
    if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value)) return node.value;
    this.errorAt(path, node, `expected a number, found ${describe(node)}`);
    return undefined;
  }

  /** A plain number (ms) or a duration string with a unit; returns milliseconds. */
  private timeMs(node: unknown, path: string): number | undefined {
    if (isScalar(node)) {
      if (typeof node.value === 'number' && Number.isFinite(node.value)) return node.value;
      if (typeof node.value === 'string') {
        const us = parseDurationUs(node.value);
        if (us !== null) return us / 1000;
      }
    }
    this.errorAt(path, node, `expected a duration such as 0.5ms or 2s (or a number of milliseconds), found ${describe(node)}`);
    return undefined;
  }

  private oneOf<T extends string>(node: unknown, path: string, choices: readonly T[]): T | undefined {
    if (isScalar(node) && typeof node.value === 'string' && (choices as readonly string[]).includes(node.value)) {
      return node.value as T;
    }
    const hint = isScalar(node) && typeof node.value === 'string' ? didYouMean(node.value, choices) : '';
    this.errorAt(path, node, `expected one of ${choices.join(', ')}, found ${describe(node)}${hint}`);
    return undefined;
  }

  readTopology(root: unknown, defaultName: string): TopologyInput {
    const entries = this.entries(root, '', TOP_KEYS);
    let name = defaultName;
    let description: string | undefined;
    let zk: Partial<ZkSettings> | undefined;
    let latency: Partial<Record<LinkClass, LatencySpec>> | undefined;
    let quorum: Topology['quorum'] | undefined;
    let servers: ServerInput[] = [];
    let serversNode: unknown;
    let quorumInvalid = false;
    for (const { key, value } of entries ?? []) {
      switch (key) {
        case 'name':
          name = this.string(value, 'name') ?? defaultName;
          break;
        case 'description':
          description = this.string(value, 'description');
          break;
        case 'zookeeper':
          zk = this.readZk(value);
          break;
        case 'latency':
          latency = this.readLatency(value);
          break;
        case 'quorum':
          quorum = this.oneOf(value, 'quorum', ['majority', 'hierarchical'] as const);
          quorumInvalid = quorum === undefined;
          break;
        case 'servers':
          serversNode = value;
          servers = this.readServers(value);
          break;
      }
    }
    if (entries !== null && serversNode === undefined) {
      this.errorAt('servers', root, 'expected a "servers" list, found none');
    }
    // After a bad `quorum`, guess the intent so the group/weight checks do not pile up noise.
    if (quorumInvalid && servers.some((s) => s.group !== undefined)) quorum = 'hierarchical';
    return {
      name,
      servers,
      ...(description === undefined ? {} : { description }),
      ...(zk === undefined ? {} : { zk }),
      ...(latency === undefined ? {} : { latency }),
      ...(quorum === undefined ? {} : { quorum }),
    };
  }

  private readZk(node: unknown): Partial<ZkSettings> {
    const entries = this.entries(node, 'zookeeper', ZK_KEYS.map(([k]) => k));
    const zk: { -readonly [K in keyof ZkSettings]?: number } = {};
    for (const { key, value } of entries ?? []) {
      const path = `zookeeper.${key}`;
      const field = ZK_KEYS.find(([k]) => k === key)?.[1];
      if (field === undefined) continue;
      const read = field.endsWith('Ms') ? this.timeMs(value, path) : this.integer(value, path);
      if (read !== undefined) zk[field] = read;
    }
    return zk;
  }

  private readLatency(node: unknown): Partial<Record<LinkClass, LatencySpec>> {
    const entries = this.entries(node, 'latency', LINK_CLASSES);
    const latency: Partial<Record<LinkClass, LatencySpec>> = {};
    for (const { key, value } of entries ?? []) {
      const spec = this.readLatencySpec(value, `latency.${key}`);
      if (spec !== undefined) latency[key as LinkClass] = spec;
    }
    return latency;
  }

  private readLatencySpec(node: unknown, path: string): LatencySpec | undefined {
    // Read `dist` first: it decides which parameter keys are known.
    const distNode = isMap(node) ? node.get('dist', true) : undefined;
    const dists = Object.keys(DIST_PARAMS) as LatencySpec['dist'][];
    let dist: LatencySpec['dist'] | undefined;
    if (isMap(node) && distNode === undefined) {
      this.errorAt(`${path}.dist`, node, `expected "dist" (one of ${dists.join(', ')}), found none`);
    } else if (distNode !== undefined) {
      dist = this.oneOf(distNode, `${path}.dist`, dists);
    }
    const params = dist === undefined ? [...new Set(Object.values(DIST_PARAMS).flat())] : DIST_PARAMS[dist];
    const entries = this.entries(node, path, ['dist', ...params]);
    if (entries === null || dist === undefined) return undefined;
    const values = new Map<string, number>();
    for (const { key, value } of entries) {
      if (key === 'dist') continue;
      const read = DIMENSIONLESS_PARAMS.has(key) ? this.number(value, `${path}.${key}`) : this.timeMs(value, `${path}.${key}`);
      if (read !== undefined) values.set(key, read);
    }
    let complete = true;
    for (const param of params) {
      if (!entries.some((e) => e.key === param)) {
        this.errorAt(`${path}.${param}`, node, `expected "${param}" for dist ${dist}, found none`);
        complete = false;
      } else if (!values.has(param)) complete = false;
    }
    if (!complete) return undefined;
    const v = (k: string): number => values.get(k) ?? Number.NaN;
    switch (dist) {
      case 'constant':
        return { dist, valueMs: v('value') };
      case 'uniform':
        return { dist, minMs: v('min'), maxMs: v('max') };
      case 'exponential':
        return { dist, meanMs: v('mean') };
      case 'normal':
        return { dist, meanMs: v('mean'), stddevMs: v('stddev') };
      case 'lognormal':
        return { dist, medianMs: v('median'), sigma: v('sigma') };
      case 'weibull':
        return { dist, scaleMs: v('scale'), shape: v('shape') };
    }
  }

  private readServers(node: unknown): ServerInput[] {
    this.remember('servers', node);
    if (!isSeq(node)) {
      this.errorAt('servers', node, `expected a list of servers, found ${describe(node)}`);
      return [];
    }
    return node.items.map((item, index) => this.readServer(item, `servers[${index}]`));
  }

  private readServer(node: unknown, path: string): ServerInput {
    const entries = this.entries(node, path, SERVER_KEYS);
    // Placeholders (NaN id, empty zone) keep indices aligned; their semantic errors are muted.
    let id = Number.NaN;
    let zone = '';
    const rest: { -readonly [K in keyof ServerInput]?: ServerInput[K] } = {};
    for (const { key, value } of entries ?? []) {
      const at = `${path}.${key}`;
      switch (key) {
        case 'id':
          id = this.integer(value, at) ?? Number.NaN;
          break;
        case 'zone':
          zone = this.string(value, at) ?? '';
          break;
        case 'region':
        case 'rack':
        case 'host': {
          const text = this.string(value, at);
          if (text !== undefined) rest[key] = text;
          break;
        }
        case 'role': {
          const role = this.oneOf(value, at, ['voter', 'observer'] as const);
          if (role !== undefined) rest.role = role;
          break;
        }
        case 'weight':
        case 'group': {
          const n = this.integer(value, at);
          if (n !== undefined) rest[key] = n;
          break;
        }
      }
    }
    if (entries !== null) {
      for (const required of ['id', 'zone'] as const) {
        if (!entries.some((e) => e.key === required)) this.errorAt(`${path}.${required}`, node, `expected "${required}", found none`);
      }
    }
    return { ...rest, id, zone };
  }
}

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value);
}

function offsetOf(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** `servers[2].zone` → `servers[2]` → `servers` → `` */
function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}
