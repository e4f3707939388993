import { Rng, deriveSeed } from '../core/index.js';
import { sampleFaults, sampleFaultsBiased } from '../faults/index.js';
import type { Experiment } from '../model/experiment.js';
import type { Topology } from '../model/index.js';
import { runTrial, summarizeTrial, type TrialSummary } from '../scenario/index.js';
import { Accumulator } from './accumulator.js';
import type { EstimationMethod } from './method.js';
import type { WeightedCycle } from './weighted.js';

/**
 * Everything that determines a study's trials. Plain, frozen data: it is posted to workers as is
 * (structured clone) and fingerprinted for checkpoints.
 */
export interface StudySpec {
  readonly topology: Topology;
  readonly experiment: Experiment;
  readonly seed: string;
  readonly horizonUs: number;
  /** resolved by method.ts resolveMethod; absent = naive (specs written before issue 12) */
  readonly method?: EstimationMethod;
}

/** `--shard K/N`: this process runs trial indices i ≡ K−1 (mod N). index is 1-based. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Trials per chunk unless told otherwise: small enough for a smooth progress bar and a fine
 * `--precision` grid, large enough that messaging costs nothing next to simulating. */
export const DEFAULT_CHUNK_SIZE = 16;

/**
 * Which trials this process runs and in what pieces. Position j (0-based) in this process's
 * sequence is global trial index shardIndex−1 + j·shardCount. Chunk c holds positions
 * [c·chunkSize, (c+1)·chunkSize) — chunk boundaries do not depend on the worker count, so the
 * `--precision` check (made after each chunk, in chunk order) stops at the same trial whatever
 * the parallelism.
 */
export interface RunPlan {
  /** trials of the whole study (all shards together) */
  readonly runs: number;
  readonly shard: Shard | null;
  readonly chunkSize: number;
  /** stop when CI half-width ≤ precision × estimate (write unavailability) */
  readonly precision: number | null;
}

/** How many trials this shard runs out of `runs`. */
export function positions(plan: RunPlan): number {
  const k = plan.shard ? plan.shard.index - 1 : 0;
  const n = plan.shard ? plan.shard.count : 1;
  return plan.runs <= k ? 0 : Math.ceil((plan.runs - k) / n);
}

export function chunkCount(plan: RunPlan): number {
  return Math.ceil(positions(plan) / plan.chunkSize);
}

/** Global trial indices of chunk c. */
export function chunkIndices(plan: RunPlan, chunk: number): number[] {
  const k = plan.shard ? plan.shard.index - 1 : 0;
  const n = plan.shard ? plan.shard.count : 1;
  const from = chunk * plan.chunkSize;
  const to = Math.min(positions(plan), from + plan.chunkSize);
  const out: number[] = [];
  for (let j = from; j < to; j++) out.push(k + j * n);
  return out;
}

/**
 * Trial i: seed deriveSeed(root, i); faults sampled from that seed's 'faults' fork — the same
 * stream the trial runner sets aside for faults (ARCHITECTURE.md, Determinism), so a trial can
 * be replayed alone from its seed. Downtime is measured over the whole horizon from t = 0: the
 * initial election counts (charged to `startup`), and a trial that never gets a write-available
 * leader is 0% available.
 */
export function runOneTrial(spec: StudySpec, index: number): TrialSummary {
  const seed = deriveSeed(spec.seed, index);
  const faults = sampleFaults(spec.experiment, spec.topology, new Rng(seed).fork('faults'), spec.horizonUs);
  const result = runTrial({ topology: spec.topology, seed, durationUs: spec.horizonUs, faults });
  return summarizeTrial(index, result);
}

/**
 * Trial i under failure biasing (faults/biasing.ts): the same seed and 'faults' stream, the
 * schedule drawn under the biased measure, the message-level trial run on it unchanged, and its
 * totals split by regenerative cycle, each cycle carrying its likelihood ratio.
 */
export function runBiasedTrial(spec: StudySpec, index: number): { summary: TrialSummary; cycles: WeightedCycle[] } {
  const seed = deriveSeed(spec.seed, index);
  const schedule = sampleFaultsBiased(spec.experiment, spec.topology, new Rng(seed).fork('faults'), spec.horizonUs);
  const cycleStartsUs = schedule.cycles.map((c) => c.startUs);
  const result = runTrial({ topology: spec.topology, seed, durationUs: spec.horizonUs, faults: schedule.faults, cycleStartsUs });
  const summary = summarizeTrial(index, result);
  const totals = summary.cycles ?? [];
  if (totals.length !== schedule.cycles.length) throw new Error(`trial ${index}: ${totals.length} cycle totals for ${schedule.cycles.length} cycles`);
  const cycles = totals.map((t, i) => ({ ...t, logWeight: (schedule.cycles[i] as { logWeight: number }).logWeight }));
  return { summary, cycles };
}

export function runChunk(spec: StudySpec, plan: RunPlan, chunk: number): Accumulator {
  const acc = new Accumulator();
  for (const i of chunkIndices(plan, chunk)) {
    if (spec.method === 'failure-biasing') {
      const { summary, cycles } = runBiasedTrial(spec, i);
      acc.add(summary, cycles);
    } else {
      acc.add(runOneTrial(spec, i));
    }
  }
  return acc;
}
