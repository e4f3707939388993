/** Reads a parsed YAML document into a TopologyInput, recording every error with its position. */
import { isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import { parseDurationUs } from '../model/duration.js';
import type { LatencySpec, LinkClass, StorageSettings, Topology, ZkSettings } from '../model/topology.js';
import type { ConfigError } from './errors.js';
import {
  DIMENSIONLESS_PARAMS,
  DIST_PARAMS,
  LINK_CLASSES,
  SERVER_KEYS,
  STORAGE_KEYS,
  TOP_KEYS,
  ZK_KEYS,
  type ServerInput,
  type TopologyInput,
} from './schema.js';
import { didYouMean } from './suggest.js';

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

export class TopologyReader {
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
    let storage: Partial<StorageSettings> | undefined;
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
        case 'storage':
          storage = this.readStorage(value);
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
      ...(storage === undefined ? {} : { storage }),
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

  private readStorage(node: unknown): Partial<StorageSettings> {
    const entries = this.entries(node, 'storage', STORAGE_KEYS);
    const storage: { -readonly [K in keyof StorageSettings]?: StorageSettings[K] } = {};
    for (const { key, value } of entries ?? []) {
      const path = `storage.${key}`;
      if (key === 'fsync') {
        const spec = this.readLatencySpec(value, path);
        if (spec !== undefined) storage.fsync = spec;
      } else {
        const n = this.number(value, path);
        if (n === undefined) continue;
        if (n <= 0) this.errorAt(path, value, `expected a positive number, found ${n}`);
        else storage[key as 'snapshotMB' | 'txnBytes' | 'bandwidthMbps'] = n;
      }
    }
    return storage;
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
