import { independentCrashRepair } from '../../src/faults/index.js';
import type { Experiment } from '../../src/model/experiment.js';
import type { StudyConfig, StudyOptions } from '../../src/montecarlo/index.js';
import { topology } from '../helpers/topologies.js';

export const DAY_US = 86_400_000_000;

/** Independent exponential crash/repair: the closed-form case. */
export function crashRepair(mttfDays: number, mttrDays: number, horizonDays: number): Experiment {
  return {
    name: 'test-independent',
    description: '',
    runs: 100,
    horizonUs: horizonDays * DAY_US,
    seed: 1,
    failures: independentCrashRepair(mttfDays * DAY_US, mttrDays * DAY_US),
    workload: null,
  };
}

export function configs(experiment: Experiment, ...names: string[]): StudyConfig[] {
  return names.map((n) => ({ topology: topology(n), experiment, variant: null }));
}

export function options(over: Partial<StudyOptions> & { horizonUs: number }): StudyOptions {
  return { seed: '1', runs: 32, precision: null, shard: null, chunkSize: 8, ...over };
}
