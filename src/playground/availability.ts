// playground/availability — the availability panel: the closed form for the layout and failure
// rates (montecarlo/analytic.ts analyticFor), and a quick Monte Carlo of the same study, chunk by
// chunk, as `zksim availability --node-mttf --node-mttr --method naive` runs it.
import { DEFAULT_EXPERIMENT } from '../config/experiment.js';
import { formatDurationUs } from '../config/index.js';
import { independentCrashRepair } from '../faults/index.js';
import type { Experiment } from '../model/experiment.js';
import type { Topology } from '../model/index.js';
import { Accumulator, type AccumulatorJSON } from '../montecarlo/accumulator.js';
import { analyticFor } from '../montecarlo/analytic.js';
import { estimateRow, type AnalyticValues, type AvailabilityRow } from '../montecarlo/estimate.js';
import { runChunk, type RunPlan, type StudySpec } from '../montecarlo/plan.js';

/**
 * Independent exponential host crash/repair (faults/sample.ts independentCrashRepair, the closed-form
 * case of reference/availability.md §1a): each host fails after an exponential MTTF and is back
 * after an exponential MTTR. µs.
 */
export interface FailureRates {
  readonly mttfUs: number;
  readonly mttrUs: number;
}

/** The quick study: `runs` trials of `horizonUs` each, in chunks of `chunkSize`, from `seed`. */
export interface QuickStudy {
  readonly rates: FailureRates;
  readonly runs: number;
  readonly horizonUs: number;
  readonly seed: string;
  readonly chunkSize: number;
}

const US_PER_DAY = 86_400_000_000;
const US_PER_HOUR = 3_600_000_000;

/** 30-day host MTTF, 2 h MTTR (experiments/independent.yaml's illustrative values), 64 trials of 30 days. */
export const DEFAULT_QUICK_STUDY: QuickStudy = { rates: { mttfUs: 30 * US_PER_DAY, mttrUs: 2 * US_PER_HOUR }, runs: 64, horizonUs: 30 * US_PER_DAY, seed: '1', chunkSize: 8 };

/** The failure model as `--node-mttf/--node-mttr` builds it (cli/study.ts withNodeModel). */
export function quickExperiment(q: QuickStudy): Experiment {
  return { ...DEFAULT_EXPERIMENT, name: 'playground', runs: q.runs, horizonUs: q.horizonUs, seed: 1, failures: independentCrashRepair(q.rates.mttfUs, q.rates.mttrUs) };
}

/** The closed-form QUORUM availability for this topology and rates (null when none applies). */
export function closedForm(topology: Topology, q: QuickStudy): AnalyticValues | null {
  return analyticFor(quickExperiment(q), topology);
}

export function studySpec(topology: Topology, q: QuickStudy): StudySpec {
  return { topology, experiment: quickExperiment(q), seed: q.seed, horizonUs: q.horizonUs, method: 'naive' };
}

export function runPlan(q: QuickStudy): RunPlan {
  return { runs: q.runs, shard: null, chunkSize: q.chunkSize, precision: null };
}

/** How many chunks the quick study has. */
export function chunkTotal(q: QuickStudy): number {
  return Math.ceil(q.runs / q.chunkSize);
}

/** Chunk `chunk` (0-based) of the study, as plain JSON (what the Web Worker posts back). */
export function quickChunk(topology: Topology, q: QuickStudy, chunk: number): AccumulatorJSON {
  return runChunk(studySpec(topology, q), runPlan(q), chunk).toJSON();
}

/** The estimate from the chunks so far, merged in chunk order (same seed ⇒ same numbers). */
export function quickEstimate(topology: Topology, q: QuickStudy, chunks: readonly AccumulatorJSON[]): AvailabilityRow {
  const acc = new Accumulator();
  for (const c of chunks) acc.merge(Accumulator.fromJSON(c));
  const voters = topology.servers.filter((s) => s.role === 'voter').length;
  return estimateRow(acc, { topology: topology.name, voters, observers: topology.servers.length - voters, horizonUs: q.horizonUs, analytic: closedForm(topology, q), stoppedBy: 'runs' });
}

/** The `zksim availability` command that computes the same estimate from the written topology file. */
export function availabilityCommand(topologyFile: string, q: QuickStudy): string {
  return `zksim availability ${topologyFile} --node-mttf ${formatDurationUs(q.rates.mttfUs)} --node-mttr ${formatDurationUs(q.rates.mttrUs)} --runs ${q.runs} --horizon ${formatDurationUs(q.horizonUs)} --seed ${q.seed} --method naive`;
}
