/**
 * A topology's `backup:` section → model/backup.ts BackupPolicy, every error placed at its line
 * and column. Every key is optional (`backup: {}` turns backups on with the defaults below):
 *
 *   backup:
 *     source: leader            # or a server id: whose snapshot and txn logs are copied
 *     snapshotEvery: 1h         # a snapshot copied off-site (a duration with a unit)
 *     logShipEvery: 5m          # committed txns shipped since the last shipment
 *     retain: { count: 3, for: 7d }   # snapshots kept (autopurge.snapRetainCount), and for how long
 *     writesPerSec: 50          # optional: the clients' write rate, for RPO in writes in Monte Carlo studies
 *     restore:
 *       detect: { dist: lognormal, median: 5m, sigma: 0.5 }   # or a duration: 5m (fixed)
 *       decide: { dist: lognormal, median: 30m, sigma: 0.7 }
 *       fetchMBps: 100          # off-site storage → the servers' disks
 *
 * Defaults (DEFAULT_BACKUP): hourly snapshots and 5-minute shipping (the issue's production
 * example), 3 snapshots kept (zookeeperAdmin.md "Ongoing Data Directory Cleanup":
 * autopurge.snapRetainCount defaults to 3); detection, decision and fetch rate are assumptions,
 * marked as such in the README.
 */
import { freeze } from 'immer';
import { isMap, isScalar, type LineCounter } from 'yaml';
import type { BackupPolicy, RestoreProcedure } from '../model/backup.js';
import { DISTRIBUTION_PARAMS, DIMENSIONLESS_PARAMS, meanOf, type Distribution } from '../model/distribution.js';
import { formatDurationUs, parseDurationUs, US_PER_MS } from '../model/duration.js';
import type { Topology } from '../model/topology.js';
import { MAX_SIGMA, MIN_WEIBULL_SHAPE } from './limits.js';
import { TopologyReader } from './read-yaml.js';
import type { TopologyIssue } from './validate.js';
import { describe, durationHintOf } from './yaml-reader.js';

const US_PER_MIN = 60e6;
const US_PER_DAY = 86_400e6;

export const DEFAULT_RESTORE: RestoreProcedure = freeze(
  {
    // assumption: an alert on "no quorum" pages within minutes
    detect: { dist: 'lognormal', median: 5 * US_PER_MIN, sigma: 0.5 },
    // assumption: diagnosing a total loss and deciding to restore (accepting the loss) takes an operator tens of minutes
    decide: { dist: 'lognormal', median: 30 * US_PER_MIN, sigma: 0.7 },
    // assumption: object-storage download per server
    fetchMBps: 100,
  },
  true,
);

export const DEFAULT_BACKUP: BackupPolicy = freeze(
  { source: 'leader', snapshotEveryUs: 3600e6, logShipEveryUs: 300e6, retainCount: 3, retainForUs: null, restore: DEFAULT_RESTORE, writesPerSec: null },
  true,
);

const BACKUP_KEYS = ['source', 'snapshotEvery', 'logShipEvery', 'retain', 'restore', 'writesPerSec'] as const;
const RESTORE_KEYS = ['detect', 'decide', 'fetchMBps'] as const;
/** the longest restore delay a file may ask for (a mean): a week */
const MAX_RESTORE_DELAY_US = 7 * US_PER_DAY;

/** Reads `backup:` with the topology reader's positions (errors land in its `errors`). */
class BackupReader extends TopologyReader {
  read(node: unknown): BackupPolicy | undefined {
    const entries = this.entries(node, 'backup', BACKUP_KEYS);
    if (entries === null) return undefined;
    const out: { -readonly [K in keyof BackupPolicy]: BackupPolicy[K] } = { ...DEFAULT_BACKUP };
    for (const { key, value } of entries) {
      const path = `backup.${key}`;
      if (key === 'source') out.source = isScalar(value) && value.value === 'leader' ? 'leader' : (this.serverId(value, path) ?? 'leader');
      else if (key === 'snapshotEvery') out.snapshotEveryUs = this.durationUs(value, path) ?? out.snapshotEveryUs;
      else if (key === 'logShipEvery') out.logShipEveryUs = this.durationUs(value, path) ?? out.logShipEveryUs;
      else if (key === 'retain') this.readRetain(value, out);
      else if (key === 'writesPerSec') out.writesPerSec = this.positive(value, path, 'a positive write rate (writes per second)') ?? null;
      else out.restore = this.readRestore(value);
    }
    const problem = retainProblem(out);
    if (problem !== null) this.errorAtPath('backup.retain.for', problem);
    return out;
  }

  private serverId(node: unknown, path: string): number | undefined {
    if (isScalar(node) && typeof node.value === 'number' && Number.isSafeInteger(node.value)) return node.value;
    this.errorAt(path, node, `expected "leader" or a server id, found ${describe(node)}`);
    return undefined;
  }

  private positive(node: unknown, path: string, what: string): number | undefined {
    const n = this.number(node, path);
    if (n !== undefined && n <= 0) this.errorAt(path, node, `expected ${what}, found ${n}`);
    return n !== undefined && n > 0 ? n : undefined;
  }

