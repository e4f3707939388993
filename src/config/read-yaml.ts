/** Reads a parsed YAML document into a TopologyInput, recording every error with its position. */
import { isMap, isScalar, isSeq } from 'yaml';
import { parseDurationUs } from '../model/duration.js';
import { scaleDistribution, type Distribution } from '../model/distribution.js';
import { US_PER_MS } from '../model/duration.js';
import type { LinkClass, LinkLatency, ProcessSettings, StorageSettings, Topology, ZkSettings } from '../model/topology.js';
import {
  DIMENSIONLESS_PARAMS,
  DISTRIBUTION_NAMES,
  DISTRIBUTION_PARAMS,
  LINK_CLASSES,
  PROCESS_DISTRIBUTION_KEYS,
  PROCESS_RATE_KEYS,
  SERVER_KEYS,
  SERVER_STORAGE_KEYS,
  STORAGE_DISTRIBUTION_KEYS,
  STORAGE_KEYS,
  TOP_KEYS,
  ZK_IGNORED_KEYS,
  ZK_KEYS,
  ZK_UNSUPPORTED_KEYS,
  type ServerInput,
  type TopologyInput,
} from './schema.js';
import { describe, durationHintOf, YamlReader } from './yaml-reader.js';

/** zoo.cfg's reconfiguration switches, booleans in the zookeeper section (model/topology.ts ReconfigSettings) */
const RECONFIG_KEYS = ['reconfigEnabled', 'standaloneEnabled'] as const;

export class TopologyReader extends YamlReader {
  /** what the zookeeper section set of RECONFIG_KEYS */
  private readonly reconfig: { -readonly [K in (typeof RECONFIG_KEYS)[number]]?: boolean } = {};
  /** A plain number (ms) or a duration string with a unit; returns milliseconds. */
  private timeMs(node: unknown, path: string): number | undefined {
    if (isScalar(node)) {
      if (typeof node.value === 'number' && Number.isFinite(node.value)) return node.value;
      if (typeof node.value === 'string') {
        const us = parseDurationUs(node.value);
        if (us !== null) return us / US_PER_MS;
      }
    }
    this.errorAt(path, node, `expected a duration such as 0.5ms or 2s (or a number of milliseconds), found ${describe(node)}${durationHintOf(node)}`);
    return undefined;
  }


