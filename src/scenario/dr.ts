/**
 * A DR drill (issue 14 §2): a trial of the primary ensemble under a fault (the primary region
 * lost, or cut off), a runbook plan (scenario/dr-steps.ts) and a workload, and what it cost as the
 * clients see it — RTO, RPO counted exactly, and split brain.
 *
 * Two DR designs:
 * - (a) observers of the primary ensemble in the DR region (topologies/n5-3az-dr.yaml). They are
 *   simulated server by server: they follow the leader's INFORMs ~one cross-region delay behind,
 *   and `promote` rewrites their config to a voting ensemble of their own. The promoted history
 *   is the longest log among them at the end of the run.
 * - (b) a separate standby ensemble fed by asynchronous replication (a topology's `dr:` section,
 *   model/dr.ts). ZooKeeper has no cross-cluster replication; `AsyncReplica` models any external
 *   replicator abstractly: each txn the primary's leader commits is applied on the standby `lag`
 *   later, in zxid order. The lag is the time a txn exists only in the primary region, so at the
 *   loss whatever the standby has not applied is gone. The standby's own servers, elections and
 *   commit latency are not simulated: it takes writes from the `promote` instant.
 */
import { Rng, sample } from '../core/index.js';
import type { Distribution, ServerId, TrialEvent } from '../model/index.js';
import type { Invariant } from '../observe/index.js';
import type { DrSite, PromoteStep } from './dr-steps.js';
import type { PlanReport, PlanSpec } from './plan-runner.js';
import type { TraceRecord, TrialOptions, TrialResult } from './trial-types.js';
import { runTrial } from './trial.js';

/**
 * Design (b)'s standby: the primary's committed history delayed by the lag. A txn committed at
 * c with lag draw ℓ is applied at max(c + ℓ, the previous txn's instant) — a replicator applies in
 * zxid order, so the standby's history is always a prefix of the primary's.
 */
export class AsyncReplica {
  private readonly seen = new Set<number>();
  private readonly applied: { readonly writeId: number; readonly appliedUs: number }[] = [];
  /** the primary's commits, in order: the same stream replays with other lag draws (`redrawn`) */
  private readonly commits: { readonly atUs: number; readonly writeId: number }[] = [];
  private lastUs = 0;

  /** `rng` is the drill's own `dr` stream: its draws shift no other model's */
  constructor(
    private readonly lag: Distribution,
    private readonly rng: Rng,
  ) {}

  /** The primary's leader committed `zxid` (carrying client write `writeId`, 0 for internal txns) at `atUs`. */
  onCommit(atUs: number, zxid: number, writeId: number): void {
    if (this.seen.has(zxid)) return; // a new leader re-commits what it synced: the first commit counts
    this.seen.add(zxid);
    const lagUs = Math.max(0, Math.round(sample(this.lag, this.rng)));
    this.lastUs = Math.max(this.lastUs, atUs + lagUs);
    this.commits.push({ atUs, writeId });
    if (writeId > 0) this.applied.push({ writeId, appliedUs: this.lastUs });
  }

  /**
   * The same commit stream replicated with fresh lag draws from `rng`: a Monte Carlo over the lag
   * distribution for one run's workload (the trial is not run again). Only the commits before
   * `untilUs` are replayed: a later one cannot change the history at an earlier instant.
   */
  redrawn(rng: Rng, untilUs = Number.POSITIVE_INFINITY): AsyncReplica {
    const r = new AsyncReplica(this.lag, rng);
    for (let i = 0; i < this.commits.length; i++) {
      const c = this.commits[i] as { readonly atUs: number; readonly writeId: number };
      if (c.atUs > untilUs) break;
      r.onCommit(c.atUs, i + 1, c.writeId);
    }
    return r;
  }

  /** Client writes the standby had applied by `atUs` (µs). */
  historyAt(atUs: number): Set<number> {
    return new Set(this.applied.filter((a) => a.appliedUs <= atUs).map((a) => a.writeId));
  }
}

