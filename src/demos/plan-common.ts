// What the plan demos (rolling-upgrade, migration) share: each plan run once with nothing else failing, then under failures.
import type { Plan } from '../config/plan.js';
import { runPlanStudy } from '../montecarlo/plan-study.js';
import { planStudyJson, type PlanDocument, type PlanStudyJson } from '../report/plan-json.js';
import { DEFAULT_SESSION_TIMEOUT_US } from '../scenario/index.js';
import { PLAN_STEP_KINDS } from '../scenario/plan-kinds.js';
import type { DemoInputs } from './common.js';

/** the failure model for the Monte Carlo parts (experiments/plans/failures-during-plans.yaml: accelerated host crashes) */
export const FAILURES = 'plans/failures-during-plans';
export const WRITES_PER_SEC = 20;

/** One topology's studies: each plan once with nothing else failing (and a workload), then under failures. */
export interface TopologyStudies {
  readonly topology: string;
  readonly quiet: readonly PlanStudyJson[];
  readonly underFailures: readonly PlanStudyJson[];
}

export interface PlanDemoSettings {
  /** a quiet trial's length, µs (a workload's writes are simulated one by one: keep it near the plans' length) */
  readonly quietUs: number;
  /** a trial's length under failures, µs */
  readonly failingUs: number;
  readonly runs: number;
}

/** The shipped plans `names`, through DemoInputs.plan. */
export function loadPlans(inputs: DemoInputs, demo: string, names: readonly string[]): Plan[] {
  const load = inputs.plan;
  if (load === undefined) throw new Error(`the ${demo} demo needs DemoInputs.plan (the shipped plan files)`);
  return names.map((name) => load(name));
}

export function planStudies(inputs: DemoInputs, t: string, plans: readonly Plan[], s: PlanDemoSettings): TopologyStudies {
  const topology = inputs.topology(t);
  const base = { topology, kinds: PLAN_STEP_KINDS, faults: [], seed: inputs.seed };
  const workload = { writesPerSec: WRITES_PER_SEC, readsPerSec: 0, sessionTimeoutUs: DEFAULT_SESSION_TIMEOUT_US };
  const quiet = plans.map((plan) => runPlanStudy({ ...base, durationUs: s.quietUs, plan, experiment: null, workload, runs: 1 }));
  const experiment = inputs.experiment(FAILURES);
  const underFailures = plans.map((plan) => runPlanStudy({ ...base, durationUs: s.failingUs, plan, experiment, workload: null, runs: s.runs }));
  return { topology: t, quiet: quiet.map(planStudyJson), underFailures: underFailures.map(planStudyJson) };
}

/** A plan document of these studies, for the plan charts (report/charts/plan.ts). */
export function planDocument(inputs: DemoInputs, topology: string, studies: readonly PlanStudyJson[], failures: string | null): PlanDocument {
  return { kind: 'zksim-plan', version: inputs.version, topology, seed: inputs.seed, runs: studies[0]?.runs ?? 0, failures, faults: [], writesPerSec: failures === null ? WRITES_PER_SEC : 0, plans: studies };
}

export const pct = (p: number): string => `${(100 * p).toFixed(0)}%`;

/** The numbers a narration quotes, for demo.json and the tests. */
export function brief(s: PlanStudyJson): Record<string, unknown> {
  const one = s.runs === 1;
  return {
    plan: s.plan,
    runs: s.runs,
    elections: one ? s.first.elections : s.elections.mean,
    writeDownMs: one ? s.first.writeDownMs : s.writeDownMs.mean,
    noSpareMs: one ? s.first.noSpareMs : s.noSpareMs.mean,
    writesFailed: one ? s.first.writesFailed : s.writesFailed.mean,
    durationMs: one ? s.first.endMs - s.first.startMs : s.durationMs.mean,
    quorumLost: s.quorumLost,
    outcomes: s.outcomes,
  };
}
