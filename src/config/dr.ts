/**
 * A topology's `dr:` section → model/dr.ts DrReplication, every error placed at its line and
 * column (design (b): a standby ensemble in another region fed by asynchronous replication):
 *
 *   dr:
 *     replication: async        # the only kind: committed txns copied after a lag
 *     region: region2           # where the standby ensemble runs (no primary server there)
 *     voters: 3                 # its size
 *     lag: { dist: lognormal, median: 1s, sigma: 0.5 }   # or a duration: 2s (fixed)
 *
 * Every key is required but `voters` (default 3). The lag is an assumption a user sets from their
 * replicator's measured delay; no default would be honest.
 */
import { isMap, isScalar, type LineCounter } from 'yaml';
import type { Distribution } from '../model/distribution.js';
import type { DrReplication } from '../model/dr.js';
import { parseDurationUs } from '../model/duration.js';
import type { Topology } from '../model/topology.js';
import { delayProblem } from './backup.js';
import { MAX_TIMEOUT_US } from './limits.js';
import { TopologyReader } from './read-yaml.js';
import type { TopologyIssue } from './validate.js';
import { describe, durationHintOf } from './yaml-reader.js';

export const DR_KEYS = ['replication', 'region', 'voters', 'lag'] as const;
const DEFAULT_DR_VOTERS = 3;

/** Reads `dr:` with the topology reader's positions (errors land in its `errors`). */
class DrReader extends TopologyReader {
  read(node: unknown): DrReplication | undefined {
    const entries = this.entries(node, 'dr', DR_KEYS);
    if (entries === null || !this.requireKeys(node, 'dr', entries, ['replication', 'region', 'lag'])) return undefined;
    let region: string | undefined;
    let voters: number | undefined = DEFAULT_DR_VOTERS;
    let lag: Distribution | undefined;
    let replication: 'async' | undefined;
    for (const { key, value } of entries) {
      const path = `dr.${key}`;
      if (key === 'replication') replication = this.oneOf(value, path, ['async'] as const);
      else if (key === 'region') region = this.string(value, path);
      else if (key === 'voters') voters = this.voters(value, path);
      else lag = this.lag(value, path);
    }
    if (replication === undefined || region === undefined || voters === undefined || lag === undefined) return undefined;
    return { replication, region, voters, lag };
  }

  private voters(node: unknown, path: string): number | undefined {
    const n = this.integer(node, path);
    if (n !== undefined && !(n >= 1 && n <= 51)) return this.errorAt(path, node, `expected between 1 and 51 voters, found ${n}`), undefined;
    return n;
  }

  /** A duration (a fixed lag, 0 allowed) or a distribution mapping (times in ms or with units). */
  private lag(node: unknown, path: string): Distribution | undefined {
    if (!isMap(node)) {
      const us = isScalar(node) && typeof node.value === 'string' ? parseDurationUs(node.value) : null;
      if (us !== null && us >= 0 && us <= MAX_TIMEOUT_US) return { dist: 'constant', value: us };
      this.errorAt(path, node, `expected a duration with a unit (e.g. 2s) up to a day, or a distribution such as { dist: lognormal, median: 1s, sigma: 0.5 }, found ${describe(node)}${durationHintOf(node)}`);
      return undefined;
    }
    const d = this.readDistribution(node, path);
    const problem = d === undefined ? null : lagProblem(d);
    if (problem !== null) this.errorAt(path, node, problem);
    return problem === null ? d : undefined;
  }
}

/**
 * What is wrong with a replication lag (µs), or null: a restore delay's limits (config/backup.ts
 * delayProblem: parameters ≥ 0, mean ≤ a week, sigma ≤ 3, shape ≥ 0.2), and a lag may be 0.
 */
export function lagProblem(d: Distribution): string | null {
  return d.dist === 'constant' && d.value === 0 ? null : delayProblem(d);
}

/** The `dr:` node of a topology document → its replication, or undefined (absent, or after an error added to `errors`). */
export function readDrSection(node: unknown, file: string, lineCounter: LineCounter, errors: { push(...e: TopologyReader['errors']): number }): DrReplication | undefined {
  if (node === undefined) return undefined;
  const reader = new DrReader(file, lineCounter);
  const dr = reader.read(node);
  errors.push(...reader.errors);
  return reader.errors.length > 0 ? undefined : dr;
}

/** Rules that need the servers: the standby region holds no server of the primary ensemble. */
export function validateDr(topology: Topology): TopologyIssue[] {
  const dr = topology.dr;
  if (dr === undefined) return [];
  const inIt = topology.servers.filter((s) => s.region === dr.region).map((s) => s.id);
  return inIt.length === 0 ? [] : [{ path: 'dr.region', message: `expected a region with no server of the primary ensemble (the standby is a separate ensemble), found servers ${inIt.join(', ')} in ${dr.region}` }];
}
