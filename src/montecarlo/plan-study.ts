/**
 * Monte Carlo over failures striking during an operations plan (issue 14 §4–5): run i runs the
 * plan in a trial of seed deriveSeed(seed, i) whose faults are sampled from the failure model
 * over the trial (faults/sample.ts; every process starts all up at t = 0, which for the
 * memoryless processes is the stationary start), and reports per run what the plan cost; the
 * study gives P(quorum lost while the plan ran) with its Wilson 95% interval, and the elections,
 * time without writes and time with no spare fault tolerance as distributions (mean with its 95%
 * interval, median, p95, max). Runs are reduced in index order, so the result is a function of
 * the seed alone. Plans compared with the same seed see the same failures (common random
 * numbers): trial seeds and the `faults` stream do not depend on the plan.
 */
import { deriveSeed, Rng } from '../core/index.js';
import type { Plan } from '../config/plan.js';
import type { Experiment, FaultSpec, Topology } from '../model/index.js';
import { sampleFaults } from '../faults/index.js';
import { runTrial } from '../scenario/index.js';
import type { PlanOutcome, PlanReport } from '../scenario/plan-runner.js';
import type { StepKindEntry } from '../scenario/plan-steps.js';
import type { WorkloadSpec } from '../scenario/workload.js';
import { ci95Mean, quantile, sortedCopy, wilsonInterval, type Interval } from '../stats/index.js';

export interface PlanStudyInput {
  readonly topology: Topology;
  readonly plan: Plan;
  readonly kinds: readonly StepKindEntry<any>[];
  /** the failure model (null: no failures; then every run differs only in the plan's own draws) */
  readonly experiment: Experiment | null;
  /** scripted faults every run gets too (`--fault`) */
  readonly faults: readonly FaultSpec[];
  readonly workload: WorkloadSpec | null;
  readonly runs: number;
  readonly seed: string | number;
  /** each trial's length, µs: the plan must end within it (an unfinished plan is reported as such) */
  readonly durationUs: number;
  /** called after each run with how many are done */
  readonly onProgress?: (done: number, total: number) => void;
}

/** One run's costs (PlanReport without the step detail). */
export interface PlanRunSummary {
  readonly outcome: PlanOutcome;
  readonly durationUs: number;
  readonly elections: number;
  readonly writeDownUs: number;
  readonly noSpareUs: number;
  readonly quorumLost: boolean;
  readonly writesFailed: number;
  /** faults the failure model put inside the plan's window */
  readonly failures: number;
}

export interface Distribution1 {
  readonly mean: number;
  readonly ci95: Interval;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export interface PlanStudy {
  readonly plan: string;
  readonly topology: string;
  readonly runs: number;
  readonly seed: string;
  readonly outcomes: Readonly<Record<PlanOutcome, number>>;
  readonly quorumLost: { readonly runs: number; readonly p: number; readonly ci95: Interval };
  /** runs in which the failure model struck while the plan ran */
  readonly runsWithFailures: number;
  readonly elections: Distribution1;
  readonly durationUs: Distribution1;
  readonly writeDownUs: Distribution1;
  readonly noSpareUs: Distribution1;
  readonly writesFailed: Distribution1;
  /** the first run's full report (its timeline) */
  readonly first: PlanReport;
}

/** One run of the plan: trial `index` of the study, with the failures sampled for it. */
export function runPlanOnce(input: PlanStudyInput, index: number): { readonly report: PlanReport; readonly sampled: readonly FaultSpec[] } {
  const seed = deriveSeed(input.seed, index);
  const sampled = input.experiment === null ? [] : sampleFaults(input.experiment, input.topology, new Rng(seed).fork('faults'), input.durationUs);
  const faults = [...input.faults, ...sampled].sort((a, b) => a.atUs - b.atUs);
  const r = runTrial({
    topology: input.topology,
    seed,
    durationUs: input.durationUs,
    faults,
    plan: { plan: input.plan, kinds: input.kinds },
    ...(input.workload !== null ? { workload: input.workload, clientEventLimit: Number.MAX_SAFE_INTEGER } : {}),
  });
  return { report: r.plan as PlanReport, sampled };
}

function summarize(report: PlanReport, faults: readonly FaultSpec[]): PlanRunSummary {
  const inWindow = faults.filter((f) => f.atUs <= report.endUs && f.atUs + (f.durationUs ?? Number.MAX_SAFE_INTEGER) >= report.startUs).length;
  return {
    outcome: report.outcome,
    durationUs: report.endUs - report.startUs,
    elections: report.elections,
    writeDownUs: report.writeDownUs,
    noSpareUs: report.noSpareUs,
    quorumLost: report.quorumLost,
    writesFailed: report.writesFailed,
    failures: inWindow,
  };
}

export function distributionOf(values: readonly number[]): Distribution1 {
  const sorted = sortedCopy(values);
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return { mean, ci95: values.length >= 2 ? ci95Mean(values) : [mean, mean], p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted[sorted.length - 1] ?? 0 };
}

/** The study: `runs` runs in index order (see the file header). */
export function runPlanStudy(input: PlanStudyInput): PlanStudy {
  const summaries: PlanRunSummary[] = [];
  let first: PlanReport | null = null;
  for (let i = 0; i < input.runs; i++) {
    const { report, sampled } = runPlanOnce(input, i);
    first ??= report;
    summaries.push(summarize(report, sampled));
    input.onProgress?.(i + 1, input.runs);
  }
  return studyOf(input, summaries, first as PlanReport);
}

function studyOf(input: PlanStudyInput, s: readonly PlanRunSummary[], first: PlanReport): PlanStudy {
  const outcomes: Record<PlanOutcome, number> = { completed: 0, aborted: 0, 'rolled back': 0, unfinished: 0 };
  for (const r of s) outcomes[r.outcome]++;
  const lost = s.filter((r) => r.quorumLost).length;
  return {
    plan: input.plan.name,
    topology: input.topology.name,
    runs: s.length,
    seed: String(input.seed),
    outcomes,
    quorumLost: { runs: lost, p: lost / Math.max(1, s.length), ci95: wilsonInterval(lost, s.length) },
    runsWithFailures: s.filter((r) => r.failures > 0).length,
    elections: distributionOf(s.map((r) => r.elections)),
    durationUs: distributionOf(s.map((r) => r.durationUs)),
    writeDownUs: distributionOf(s.map((r) => r.writeDownUs)),
    noSpareUs: distributionOf(s.map((r) => r.noSpareUs)),
    writesFailed: distributionOf(s.map((r) => r.writesFailed)),
    first,
  };
}