/** What a drill measured (times in µs of simulated time; null: it did not happen in the run). */
export interface DrOutcome {
  readonly design: 'observers' | 'async';
  /** the DR servers promoted (design a); [] for the standby */
  readonly site: readonly ServerId[];
  /** the first fault of the run (whatever it hit: the primary region, or the DR site) */
  readonly lossUs: number | null;
  /** that fault in its canonical text (config/faults.ts formatFault); null without one */
  readonly fault: string | null;
  /** the runbook's detectLoss, promote and switchClients steps done */
  readonly detectedUs: number | null;
  readonly promotedUs: number | null;
  readonly switchedUs: number | null;
  /**
   * the first write the DR site acknowledged at or after the switch (the standby: the switch
   * itself). The switch is modelled as an instant: the workload's clients are not moved, so this
   * is the first write a client at the DR site had acknowledged once the application switched.
   */
  readonly resumedUs: number | null;
  /** RTO: loss → resumed, the time without writes as the application sees it; null with `rtoNa` saying why */
  readonly rtoUs: number | null;
  /** why there is no RTO, in words (no fault, no workload, a promotion before the fault, writes not back); null with an RTO */
  readonly rtoNa: string | null;
  /** the runbook promoted the DR site (or switched clients) before the fault: a failover with nothing to fail over from */
  readonly failoverBeforeFault: boolean;
  /**
   * the old primary acknowledged writes after the fault within 10 s before the runbook stopped it
   * or promoted the DR site (the first `stop` or `promote` step's start): it failed over from a
   * primary that was serving (e.g. the DR region was the one lost)
   */
  readonly failedOverServingPrimary: boolean;
  /** writes that failed after the switch at servers outside the DR site: clients the simulation did not move (not the DR site's failures) */
  readonly failedAfterSwitchUnmoved: number;
  /** writes the primary acknowledged to clients before the promotion */
  readonly ackedBeforePromotion: number;
  /** RPO: of those, how many the promoted history lacks (exact, not capped); null without a promotion */
  readonly rpoWrites: number | null;
  /** when the lost writes had been acknowledged: the first and the last */
  readonly lostAckedUs: { readonly first: number; readonly last: number } | null;
  /** writes the old primary acknowledged after the DR site was promoted: absent from the promoted history */
  readonly primaryAckedAfterPromotion: number;
  /** writes the DR site acknowledged after its promotion (design a) */
  readonly siteAcked: number;
  /** both sites acknowledged writes after the promotion: two ensembles, two histories */
  readonly splitBrain: boolean;
  /** the safety checkers' verdict (observe/safety.ts), every invariant */
  readonly violations: Readonly<Record<Invariant, number>>;
}

interface Ack {
  readonly writeId: number;
  readonly atUs: number;
  readonly server: ServerId;
}

/** A drill's trial: the trial's options, with the runbook plan required. */
export type DrDrillOptions = Omit<TrialOptions, 'plan' | 'hooks' | 'clientEventLimit'> & { readonly plan: PlanSpec };

/** Runs one drill and accounts for it. */
export function runDrDrill(opts: DrDrillOptions): { readonly result: TrialResult; readonly outcome: DrOutcome; readonly events: readonly TrialEvent[]; readonly replica: AsyncReplica | null } {
  const site = promotedSite(opts.plan);
  const replica = site?.kind === 'standby' && opts.topology.dr !== undefined ? new AsyncReplica(opts.topology.dr.lag, new Rng(opts.seed).fork('dr')) : null;
  const events: TrialEvent[] = [];
  const given = opts.trace;
  // the replica's commit stream, then the caller's own trace hook (a demo's player sampler)
  const trace = replica === null ? given : (r: TraceRecord) => {
    if (r.type === 'peer' && r.event.type === 'committed') replica.onCommit(r.tUs, r.event.zxid, r.event.writeId);
    given?.(r);
  };
  const result = runTrial({
    ...opts,
    clientEventLimit: Number.MAX_SAFE_INTEGER,
    hooks: { onEvent: (e) => void events.push(e) },
    ...(trace === undefined ? {} : { trace }),
  });
  return { result, outcome: accountDrill(opts.plan, result, events, replica, opts.workload?.writesPerSec ?? 0), events, replica };
}

function promotedSite(spec: PlanSpec): DrSite | null {
  const step = spec.plan.steps.find((s) => s.kind === 'promote') as PromoteStep | undefined;
  return step?.site ?? null;
}

function stepDoneUs(plan: PlanReport | undefined, kind: string): number | null {
  const s = plan?.steps.find((x) => x.kind === kind && x.outcome === 'done');
  return s?.endUs ?? null;
}

