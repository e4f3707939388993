/**
 * Reads a parsed YAML document into an `Experiment`, recording every error with its position.
 *
 * Error placement, unknown keys and scalar reads come from YamlReader, shared with the topology
 * reader.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Distribution } from '../model/distribution.js';
import { parseDurationUs } from '../model/duration.js';
import {
  DOMAIN_LEVELS,
  FAILURE_PROCESSES,
  MAINTENANCE_ORDERS,
  type Bursts,
  type DiskLoss,
  type DomainOutages,
  type Experiment,
  type FailureModel,
  type HostFailures,
  type ProcessRestarts,
  type RollingMaintenance,
  type Pauses,
  type ZonePartitions,
} from '../model/experiment.js';
import { DIMENSIONLESS_DIST_PARAMS, EXPERIMENT_DIST_NAMES, EXPERIMENT_DIST_PARAMS } from './experiment-validate.js';
import { describe, durationHintOf, YamlReader } from './yaml-reader.js';

export const EXPERIMENT_KEYS = ['name', 'description', 'runs', 'horizon', 'seed', 'failures', 'workload'] as const;
/** The keys under `failures:` are the failure processes, in their sampling order. */
export const FAILURE_KEYS = FAILURE_PROCESSES;

const US_PER_YEAR = 365 * 24 * 3600 * 1_000_000;
/** `bursts.window` when absent: Ford et al. group failures within 120 s into one burst. */
export const DEFAULT_BURST_WINDOW_US = 120_000_000;