  readTopology(root: unknown, defaultName: string): TopologyInput {
    const entries = this.entries(root, '', TOP_KEYS);
    let name = defaultName;
    let description: string | undefined;
    let zk: Partial<ZkSettings> | undefined;
    let latency: Partial<Record<LinkClass, Distribution>> | undefined;
    let linkLatency: LinkLatency[] | undefined;
    let storage: Partial<StorageSettings> | undefined;
    let process: Partial<ProcessSettings> | undefined;
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
        case 'latency': {
          const read = this.readLatency(value);
          latency = read.classes;
          linkLatency = read.links;
          break;
        }
        case 'storage':
          storage = this.readStorage(value);
          break;
        case 'process':
          process = this.readProcess(value);
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
      ...(linkLatency === undefined ? {} : { linkLatency }),
      ...(storage === undefined ? {} : { storage }),
      ...(process === undefined ? {} : { process }),
      ...(quorum === undefined ? {} : { quorum }),
      ...(Object.keys(this.reconfig).length === 0 ? {} : { reconfig: this.reconfig }),
    };
  }

  /**
   * `zookeeper:` — the keys the model uses (ZK_KEYS); the other 3.8 zoo.cfg keys are accepted and
   * dropped (ZK_IGNORED_KEYS, any scalar) or refused with the reason (ZK_UNSUPPORTED_KEYS).
   */
  private readZk(node: unknown): Partial<ZkSettings> {
    const used = [...ZK_KEYS.map(([k]) => k), ...RECONFIG_KEYS];
    const known = [...used, ...Object.keys(ZK_IGNORED_KEYS), ...Object.keys(ZK_UNSUPPORTED_KEYS)];
    const entries = this.entries(node, 'zookeeper', known, `one of ${used.join(', ')}, or another ZooKeeper 3.8 zoo.cfg key (the README lists them)`);
    const zk: { -readonly [K in keyof ZkSettings]?: number } = {};
    for (const { key, value } of entries ?? []) {
      const path = `zookeeper.${key}`;
      const field = ZK_KEYS.find(([k]) => k === key)?.[1];
      const unsupported = ZK_UNSUPPORTED_KEYS[key];
      if (unsupported !== undefined) this.errorAt(path, value, `zoo.cfg's ${key} is not modelled: ${unsupported}; leave it out`);
      else if (field === undefined && !isScalar(value)) this.errorAt(path, value, `expected a zoo.cfg value (a number, word or path), found ${describe(value)}`);
      if (RECONFIG_KEYS.includes(key as (typeof RECONFIG_KEYS)[number])) {
        const flag = this.boolean(value, path);
        if (flag !== undefined) this.reconfig[key as (typeof RECONFIG_KEYS)[number]] = flag;
      }
      if (field === undefined) continue;
      // Times are written in ms (or with a unit) and held in µs; validate.ts checks whole ms.
      const ms = field.endsWith('Us') ? this.timeMs(value, path) : undefined;
      const read = field.endsWith('Us') ? (ms === undefined ? undefined : ms * US_PER_MS) : this.integer(value, path);
      if (read !== undefined) zk[field] = read;
    }
    return zk;
  }

  /** `storage:` at the top (every key) or on a server (SERVER_STORAGE_KEYS: its disk's latencies). */
  private readStorage(node: unknown, at = 'storage', keys: readonly string[] = STORAGE_KEYS): Partial<StorageSettings> {
    return this.readSettings(node, at, keys, STORAGE_DISTRIBUTION_KEYS) as Partial<StorageSettings>;
  }

  private readProcess(node: unknown): Partial<ProcessSettings> {
    return this.readSettings(node, 'process', [...PROCESS_DISTRIBUTION_KEYS, ...PROCESS_RATE_KEYS], PROCESS_DISTRIBUTION_KEYS) as Partial<ProcessSettings>;
  }

  /** A section of `keys`: those in `distributions` are latency-like distributions, the rest positive numbers. */
  private readSettings(node: unknown, at: string, keys: readonly string[], distributions: readonly string[]): Record<string, Distribution | number> {
    const out: Record<string, Distribution | number> = {};
    for (const { key, value } of this.entries(node, at, keys) ?? []) {
      const path = `${at}.${key}`;
      if (distributions.includes(key)) {
        const spec = this.readDistribution(value, path);
        if (spec !== undefined) out[key] = spec;
      } else {
        const n = this.number(value, path);
        if (n === undefined) continue;
        if (n <= 0) this.errorAt(path, value, `expected a positive number, found ${n}`);
        else out[key] = n;
      }
    }
    return out;
  }


  /** `latency:` — a distribution per link class, and `links:`, the per-link overrides. */
  private readLatency(node: unknown): { classes: Partial<Record<LinkClass, Distribution>>; links?: LinkLatency[] } {
    const entries = this.entries(node, 'latency', [...LINK_CLASSES, 'links']);
    const classes: Partial<Record<LinkClass, Distribution>> = {};
    let links: LinkLatency[] | undefined;
    for (const { key, value } of entries ?? []) {
      if (key === 'links') {
        links = this.readLinks(value);
        continue;
      }
      const spec = this.readDistribution(value, `latency.${key}`);
      if (spec !== undefined) classes[key as LinkClass] = spec;
    }
    return links === undefined ? { classes } : { classes, links };
  }

  /** `latency.links:` — a list of `{ between: [id, id], oneWay: <distribution> }` (model/topology.ts LinkLatency). */
  private readLinks(node: unknown): LinkLatency[] {
    this.remember('latency.links', node);
    if (!isSeq(node)) {
      this.errorAt('latency.links', node, `expected a list of { between: [id, id], oneWay: <distribution> }, found ${describe(node)}`);
      return [];
    }
    const links: LinkLatency[] = [];
    node.items.forEach((item, i) => {
      const path = `latency.links[${i}]`;
      const entries = this.entries(item, path, ['between', 'oneWay']);
      if (entries === null || !this.requireKeys(item, path, entries, ['between', 'oneWay'])) return;
      const between = entries.find((e) => e.key === 'between')?.value;
      const ids = isSeq(between) && between.items.length === 2 ? between.items.map((id, j) => this.integer(id, `${path}.between[${j}]`)) : null;
      if (ids === null) this.errorAt(`${path}.between`, between, `expected two server ids, e.g. [1, 2], found ${describe(between)}`);
      const oneWay = this.readDistribution(entries.find((e) => e.key === 'oneWay')?.value, `${path}.oneWay`);
      const [a, b] = ids ?? [];
      if (a !== undefined && b !== undefined && oneWay !== undefined) links.push({ between: [a, b], oneWay });
    });
    return links;
  }

  /**
   * A latency or fsync distribution as the file writes it (times in ms, or durations with a unit;
   * `dist: constant` or its synonym `fixed`), returned in µs: the one ms → µs conversion of
   * topology distributions. Undefined after an error.
   */
  protected readDistribution(node: unknown, path: string): Distribution | undefined {
    // Read `dist` first: it decides which parameter keys are known.
    const distNode = isMap(node) ? node.get('dist', true) : undefined;
    const names = Object.keys(DISTRIBUTION_NAMES);
    let dist: Distribution['dist'] | undefined;
    if (isMap(node) && distNode === undefined) {
      this.errorAt(`${path}.dist`, node, `expected "dist" (one of ${names.join(', ')}), found none`);
    } else if (distNode !== undefined) {
      const name = this.oneOf(distNode, `${path}.dist`, names);
      dist = name === undefined ? undefined : DISTRIBUTION_NAMES[name];
    }
    const params = dist === undefined ? [...new Set(Object.values(DISTRIBUTION_PARAMS).flat())] : DISTRIBUTION_PARAMS[dist];
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
    const ms: Record<string, string | number> = { dist };
    for (const param of params) ms[param] = values.get(param) ?? Number.NaN; // canonical parameter order
    return scaleDistribution(ms as unknown as Distribution, US_PER_MS);
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
        case 'storage':
          rest.storage = this.readStorage(value, at, SERVER_STORAGE_KEYS);
          break;
        case 'member': {
          const member = this.boolean(value, at);
          if (member !== undefined) rest.member = member;
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