/** Reads the drill's numbers off its events, plan report and final disks. */
export function accountDrill(spec: PlanSpec, result: TrialResult, events: readonly TrialEvent[], replica: AsyncReplica | null, writesPerSec = 1): DrOutcome {
  const site = promotedSite(spec);
  const ids = site?.kind === 'servers' ? site.ids : [];
  const firstFault = events.find((e) => e.type === 'faultApplied');
  const lossUs = firstFault?.atUs ?? null;
  const detectedUs = stepDoneUs(result.plan, 'detectLoss');
  const promotedUs = stepDoneUs(result.plan, 'promote');
  const switchedUs = stepDoneUs(result.plan, 'switchClients');
  const acks: Ack[] = events.flatMap((e) => (e.type === 'writeCommitted' ? [{ writeId: e.writeId, atUs: e.atUs, server: e.server }] : []));
  const onSite = (a: Ack): boolean => ids.includes(a.server) && promotedUs !== null && a.atUs >= promotedUs;
  const resumedUs = replica !== null ? switchedUs : switchedUs === null ? null : (acks.find((a) => onSite(a) && a.atUs >= switchedUs)?.atUs ?? null);
  // Before the promotion every acknowledged write is the primary's; after it, the primary's are split-brain writes.
  const before = promotedUs === null ? [] : acks.filter((a) => a.atUs < promotedUs);
  const history = promotedUs === null ? null : replica !== null ? replica.historyAt(Math.min(lossUs ?? promotedUs, promotedUs)) : longestHistory(result, ids);
  const lost = history === null ? [] : before.filter((a) => !history.has(a.writeId));
  const primaryAfter = promotedUs === null ? 0 : acks.filter((a) => a.atUs >= promotedUs && !ids.includes(a.server)).length;
  const siteAcked = acks.filter(onSite).length;
  const early = lossUs !== null && ((promotedUs !== null && promotedUs < lossUs) || (switchedUs !== null && switchedUs < lossUs));
  const earlyStep = !early ? null : promotedUs !== null && promotedUs < (lossUs as number) ? { word: 'promoted the DR site', atUs: promotedUs } : { word: 'switched the clients', atUs: switchedUs as number };
  const rtoNa = rtoMissing(lossUs, writesPerSec, earlyStep, resumedUs);
  return {
    design: replica !== null ? 'async' : 'observers',
    site: [...ids],
    lossUs,
    fault: firstFault?.type === 'faultApplied' ? firstFault.fault : null,
    detectedUs,
    promotedUs,
    switchedUs,
    resumedUs,
    rtoUs: rtoNa === null && resumedUs !== null && lossUs !== null ? resumedUs - lossUs : null,
    rtoNa,
    failoverBeforeFault: early,
    failedOverServingPrimary: servedUntilFailover(result.plan, acks, ids, lossUs),
    failedAfterSwitchUnmoved: switchedUs === null ? 0 : events.filter((e) => e.type === 'writeFailed' && e.atUs >= switchedUs && (e.server === null || !ids.includes(e.server))).length,
    ackedBeforePromotion: before.length,
    rpoWrites: history === null ? null : lost.length,
    lostAckedUs: lost.length === 0 ? null : { first: (lost[0] as Ack).atUs, last: (lost[lost.length - 1] as Ack).atUs },
    primaryAckedAfterPromotion: primaryAfter,
    siteAcked,
    splitBrain: primaryAfter > 0 && (siteAcked > 0 || replica !== null),
    violations: result.safety.countsByInvariant(),
  };
}

/** Why a drill has no RTO; null when it has one. `earlyUs`: the promotion or switch that came before the fault. */
function rtoMissing(lossUs: number | null, writesPerSec: number, early: { readonly word: string; readonly atUs: number } | null, resumedUs: number | null): string | null {
  if (lossUs === null) return 'no fault: nothing to recover from';
  if (!(writesPerSec > 0)) return 'no workload: RTO and RPO need --writes';
  if (early !== null) return `the runbook ${early.word} at ${(early.atUs / 1e6).toFixed(1)} s, before the fault at ${(lossUs / 1e6).toFixed(1)} s: nothing was recovered`;
  return resumedUs === null ? 'writes did not come back' : null;
}

/** The old primary acknowledged writes after the fault, within 10 s before the failover began (the first stop or promote step): it was serving, not lost. */
function servedUntilFailover(plan: PlanReport | undefined, acks: readonly Ack[], ids: readonly ServerId[], lossUs: number | null): boolean {
  const atUs = plan?.steps.find((x) => (x.kind === 'stop' || x.kind === 'promote') && x.startUs !== null)?.startUs ?? null;
  if (lossUs === null || atUs === null || atUs <= lossUs) return false;
  return acks.some((a) => a.atUs > lossUs && a.atUs < atUs && a.atUs >= atUs - 10_000_000 && !ids.includes(a.server));
}

/** The promoted servers' history: the client writes in the longest log among them at the end of the run. */
function longestHistory(result: TrialResult, ids: readonly ServerId[]): Set<number> {
  let best: readonly { readonly writeId: number }[] = [];
  for (const id of ids) {
    const log = result.durable.get(id)?.log ?? [];
    if (log.length > best.length) best = log;
  }
  return new Set(best.filter((t) => t.writeId > 0).map((t) => t.writeId));
}