export const DEFAULT_EXPERIMENT: Omit<Experiment, 'name'> = {
  description: '',
  runs: 1000,
  horizonUs: US_PER_YEAR,
  seed: 1,
  failures: {
    processRestarts: null,
    hostFailures: null,
    diskLoss: null,
    domainOutages: [],
    bursts: null,
    zonePartitions: null,
    rollingMaintenance: null,
    pauses: null,
  },
  workload: null,
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Stands in for a distribution that failed to parse (the parse fails anyway; it never escapes). */
const PLACEHOLDER: Distribution = { dist: 'constant', value: 1 };



export class ExperimentReader extends YamlReader {
  protected durationUs(node: unknown, path: string): number | undefined {
    if (isScalar(node) && typeof node.value === 'string') {
      const us = parseDurationUs(node.value);
      if (us !== null) return us;
    }
    // A number lacks its unit; a duration-shaped string was too long (naming the 285-year limit) or too fine.
    const hint = isScalar(node) && typeof node.value === 'number' ? ' (add a unit: us, ms, s, m, h, d, w or y)' : durationHintOf(node);
    this.errorAt(path, node, `expected a duration with a unit such as 90s, 2h or 30d, found ${describe(node)}${hint}`);
    return undefined;
  }
  readExperiment(root: unknown, defaultName: string): Experiment {
    const e: Mutable<Experiment> = { name: defaultName, ...DEFAULT_EXPERIMENT };
    const entries = this.entries(root, '', EXPERIMENT_KEYS);
    for (const { key, value } of entries ?? []) {
      switch (key) {
        case 'name':
          e.name = this.string(value, 'name') ?? defaultName;
          break;
        case 'description':
          e.description = this.string(value, 'description') ?? '';
          break;
        case 'runs':
          e.runs = this.integer(value, 'runs') ?? DEFAULT_EXPERIMENT.runs;
          break;
        case 'horizon':
          e.horizonUs = this.durationUs(value, 'horizon') ?? DEFAULT_EXPERIMENT.horizonUs;
          break;
        case 'seed':
          if (isScalar(value) && (typeof value.value === 'string' || (typeof value.value === 'number' && Number.isSafeInteger(value.value)))) {
            e.seed = value.value;
          } else {
            this.errorAt('seed', value, `expected an integer or a string, found ${describe(value)}`);
          }
          break;
        case 'failures':
          e.failures = this.readFailures(value);
          break;
        case 'workload':
          if (!(isScalar(value) && value.value === null) && value !== null) {
            this.errorAt('workload', value, 'is reserved: workload models are not implemented yet (use null or leave it out)');
          }
          break;
      }
    }
    return e;
  }

  private readFailures(node: unknown): FailureModel {
    const f: Mutable<FailureModel> = { ...DEFAULT_EXPERIMENT.failures, domainOutages: [] };
    // `failures:` with nothing after it (or `failures: {}`) means no failures at all.
    if (isScalar(node) && node.value === null) return f;
    const entries = this.entries(node, 'failures', FAILURE_KEYS);
    for (const { key, value } of entries ?? []) {
      const path = `failures.${key}`;
      if (isScalar(value) && value.value === null) continue; // `hostFailures: null` = off
      switch (key) {
        case 'processRestarts':
          f.processRestarts = this.readPair<ProcessRestarts>(value, path, 'every', 'downtime');
          break;
        case 'hostFailures':
          f.hostFailures = this.readPair<HostFailures>(value, path, 'mttf', 'mttr');
          break;
        case 'diskLoss':
          f.diskLoss = this.readPair<DiskLoss>(value, path, 'every', 'rebuild');
          break;
        case 'zonePartitions':
          f.zonePartitions = this.readPair<ZonePartitions>(value, path, 'every', 'duration');
          break;
        case 'pauses':
          f.pauses = this.readPair<Pauses>(value, path, 'every', 'duration');
          break;
        case 'domainOutages':
          f.domainOutages = this.readDomainOutages(value, path);
          break;
        case 'bursts':
          f.bursts = this.readBursts(value, path);
          break;
        case 'rollingMaintenance':
          f.rollingMaintenance = this.readRolling(value, path);
          break;
      }
    }
    return f;
  }

  /** A mapping of exactly two distributions; null after an error. */
  private readPair<T>(node: unknown, path: string, a: string, b: string): T | null {
    const entries = this.entries(node, path, [a, b]);
    if (entries === null) return null;
    const out: Record<string, Distribution> = {};
    let ok = this.requireKeys(node, path, entries, [a, b]);
    for (const { key, value } of entries) {
      const d = this.readDist(value, `${path}.${key}`);
      if (d === undefined) ok = false;
      else out[key] = d;
    }
    return ok ? (out as T) : null;
  }

  private readDomainOutages(node: unknown, path: string): DomainOutages[] {
    this.remember(path, node);
    if (!isSeq(node)) {
      this.errorAt(path, node, `expected a list of { level, every, duration }, found ${describe(node)}`);
      return [];
    }
    const out: DomainOutages[] = [];
    node.items.forEach((item, i) => {
      const at = `${path}[${i}]`;
      const entries = this.entries(item, at, ['level', 'every', 'duration']);
      if (entries === null) {
        out.push({ level: 'zone', every: PLACEHOLDER, duration: PLACEHOLDER });
        return;
      }
      let ok = this.requireKeys(item, at, entries, ['level', 'every', 'duration']);
      const o: Partial<Mutable<DomainOutages>> = {};
      for (const { key, value } of entries) {
        if (key === 'level') {
          const level = this.oneOf(value, `${at}.level`, DOMAIN_LEVELS);
          if (level === undefined) ok = false;
          else o.level = level;
        } else {
          const d = this.readDist(value, `${at}.${key}`);
          if (d === undefined) ok = false;
          else o[key as 'every' | 'duration'] = d;
        }
      }
      // A broken entry keeps its place (so later entries keep their indices in error paths) with
      // harmless placeholders where it failed; the parse fails anyway, so they never escape.
      if (!ok) Object.assign(o, { level: o.level ?? 'zone', every: o.every ?? PLACEHOLDER, duration: o.duration ?? PLACEHOLDER });
      out.push(o as DomainOutages);
    });
    return out;
  }

  /**
   * `{ every: DIST, zoneJoin: P, rackJoin?: P, window?: duration, downtime: DIST }`; `window`
   * defaults to Ford et al.'s 120 s, `rackJoin` to `zoneJoin` (no rack affinity).
   */
  private readBursts(node: unknown, path: string): Bursts | null {
    const keys = ['every', 'window', 'zoneJoin', 'rackJoin', 'downtime'];
    const entries = this.entries(node, path, keys);
    if (entries === null) return null;
    let ok = this.requireKeys(node, path, entries, ['every', 'zoneJoin', 'downtime']);
    const b: Partial<Mutable<Bursts>> = { windowUs: DEFAULT_BURST_WINDOW_US };
    for (const { key, value } of entries) {
      const at = `${path}.${key}`;
      switch (key) {
        case 'every':
        case 'downtime': {
          const d = this.readDist(value, at);
          if (d === undefined) ok = false;
          else b[key] = d;
          break;
        }
        case 'window': {
          const us = this.durationUs(value, at);
          if (us === undefined) ok = false;
          else b.windowUs = us;
          break;
        }
        case 'zoneJoin':
        case 'rackJoin': {
          const p = this.number(value, at);
          if (p === undefined) ok = false;
          else b[key] = p;
          break;
        }
      }
    }
    if (b.rackJoin === undefined && b.zoneJoin !== undefined) b.rackJoin = b.zoneJoin;
    return ok ? (b as Bursts) : null;
  }

  private readRolling(node: unknown, path: string): RollingMaintenance | null {
    const keys = ['every', 'order', 'downtimePerServer', 'gap'];
    const entries = this.entries(node, path, keys);
    if (entries === null) return null;
    let ok = this.requireKeys(node, path, entries, ['every', 'downtimePerServer']);
    const r: Mutable<RollingMaintenance> = { everyUs: Number.NaN, order: 'any', downtimePerServerUs: Number.NaN, gapUs: 0 };
    for (const { key, value } of entries) {
      const at = `${path}.${key}`;
      if (key === 'order') {
        const order = this.oneOf(value, at, MAINTENANCE_ORDERS);
        if (order === undefined) ok = false;
        else r.order = order;
        continue;
      }
      const us = this.durationUs(value, at);
      if (us === undefined) {
        ok = false;
        continue;
      }
      if (key === 'every') r.everyUs = us;
      else if (key === 'downtimePerServer') r.downtimePerServerUs = us;
      else r.gapUs = us;
    }
    return ok ? r : null;
  }

  /**
   * A distribution mapping, or a bare duration meaning THE MEAN OF AN EXPONENTIAL (as
   * `--node-mttf 30d` reads it); a constant is spelled `{ dist: fixed, value: 4h }` (`constant`
   * is accepted as a synonym, the topology files' name). Undefined after an error.
   */
  protected readDist(node: unknown, path: string): Distribution | undefined {
    if (isScalar(node) && node.value !== null && !isMap(node)) {
      const us = this.durationUs(node, path);
      return us === undefined ? undefined : { dist: 'exponential', mean: us };
    }
    const names = Object.keys(EXPERIMENT_DIST_NAMES);
    const distNode = isMap(node) ? node.get('dist', true) : undefined;
    let dist: Distribution['dist'] | undefined;
    if (isMap(node) && distNode === undefined) {
      this.errorAt(`${path}.dist`, node, `expected "dist" (one of ${names.join(', ')}), found none`);
    } else if (distNode !== undefined) {
      const name = this.oneOf(distNode, `${path}.dist`, names);
      dist = name === undefined ? undefined : EXPERIMENT_DIST_NAMES[name];
    }
    const params = dist === undefined ? [...new Set(Object.values(EXPERIMENT_DIST_PARAMS).flat())] : EXPERIMENT_DIST_PARAMS[dist];
    const entries = this.entries(node, path, ['dist', ...params]);
    if (entries === null || dist === undefined) return undefined;
    const values: Record<string, number> = {};
    let ok = this.requireKeys(node, path, entries, params);
    for (const { key, value } of entries) {
      if (key === 'dist') continue;
      const at = `${path}.${key}`;
      const read = DIMENSIONLESS_DIST_PARAMS.has(key) ? this.number(value, at) : this.durationUs(value, at);
      if (read === undefined) ok = false;
      else values[key] = read;
    }
    if (!ok) return undefined;
    const d: Record<string, unknown> = { dist };
    for (const p of params) d[p] = values[p]; // canonical parameter order, whatever the file's
    return d as Distribution;
  }
}
