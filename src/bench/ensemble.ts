import { resolveTopology } from '../config/index.js';
import { US_PER_MIN, US_PER_S } from '../core/index.js';
import type { Topology } from '../model/index.js';
import { runTrial } from '../scenario/index.js';

/**
 * How the cost of `zksim run` grows with the ensemble: one simulated minute (startup election,
 * then the leader killed at 20 s for 10 s) for 3 to 51 servers over three zones, voters up to 9
 * and the rest observers, as `run` would simulate it (no trace). Each size is timed best-of-5 after a warm-up of every size in
 * the same process, and quoted as a ratio to the 3-server case measured alongside.
 */
export interface EnsembleBenchRow {
  readonly servers: number;
  readonly voters: number;
  readonly observers: number;
  /** wall milliseconds per simulated minute (best of the repeats) */
  readonly msPerSimulatedMinute: number;
  readonly events: number;
  /** msPerSimulatedMinute / the 3-server row's */
  readonly ratioTo3: number;
}

export const ENSEMBLE_SIZES: readonly number[] = [3, 5, 7, 9, 15, 25, 51];

/** `servers` over az1–az3 round-robin; the first min(servers, 9) are voters. */
export function benchEnsemble(servers: number): Topology {
  const voters = Math.min(servers, 9);
  return resolveTopology({
    name: `bench-${servers}`,
    servers: Array.from({ length: servers }, (_, i) => ({ id: i + 1, zone: `az${(i % 3) + 1}`, role: i < voters ? 'voter' : 'observer' })),
  });
}

export function benchEnsembles(sizes: readonly number[] = ENSEMBLE_SIZES, repeats = 5): EnsembleBenchRow[] {
  const faults = [{ kind: 'kill', node: { kind: 'leader' }, atUs: 20 * US_PER_S, durationUs: 10 * US_PER_S } as const];
  const topologies = sizes.map(benchEnsemble);
  // Warm the JIT on every size first: otherwise the sizes timed first pay for compilation.
  for (let w = 0; w < 3; w++) for (const topology of topologies) runTrial({ topology, seed: `warmup-${w}`, durationUs: US_PER_MIN, faults });
  const rows: Omit<EnsembleBenchRow, 'ratioTo3'>[] = sizes.map((servers, k) => {
    const topology = topologies[k] as Topology;
    let best = Infinity;
    let events = 0;
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      events = runTrial({ topology, seed: `bench-${i}`, durationUs: US_PER_MIN, faults }).events;
      best = Math.min(best, performance.now() - start);
    }
    const voters = Math.min(servers, 9);
    return { servers, voters, observers: servers - voters, msPerSimulatedMinute: best, events };
  });
  const base = rows.find((r) => r.servers === 3)?.msPerSimulatedMinute ?? rows[0]?.msPerSimulatedMinute ?? 1;
  return rows.map((r) => ({ ...r, ratioTo3: r.msPerSimulatedMinute / base }));
}
