import { US_PER_YEAR } from '../core/index.js';
import { runTrial } from '../scenario/index.js';
import { loadN5 } from './trial.js';

/**
 * A quiet simulated year against a quiet simulated minute (ARCHITECTURE.md "Time scales without
 * waste"; issue 13: the timed failover path and TCP model must keep it so): n5-3az with no fault
 * and no workload, cold start included, best of `repeats`. `ratio` = year cost / minute cost, ~1
 * when heartbeats stay lazy.
 */
export interface QuietBenchResult {
  readonly minuteMs: number;
  readonly yearMs: number;
  readonly minuteEvents: number;
  readonly yearEvents: number;
  readonly ratio: number;
}

export function benchQuiet(repeats = 20): QuietBenchResult {
  const topology = loadN5();
  const time = (durationUs: number): { ms: number; events: number } => {
    let best = Infinity;
    let events = 0;
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      events = runTrial({ topology, seed: `quiet-${i}`, durationUs, faults: [] }).events;
      best = Math.min(best, performance.now() - start);
    }
    return { ms: best, events };
  };
  time(60_000_000);
  const minute = time(60_000_000);
  const year = time(US_PER_YEAR);
  return { minuteMs: minute.ms, yearMs: year.ms, minuteEvents: minute.events, yearEvents: year.events, ratio: year.ms / minute.ms };
}