  /** A duration with a unit (5m, 1h), positive. */
  private durationUs(node: unknown, path: string): number | undefined {
    const us = isScalar(node) && typeof node.value === 'string' ? parseDurationUs(node.value) : null;
    if (us !== null && us > 0) return us;
    this.errorAt(path, node, `expected a positive duration with a unit such as 5m or 1h, found ${describe(node)}${durationHintOf(node)}`);
    return undefined;
  }

  private readRetain(node: unknown, out: { retainCount: number; retainForUs: number | null }): void {
    for (const { key, value } of this.entries(node, 'backup.retain', ['count', 'for']) ?? []) {
      const path = `backup.retain.${key}`;
      if (key === 'for') {
        out.retainForUs = this.durationUs(value, path) ?? null;
        continue;
      }
      const n = this.integer(value, path);
      if (n !== undefined && n < 1) this.errorAt(path, value, `expected at least 1 snapshot kept, found ${n}`);
      else if (n !== undefined) out.retainCount = n;
    }
  }

  private readRestore(node: unknown): RestoreProcedure {
    const out: { -readonly [K in keyof RestoreProcedure]: RestoreProcedure[K] } = { ...DEFAULT_RESTORE };
    for (const { key, value } of this.entries(node, 'backup.restore', RESTORE_KEYS) ?? []) {
      const path = `backup.restore.${key}`;
      if (key === 'fetchMBps') {
        out.fetchMBps = this.positive(value, path, 'a positive rate in MB/s') ?? out.fetchMBps;
        continue;
      }
      const d = this.delay(value, path);
      if (d !== undefined) out[key as 'detect' | 'decide'] = d;
    }
    return out;
  }

  /** A duration (a fixed delay) or a distribution mapping; checked for signs and limits. */
  private delay(node: unknown, path: string): Distribution | undefined {
    if (!isMap(node)) {
      const us = this.durationUs(node, path);
      return us === undefined ? undefined : { dist: 'constant', value: us };
    }
    const d = this.readDistribution(node, path);
    const problem = d === undefined ? null : delayProblem(d);
    if (problem !== null) this.errorAt(path, node, problem);
    return problem === null ? d : undefined;
  }
}

/** What is wrong with a restore delay (µs), or null: parameters ≥ 0, a positive mean ≤ a week, sigma ≤ 3, shape ≥ 0.2. */
export function delayProblem(d: Distribution): string | null {
  const values = d as unknown as Record<string, number>;
  for (const p of DISTRIBUTION_PARAMS[d.dist]) {
    const v = values[p] as number;
    if (!(Number.isFinite(v) && v >= 0)) return `expected "${p}" ≥ 0, found ${DIMENSIONLESS_PARAMS.has(p) ? v : `${v / US_PER_MS} ms`}`;
  }
  if (d.dist === 'lognormal' && !(d.sigma > 0 && d.sigma <= MAX_SIGMA)) return `expected 0 < sigma ≤ ${MAX_SIGMA}, found ${d.sigma}`;
  if (d.dist === 'weibull' && !(d.shape >= MIN_WEIBULL_SHAPE)) return `expected shape ≥ ${MIN_WEIBULL_SHAPE}, found ${d.shape}`;
  const mean = meanOf(d);
  if (!(mean > 0 && mean <= MAX_RESTORE_DELAY_US)) return `expected a mean delay above 0 and at most a week, found ${mean / US_PER_MIN} minutes`;
  return null;
}

/**
 * The `backup:` node of a topology document → its policy, or undefined (absent, or after an error
 * added to `errors`).
 */
export function readBackupSection(node: unknown, file: string, lineCounter: LineCounter, errors: { push(...e: TopologyReader['errors']): number }): BackupPolicy | undefined {
  if (node === undefined) return undefined;
  const reader = new BackupReader(file, lineCounter);
  const policy = reader.read(node);
  errors.push(...reader.errors);
  return reader.errors.length > 0 ? undefined : policy;
}

/**
 * Rules across keys: the source is a server of the topology; snapshots are kept at least one
 * snapshot interval (else the newest one could be purged before the next is taken).
 */
export function validateBackup(topology: Topology): TopologyIssue[] {
  const b = topology.backup;
  if (b === undefined) return [];
  const issues: TopologyIssue[] = [];
  const ids = topology.servers.map((s) => s.id);
  if (b.source !== 'leader' && !ids.includes(b.source)) issues.push({ path: 'backup.source', message: `expected "leader" or the id of a server in this topology (${ids.join(', ')}), found ${b.source}` });
  const retain = retainProblem(b);
  if (retain !== null) issues.push({ path: 'backup.retain.for', message: retain });
  return issues;
}

function retainProblem(b: Pick<BackupPolicy, 'retainForUs' | 'snapshotEveryUs'>): string | null {
  if (b.retainForUs === null || b.retainForUs >= b.snapshotEveryUs) return null;
  return `expected at least snapshotEvery (${formatDurationUs(b.snapshotEveryUs)}): the newest snapshot would be purged before the next, found ${formatDurationUs(b.retainForUs)}`;
}
