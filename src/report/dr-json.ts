/**
 * `zksim dr` as a document (cli/documents.ts DrDocument; times in ms) and in text: each drill's
 * instants, RTO, RPO, split brain and the checkers' verdict, the runbook's timeline
 * (report/plan-text.ts), and over several runs the spread with 95% intervals.
 */
import { usToMs } from '../core/index.js';
import type { PlanReport } from '../scenario/plan-runner.js';
import type { DrOutcome } from '../scenario/dr.js';
import { quantiles, sortedCopy, wilsonInterval } from '../stats/index.js';
import { formatDurationMs } from '../stats/format.js';
import { planRunJson, type PlanRunJson } from './plan-json.js';
import { planRunText } from './plan-text.js';

/** One drill (a run of the runbook); times in ms of simulated time, null when it did not happen. */
export interface DrDrillJson {
  readonly seed: string;
  /** observers: design (a), DR observers promoted; async: design (b), a standby fed by asynchronous replication */
  readonly design: 'observers' | 'async';
  /** the DR servers promoted ([] for the standby) */
  readonly site: readonly number[];
  readonly lossMs: number | null;
  /** the first fault in its canonical text (whatever it hit); null without one */
  readonly fault: string | null;
  readonly detectedMs: number | null;
  readonly promotedMs: number | null;
  readonly switchedMs: number | null;
  readonly resumedMs: number | null;
  /** loss → the first write the DR site acknowledged after the switch (an instant: clients are not moved); null with rtoNa */
  readonly rtoMs: number | null;
  /** why there is no RTO, in words; null with one */
  readonly rtoNa: string | null;
  /** the runbook promoted the DR site (or switched) before the fault */
  readonly failoverBeforeFault: boolean;
  /** the old primary still acknowledged writes in the 10 s before the runbook stopped it or promoted the DR site: it was not lost */
  readonly failedOverServingPrimary: boolean;
  /** writes failing after the switch at servers outside the DR site: clients the simulation does not move */
  readonly failedAfterSwitchUnmoved: number;
  readonly ackedBeforePromotion: number;
  /** acknowledged writes the promoted history lacks: exact, not capped */
  readonly rpoWrites: number | null;
  readonly lostAckedMs: { readonly first: number; readonly last: number } | null;
  readonly primaryAckedAfterPromotion: number;
  readonly siteAcked: number;
  readonly splitBrain: boolean;
  /** every invariant of observe/safety.ts with its count */
  readonly violations: Readonly<Record<string, number>>;
  readonly plan: PlanRunJson;
}

export interface DrSummaryJson {
  readonly runs: number;
  /** RTO over the runs that got writes back: ms quantiles; null when none did */
  readonly rtoMs: { readonly p50: number; readonly p90: number; readonly max: number } | null;
  readonly rpoWrites: { readonly mean: number; readonly p50: number; readonly p90: number; readonly max: number } | null;
  /** fraction of runs that lost an acknowledged write at the failover, with its 95% Wilson interval */
  readonly pRpoAboveZero: { readonly p: number; readonly ci95: readonly [number, number] };
  readonly pSplitBrain: { readonly p: number; readonly ci95: readonly [number, number] };
  readonly runsWithViolations: number;
}

/** `zksim dr --json` (and dr.json in --out). */
export interface DrDocument {
  readonly kind: 'zksim-dr';
  readonly version: string;
  readonly seed: string;
  readonly topology: string;
  readonly plan: string;
  readonly faults: readonly string[];
  readonly writesPerSec: number;
  readonly durationMs: number;
  readonly drills: readonly DrDrillJson[];
  readonly summary: DrSummaryJson;
}

const ms = (us: number | null): number | null => (us === null ? null : usToMs(us));

export function drDrillJson(seed: string, o: DrOutcome, plan: PlanReport): DrDrillJson {
  return {
    seed,
    design: o.design,
    site: [...o.site],
    lossMs: ms(o.lossUs),
    fault: o.fault,
    detectedMs: ms(o.detectedUs),
    promotedMs: ms(o.promotedUs),
    switchedMs: ms(o.switchedUs),
    resumedMs: ms(o.resumedUs),
    rtoMs: ms(o.rtoUs),
    rtoNa: o.rtoNa,
    failoverBeforeFault: o.failoverBeforeFault,
    failedOverServingPrimary: o.failedOverServingPrimary,
    failedAfterSwitchUnmoved: o.failedAfterSwitchUnmoved,
    ackedBeforePromotion: o.ackedBeforePromotion,
    rpoWrites: o.rpoWrites,
    lostAckedMs: o.lostAckedUs === null ? null : { first: usToMs(o.lostAckedUs.first), last: usToMs(o.lostAckedUs.last) },
    primaryAckedAfterPromotion: o.primaryAckedAfterPromotion,
    siteAcked: o.siteAcked,
    splitBrain: o.splitBrain,
    violations: { ...o.violations },
    plan: planRunJson(plan),
  };
}

const share = (n: number, of: number): { p: number; ci95: readonly [number, number] } => ({ p: of === 0 ? 0 : n / of, ci95: of === 0 ? [0, 1] : wilsonInterval(n, of) });

