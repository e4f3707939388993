/**
 * The JSON documents the CLI prints with `--json`, one type each: the stable contract (fields may
 * be added, never renamed). `npm run schemas` generates schemas/<name>.schema.json from these
 * types (scripts/schemas.ts, ts-json-schema-generator); test/schemas.test.ts checks that the
 * committed schemas are what the types generate now and validates real outputs against them.
 *
 * Times are milliseconds (`…Ms`) in every document, as in the text; the simulator's µs never leak.
 */
import type { AvailabilityDocument, ResultRow, Variant } from '../montecarlo/index.js';
import type { RunJson } from '../report/run-json.js';
import type { RunAlertsJson } from '../report/alerts-run.js';
import type { AlertStudy } from '../montecarlo/alert-study-stats.js';
import type { TuneResult } from '../montecarlo/alert-study-tune.js';
import type { QuorumRule, UnsafeVariant } from '../zk/index.js';

/** `zksim availability|sweep … --show-model --json`: the resolved failure model (show-model.ts). */
export type { ShownModel } from './show-model.js';

/** `zksim plan --json` (and plan.json in --out): report/plan-json.ts. */
export type { PlanDocument } from '../report/plan-json.js';

/** `zksim dr --json` (and dr.json in --out): report/dr-json.ts. */
export type { DrDocument } from '../report/dr-json.js';

/** `zksim run --json` (and run.json in --out); `alerts` only with --alerts (report/alerts-run.ts). */
export type RunDocument = RunJson & { readonly alerts?: RunAlertsJson };

/** `zksim alerts study --json` (and alert-study.json in --out): montecarlo/alert-study-stats.ts. */
export type AlertStudyDocument = AlertStudy & { readonly version: string };

/** `zksim alerts tune --json` (and alert-tune.json in --out): montecarlo/alert-study-tune.ts. */
export type AlertTuneDocument = TuneResult & { readonly version: string };

/** `zksim availability --json`, `zksim merge --json` (and availability.json in --out): montecarlo/document.ts. */
export type { AvailabilityDocument };

/** One row of a sweep: an availability row whose `variant` is always set (the varied value). */
export type SweepRow = Omit<ResultRow, 'variant'> & { readonly variant: Variant };

/** `zksim sweep --json`: an availability document with one row per `--vary` value, in order. */
export type SweepDocument = Omit<AvailabilityDocument, 'results'> & { readonly results: readonly SweepRow[] };

/** A counterexample `zksim check` found and shrank. */
export interface CheckViolation {
  /** 1-based index of the schedule that first failed */
  readonly foundAtSchedule: number;
  /** shrinking steps from that schedule to this minimal one */
  readonly shrinkSteps: number;
  /** the first violation, as the text prints it (`Invariant violated at S s: detail`), or the liveness failure */
  readonly headline: string;
  /** the invariants violated (empty for a liveness failure) */
  readonly invariants: readonly string[];
  /** every safety violation of the minimal schedule, in time order */
  readonly violations: readonly { readonly atMs: number; readonly invariant: string; readonly detail: string }[];
  /** the topology, as `file (N voters: id@zone ...)` */
  readonly topology: string;
  /** the minimal schedule, as saved in counterexample.yaml */
  readonly scenario: {
    readonly seed: string;
    readonly durationMs: number;
    /** fault specs as `--fault` takes them, e.g. `isolate:2@20s+30s` */
    readonly faults: readonly string[];
    readonly workload: { readonly writesPerSec: number; readonly readsPerSec: number; readonly sessionTimeoutMs: number } | null;
    /** topology overrides as `--set` takes them, applied in order */
    readonly overrides: readonly { readonly path: string; readonly value: string }[];
  };
  /** where counterexample.yaml was written */
  readonly counterexampleFile: string;
  /** the command that replays it */
  readonly replay: string;
}

/** `zksim check --json`. Exit status 1 exactly when `violation` is not null. */
export interface CheckDocument {
  readonly kind: 'zksim-check';
  readonly version: string;
  readonly seed: string;
  readonly property: 'safety' | 'liveness';
  /** schedules asked for (--runs) */
  readonly runs: number;
  /** schedules run before passing or finding a violation (shrinking not counted) */
  readonly schedulesRun: number;
  readonly quorumRule: QuorumRule;
  readonly unsafe: readonly UnsafeVariant[];
  /** topology files (or names) explored */
  readonly topologies: readonly string[];
  readonly violation: CheckViolation | null;
}

/** `zksim demo NAME --json` (and demo.json in --out). */
export interface DemoDocument {
  readonly demo: string;
  readonly seed: string;
  readonly version: string;
  /** the numbers behind the narration's claims; each demo has its own (src/demos/<name>.ts) */
  readonly facts: Readonly<Record<string, unknown>>;
}
