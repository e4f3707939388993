// playground/layout — the ensemble a playground user picks, as the topology YAML `zksim run` reads.
import { parseTopology } from '../config/index.js';
import type { Topology } from '../model/index.js';

/**
 * Bounds of the layout picker (issue 16 §2): 1–7 voters over 1–3 zones, a few observers. Writes
 * stop at 20/s because each action replays the run from t = 0 (session.ts): 10 servers at 20 writes/s
 * replay 10 virtual minutes in ~1.9 s, at 50/s in 5.6 s (measured in Node on a loaded 2-core machine).
 */
export const LAYOUT_LIMITS = { voters: [1, 7], zones: [1, 3], observers: [0, 3], writesPerSec: [0, 20] } as const;

/**
 * What the user picks before a run. `writesPerSec` is the Poisson client write rate over the
 * whole ensemble, exactly `zksim run --writes` (scenario/workload.ts); it is part of the layout,
 * not an action, because the workload draws its arrivals from the run's start.
 */
export interface PlaygroundLayout {
  readonly voters: number;
  readonly zones: number;
  readonly observers: number;
  readonly writesPerSec: number;
}

export const DEFAULT_LAYOUT: PlaygroundLayout = { voters: 3, zones: 3, observers: 0, writesPerSec: 2 };

/** A problem with a layout: the field and what was expected (null when the layout is fine). */
export function layoutProblem(l: PlaygroundLayout): string | null {
  for (const key of ['voters', 'zones', 'observers'] as const) {
    const [lo, hi] = LAYOUT_LIMITS[key];
    if (!Number.isInteger(l[key]) || l[key] < lo || l[key] > hi) return `${key}: expected a whole number from ${lo} to ${hi}, found ${String(l[key])}`;
  }
  const [lo, hi] = LAYOUT_LIMITS.writesPerSec;
  if (!Number.isFinite(l.writesPerSec) || l.writesPerSec < lo || l.writesPerSec > hi) return `writesPerSec: expected a rate from ${lo} to ${hi} per second, found ${String(l.writesPerSec)}`;
  if (l.zones > l.voters + l.observers) return `zones: ${l.zones} zones need at least ${l.zones} servers, found ${l.voters + l.observers}`;
  return null;
}

/** Voter i (1-based) of n in z zones: contiguous blocks, the larger first (4 over 2 → az1 az1 az2 az2, as topologies/n4-2az.yaml). */
function voterZone(i: number, n: number, zones: number): number {
  return Math.floor(((i - 1) * zones) / n) + 1;
}

/** The topology name: n<voters>-<zones>az, plus -o<observers> with observers (the repo's naming). */
export function layoutName(l: PlaygroundLayout): string {
  return `n${l.voters}-${l.zones}az${l.observers > 0 ? `-o${l.observers}` : ''}`;
}

/**
 * The layout as a topology file: ZooKeeper settings of conf/zoo_sample.cfg and the latencies of
 * topologies/n4-2az.yaml (sameZone 0.1–0.5 ms from zab-facts; crossZone 0.5–1.5 ms an assumption),
 * one host and rack per server. Voters get ids 1..voters, observers the next ids, round-robin over
 * the zones. Feeding this text to `zksim run` gives the run the playground shows.
 */
export function topologyYaml(l: PlaygroundLayout): string {
  const lines = [
    `# written by zksim playground: ${l.voters} voters over ${l.zones} zone(s)${l.observers > 0 ? `, ${l.observers} observer(s)` : ''}`,
    `name: ${layoutName(l)}`,
    'zookeeper:',
    '  tickTime: 2000',
    '  initLimit: 10',
    '  syncLimit: 5',
    '  cnxTimeout: 5000',
    '  finalizeWait: 200',
    '  maxNotificationInterval: 60000',
    '  observerElectionDelay: 200',
    'latency:',
    '  sameHost:    { dist: constant, value: 0.05ms }',
    '  sameZone:    { dist: uniform, min: 0.1ms, max: 0.5ms }',
    '  crossZone:   { dist: uniform, min: 0.5ms, max: 1.5ms }',
    '  crossRegion: { dist: lognormal, median: 30ms, sigma: 0.2 }',
    'quorum: majority',
    'servers:',
  ];
  for (let i = 1; i <= l.voters; i++) lines.push(`  - { id: ${i}, zone: az${voterZone(i, l.voters, l.zones)}, rack: r${i} }`);
  for (let j = 0; j < l.observers; j++) lines.push(`  - { id: ${l.voters + j + 1}, zone: az${(j % l.zones) + 1}, rack: r${l.voters + j + 1}, role: observer }`);
  return `${lines.join('\n')}\n`;
}

/**
 * The layout's topology, through the same parser and validation as a topology file.
 * @throws RangeError naming the field when the layout is out of bounds (layoutProblem)
 */
export function layoutTopology(l: PlaygroundLayout): Topology {
  const problem = layoutProblem(l);
  if (problem !== null) throw new RangeError(`layout ${problem}`);
  const parsed = parseTopology(topologyYaml(l), `${layoutName(l)}.yaml`);
  if (!parsed.ok) throw new Error(`playground topology rejected: ${parsed.errors.map((e) => e.message).join('; ')}`);
  return parsed.topology;
}
