import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTopology } from '../config/index.js';
import { Rng, US_PER_DAY, US_PER_HOUR, US_PER_YEAR } from '../core/index.js';
import type { FaultSpec, Topology } from '../model/index.js';
import { runTrial } from '../scenario/index.js';
import { benchKernel } from './kernel.js';

/**
 * Cost of a full trial: n5-3az over one simulated year with a fault every few days (leader
 * kills, host crashes, zone partitions), in events per second beside the bare-heap baseline of
 * the kernel benchmark measured in the same process.
 */
export interface TrialBenchResult {
  readonly eventsPerTrial: number;
  readonly faultsPerTrial: number;
  readonly eventsPerSec: number;
  readonly simulatedYearsPerSec: number;
  readonly baselineEventsPerSec: number;
  readonly ratio: number;
}

export function loadN5(): Topology {
  const file = fileURLToPath(new URL('../../topologies/n5-3az.yaml', import.meta.url));
  const parsed = parseTopology(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(`${file} is invalid`);
  return parsed.topology;
}

/** A fault every 3 days on average, drawn once from a fixed seed so every run times the same work. */
export function benchFaults(topology: Topology, seed: string): FaultSpec[] {
  const rng = new Rng(seed);
  const ids = topology.servers.map((s) => s.id);
  const faults: FaultSpec[] = [];
  let t = 0;
  for (;;) {
    t += Math.round(-Math.log(1 - rng.next()) * 3 * US_PER_DAY);
    if (t >= US_PER_YEAR - US_PER_DAY) return faults;
    const pick = rng.next();
    if (pick < 0.4) faults.push({ kind: 'kill', node: { kind: 'leader' }, atUs: t, durationUs: 5 * 60_000_000 });
    else if (pick < 0.8) faults.push({ kind: 'crash', node: { kind: 'server', id: rng.pick(ids) }, atUs: t, durationUs: 2 * US_PER_HOUR });
    else faults.push({ kind: 'partition', groups: [ids.slice(0, 2), ids.slice(2)], atUs: t, durationUs: 10 * 60_000_000 });
  }
}

export function benchTrial(repeats = 5): TrialBenchResult {
  const topology = loadN5();
  const faults = benchFaults(topology, 'bench');
  const { baselineEventsPerSec } = benchKernel({ events: 500_000, repeats: 2 });
  runTrial({ topology, seed: 'warmup', durationUs: US_PER_YEAR, faults });
  let best = Infinity;
  let events = 0;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    events = runTrial({ topology, seed: `bench-${i}`, durationUs: US_PER_YEAR, faults }).events;
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  const eventsPerSec = events / best;
  return {
    eventsPerTrial: events,
    faultsPerTrial: faults.length,
    eventsPerSec,
    simulatedYearsPerSec: 1 / best,
    baselineEventsPerSec,
    ratio: eventsPerSec / baselineEventsPerSec,
  };
}