export function drSummary(drills: readonly DrDrillJson[]): DrSummaryJson {
  const rto = sortedCopy(drills.flatMap((d) => (d.rtoMs === null ? [] : [d.rtoMs])));
  const rpo = sortedCopy(drills.flatMap((d) => (d.rpoWrites === null ? [] : [d.rpoWrites])));
  const [r50, r90] = quantiles(rto, [0.5, 0.9]) as [number, number];
  const [p50, p90] = quantiles(rpo, [0.5, 0.9]) as [number, number];
  return {
    runs: drills.length,
    rtoMs: rto.length === 0 ? null : { p50: r50, p90: r90, max: rto[rto.length - 1] as number },
    rpoWrites: rpo.length === 0 ? null : { mean: rpo.reduce((a, b) => a + b, 0) / rpo.length, p50, p90, max: rpo[rpo.length - 1] as number },
    pRpoAboveZero: share(rpo.filter((r) => r > 0).length, rpo.length),
    pSplitBrain: share(drills.filter((d) => d.splitBrain).length, drills.length),
    runsWithViolations: drills.filter((d) => Object.values(d.violations).some((n) => n > 0)).length,
  };
}

const s3 = (v: number | null): string => (v === null ? '—' : `${(v / 1000).toFixed(3)} s`);
const min1 = (v: number | null, na = 'writes did not come back'): string => (v === null ? `n/a (${na})` : formatDurationMs(v));
const pct = (x: { p: number; ci95: readonly [number, number] }): string => `${(100 * x.p).toFixed(1)}% [95% ${(100 * x.ci95[0]).toFixed(1)}–${(100 * x.ci95[1]).toFixed(1)}%]`;

/** One drill in words: the runbook's timeline, then the numbers. */
export function drDrillText(d: DrDrillJson, doc: Pick<DrDocument, 'topology' | 'faults'>): string {
  const violated = Object.entries(d.violations).filter(([, n]) => n > 0);
  const lines = [
    planRunText(d.plan, doc.topology, d.seed).trimEnd(),
    '',
    `DR drill (${d.design === 'observers' ? `design (a): DR observers ${d.site.join(', ')} promoted` : 'design (b): the standby ensemble fed by asynchronous replication'}), faults ${doc.faults.join(' ') || 'none'}`,
    `  fault                  ${d.fault === null ? 'none' : `${s3(d.lossMs)} ${d.fault}`}`,
    `  loss declared          ${s3(d.detectedMs)}`,
    `  DR site takes writes   ${s3(d.promotedMs)}`,
    `  clients switched       ${s3(d.switchedMs)}${d.design === 'observers' ? ' (an instant: the simulated clients stay on their servers)' : ''}`,
    `  writes again           ${s3(d.resumedMs)}${d.design === 'async' ? ' (the standby is not simulated: at the switch)' : ' (the first write the DR site acknowledged after the switch)'}`,
    ...(d.failedAfterSwitchUnmoved > 0 ? [`  ${d.failedAfterSwitchUnmoved} writes failed after the switch at servers outside the DR site: clients the simulation does not move, not the DR site's failures`] : []),
    ...(d.failoverBeforeFault ? ['  FLAG: the runbook failed over before the fault (check its start and the --fault instant)'] : []),
    ...(d.failedOverServingPrimary ? ['  FLAG: the old primary still acknowledged writes when the runbook stopped it or promoted the DR site: it failed over from a primary that was serving'] : []),
    `RTO: ${min1(d.rtoMs, d.rtoNa ?? undefined)}`,
    `RPO: ${d.rtoNa?.startsWith('no workload') ? 'n/a (no workload: RTO and RPO need --writes)' : d.rpoWrites === null ? 'n/a (no promotion)' : `${d.rpoWrites} of ${d.ackedBeforePromotion} acknowledged writes lost`}${d.lostAckedMs ? `, acknowledged from ${s3(d.lostAckedMs.first)} to ${s3(d.lostAckedMs.last)}` : ''}`,
    `split brain: ${d.splitBrain ? `YES — the old primary acknowledged ${d.primaryAckedAfterPromotion} writes after the promotion, the DR site ${d.siteAcked}` : `no (the old primary acknowledged ${d.primaryAckedAfterPromotion} writes after the promotion)`}`,
    `safety checkers: ${violated.length === 0 ? 'no violations' : violated.map(([k, n]) => `${k} ${n}`).join(', ')}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Several drills: the spread of RTO and RPO. */
export function drSummaryText(doc: DrDocument): string {
  const s = doc.summary;
  const lines = [
    `DR drills: ${doc.plan} on ${doc.topology} (seed ${doc.seed}), ${s.runs} runs, faults ${doc.faults.join(' ') || 'none'}, ${doc.writesPerSec} writes/s`,
    `  RTO:  ${s.rtoMs === null ? 'writes never came back' : `p50 ${min1(s.rtoMs.p50)}, p90 ${min1(s.rtoMs.p90)}, max ${min1(s.rtoMs.max)}`}`,
    `  RPO:  ${s.rpoWrites === null ? 'no promotion' : `mean ${s.rpoWrites.mean.toFixed(1)} writes, p50 ${s.rpoWrites.p50}, p90 ${s.rpoWrites.p90}, max ${s.rpoWrites.max}`}`,
    `  P(RPO > 0):      ${pct(s.pRpoAboveZero)}`,
    `  P(split brain):  ${pct(s.pSplitBrain)}`,
    `  runs the safety checkers flagged: ${s.runsWithViolations} of ${s.runs}`,
  ];
  return `${lines.join('\n')}\n`;
}
