/**
 * `zksim plan --json` (and plan.json in --out): the plan studies as one document, in
 * milliseconds like every document (src/cli/documents.ts). The text (report/plan-text.ts) and
 * the charts (report/charts/plan.ts) are rendered from it.
 */
import { usToMs } from '../core/index.js';
import type { Distribution1, PlanStudy } from '../montecarlo/plan-study.js';
import type { PlanOutcome, PlanReport, StepOutcome, StripState } from '../scenario/plan-runner.js';

/** A per-run quantity over the runs: mean with its normal 95% interval, median, p95, max. */
export interface SpreadJson {
  readonly mean: number;
  readonly ci95: readonly [number, number];
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export interface PlanServerJson {
  readonly server: number;
  readonly stopMs: number;
  readonly startMs: number | null;
  readonly servingMs: number | null;
  /** when the health gate held after its start; null ungated or never */
  readonly gateOkMs: number | null;
}

export interface PlanStepJson {
  readonly index: number;
  readonly kind: string;
  readonly text: string;
  readonly startMs: number | null;
  readonly endMs: number | null;
  readonly outcome: StepOutcome;
  readonly reason: string | null;
  readonly servers: readonly PlanServerJson[];
  readonly notes: readonly { readonly atMs: number; readonly text: string }[];
}

/** One run of a plan, step by step, and what it cost (scenario/plan-runner.ts PlanReport). */
export interface PlanRunJson {
  readonly name: string;
  readonly outcome: PlanOutcome;
  readonly startMs: number;
  /** the window's end: settledMs, or the run's end when the ensemble was not healthy again by then */
  readonly endMs: number;
  /** when the last step ended; null when the plan is unfinished */
  readonly stepsEndMs: number | null;
  /** when the ensemble was first healthy again (every voter synced, every observer serving) after the last step; null: not by the end of the run */
  readonly settledMs: number | null;
  readonly steps: readonly PlanStepJson[];
  /** leaders established after an FLE election (a reconfig's designated leader is a hand-off, not an election) */
  readonly elections: number;
  /** leader changes over the window, of which handOffs a committed reconfig designated */
  readonly leaderChanges: number;
  readonly handOffs: number;
  readonly leaders: readonly number[];
  readonly writeDownMs: number;
  /** time with a bare quorum of voters synced (or fewer): one more voter failure stops writes */
  readonly noSpareMs: number;
  readonly quorumLostMs: number;
  readonly quorumLost: boolean;
  /** client writes that failed over the window (0 without a workload: PlanDocument.writesPerSec 0) */
  readonly writesFailed: number;
  readonly strip: readonly { readonly startMs: number; readonly endMs: number; readonly state: StripState }[];
}

/** One plan's study (montecarlo/plan-study.ts). */
export interface PlanStudyJson {
  readonly plan: string;
  readonly runs: number;
  readonly outcomes: Readonly<Record<PlanOutcome, number>>;
  /** runs in which a quorum of voters was down or cut apart while the plan ran: count, fraction, Wilson 95% interval */
  readonly quorumLost: { readonly runs: number; readonly p: number; readonly ci95: readonly [number, number] };
  readonly runsWithFailures: number;
  readonly elections: SpreadJson;
  readonly durationMs: SpreadJson;
  readonly writeDownMs: SpreadJson;
  readonly noSpareMs: SpreadJson;
  readonly writesFailed: SpreadJson;
  /** the first run in full */
  readonly first: PlanRunJson;
}

/** `zksim plan --json`. */
export interface PlanDocument {
  readonly kind: 'zksim-plan';
  readonly version: string;
  readonly topology: string;
  readonly seed: string;
  readonly runs: number;
  /** the failure model's experiment name; null without --failures */
  readonly failures: string | null;
  /** scripted faults every run got, as --fault takes them */
  readonly faults: readonly string[];
  readonly writesPerSec: number;
  readonly plans: readonly PlanStudyJson[];
}

const ms = (us: number): number => usToMs(us);
const msOrNull = (us: number | null): number | null => (us === null ? null : usToMs(us));

function spread(d: Distribution1, scale: (x: number) => number = (x) => x): SpreadJson {
  return { mean: scale(d.mean), ci95: [scale(d.ci95[0]), scale(d.ci95[1])], p50: scale(d.p50), p95: scale(d.p95), max: scale(d.max) };
}

export function planRunJson(r: PlanReport): PlanRunJson {
  return {
    name: r.name,
    outcome: r.outcome,
    startMs: ms(r.startUs),
    endMs: ms(r.endUs),
    stepsEndMs: msOrNull(r.stepsEndUs),
    settledMs: msOrNull(r.settledUs),
    steps: r.steps.map((s) => ({
      index: s.index,
      kind: s.kind,
      text: s.text,
      startMs: msOrNull(s.startUs),
      endMs: msOrNull(s.endUs),
      outcome: s.outcome,
      reason: s.reason,
      servers: s.servers.map((t) => ({ server: t.server, stopMs: ms(t.stopUs), startMs: msOrNull(t.startUs), servingMs: msOrNull(t.servingUs), gateOkMs: msOrNull(t.gateOkUs) })),
      notes: s.notes.map((n) => ({ atMs: ms(n.atUs), text: n.text })),
    })),
    elections: r.elections,
    leaderChanges: r.leaderChanges,
    handOffs: r.handOffs,
    leaders: [...r.leaders],
    writeDownMs: ms(r.writeDownUs),
    noSpareMs: ms(r.noSpareUs),
    quorumLostMs: ms(r.quorumLostUs),
    quorumLost: r.quorumLost,
    writesFailed: r.writesFailed,
    strip: r.strip.map((x) => ({ startMs: ms(x.startUs), endMs: ms(x.endUs), state: x.state })),
  };
}

export function planStudyJson(s: PlanStudy): PlanStudyJson {
  return {
    plan: s.plan,
    runs: s.runs,
    outcomes: { ...s.outcomes },
    quorumLost: { runs: s.quorumLost.runs, p: s.quorumLost.p, ci95: [s.quorumLost.ci95[0], s.quorumLost.ci95[1]] },
    runsWithFailures: s.runsWithFailures,
    elections: spread(s.elections),
    durationMs: spread(s.durationUs, ms),
    writeDownMs: spread(s.writeDownUs, ms),
    noSpareMs: spread(s.noSpareUs, ms),
    writesFailed: spread(s.writesFailed),
    first: planRunJson(s.first),
  };
}
