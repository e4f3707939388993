/**
 * Failure biasing: the change of measure behind `--method failure-biasing` (issue 12).
 *
 * While the fault schedule is degraded (some fault touching a voter is active, or a burst still
 * has voter crashes to come), the hazard of every biasable, voter-touching failure process
 * (exponential up time: faults/biasing-entities.ts) is raised so that another failure becomes
 * about `odds` times as likely as a repair, split evenly among the entities that can still fail:
 * balanced failure biasing (P. Shahabuddin, "Importance sampling for the simulation of highly
 * reliable Markovian systems", Management Science 40(3), 1994), applied as hazard scaling in
 * continuous time so that repairs and the exogenous processes may have any distribution (failure
 * biasing with general repair distributions: V. F. Nicola, M. K. Nakayama, P. Heidelberger,
 * A. Goyal, "Fast simulation of highly dependable systems with general failure and repair
 * processes", IEEE Trans. Computers 42(12), 1993). The excess hazard of one excursion is capped
 * at `maxLogWeight`, so every cycle's likelihood ratio lies in (0, e^maxLogWeight]. Cycles start
 * where the schedule is all up (regeneration points); each carries the likelihood ratio of its
 * own excursion only, so weights never compound over a trial, and the estimator is the
 * regenerative ratio Σ W·D / Σ W·C (M. A. Crane, D. L. Iglehart, "Simulating stable stochastic
 * systems: III. Regenerative processes and discrete-event simulations", Operations Research
 * 23(1), 1975).
 *
 * The sampler (`biasedSchedule`, called by faults/sample.ts sampleFaultsBiased) is event driven
 * in continuous time (float µs): each up entity holds an Exp(1) hazard budget E and fails when
 * ∫ rate dt has consumed it; its fault starts at the failure time rounded down to whole µs. Per
 * cycle, log L = Σ_e ∫ (r_e − λ_e) dt + Σ_failures ln(λ_e / r_e) = log dP/dQ of the biased
 * entities' failure times; durations, burst coins and exogenous faults are drawn unbiased and add
 * nothing. With odds 0 every rate is natural and every logWeight is exactly 0.
 */
import type { Rng } from '../core/index.js';
import type { FailureModel } from '../model/experiment.js';
import type { FaultSpec } from '../model/faults.js';
import { type BiasEntity, type BiasPart, biasParts, voterToucher } from './biasing-entities.js';
import { FaultList, type SampleContext } from './sampling.js';

export interface FailureBiasing {
  /** odds of "another failure" against "a repair" while degraded: total biased failure rate = odds × Σ 1/duration of the active faults */
  readonly odds: number;
  /** cap on the excess hazard ∫(biased − natural rate)dt of one excursion: log of the largest weight */
  readonly maxLogWeight: number;
}

export const DEFAULT_FAILURE_BIASING: FailureBiasing = { odds: 1, maxLogWeight: 2 };

/** One regenerative cycle: [startUs, endUs) in integer µs; cycles tile [0, horizon) in order. */
export interface RegenerativeCycle {
  readonly startUs: number;
  readonly endUs: number;
  /** natural log of the likelihood ratio dP/dQ of the cycle's excursion; ≤ maxLogWeight */
  readonly logWeight: number;
}

export interface BiasedSchedule {
  /** sorted by atUs, as sampleFaults returns them */
  readonly faults: FaultSpec[];
  readonly cycles: RegenerativeCycle[];
}

/** An interval during which a voter-touching fault holds: [atUs, endUs), with its repair rate 1/duration. */
interface Span {
  readonly atUs: number;
  readonly endUs: number;
  readonly repairRate: number;
}

interface EntityState {
  readonly e: BiasEntity;
  /** events so far (burst k) */
  k: number;
  /** Exp(1) hazard budget left at `sinceUs`, while up */
  budget: number;
  /** hazard since `sinceUs`, per µs */
  rate: number;
  sinceUs: number;
  /** when the budget runs out at this rate */
  failAt: number;
  /** busy (its event in progress) until this integer time; null = up, at risk */
  upAtUs: number | null;
  /** its faults, in emission order */
  readonly faults: FaultSpec[];
}

/** −ln(1 − u): an Exp(1) hazard budget. */
function hazardBudget(rng: Rng): number {
  return -Math.log(1 - rng.next());
}

function spanOf(f: FaultSpec): Span {
  const d = f.durationUs;
  return d === null ? { atUs: f.atUs, endUs: Infinity, repairRate: 0 } : { atUs: f.atUs, endUs: f.atUs + d, repairRate: 1 / d };
}

/**
 * The joint event loop over the biasable entities, with the exogenous voter-touching faults as
 * given spans. Budgets and the excess hazard are settled only where a rate changes, never at
 * events that leave the rates alone, so an entity's failure time is `since + budget / rate`
 * computed once per rate: events of entities that touch no voter (an observer's restarts) cannot
 * move the voters' failures by a rounding error.
 */
class BiasedRun {
  private now = 0;
  private cycleStartUs = 0;
  private logL = 0;
  /** excess hazard of the current excursion, ∫ Σ (r_e − λ_e) dt, settled at `excessSinceUs` */
  private excess = 0;
  private excessRate = 0;
  private excessSinceUs = 0;
  private active: Span[] = [];
  /** burst crashes drawn but not yet started */
  private pending: Span[] = [];
  private nextExo = 0;
  readonly cycles: RegenerativeCycle[] = [];
  readonly states: EntityState[];

  constructor(
    entities: readonly BiasEntity[],
    private readonly exo: readonly Span[],
    private readonly touches: (f: FaultSpec) => boolean,
    private readonly biasing: FailureBiasing,
    private readonly horizonUs: number,
    private readonly out: FaultList,
  ) {
    this.states = entities.map((e) => {
      const budget = hazardBudget(e.rng);
      return { e, k: 0, budget, rate: e.rate, sinceUs: 0, failAt: budget / e.rate, upAtUs: null, faults: [] };
    });
  }

  private degraded(): boolean {
    return this.active.length > 0 || this.pending.length > 0;
  }

  /** The biased hazard of each voter-touching entity at risk (balanced share, never below λ); natural when not biasing. */
  private biasedShare(): number {
    const { odds, maxLogWeight } = this.biasing;
    if (!(odds > 0) || this.active.length === 0 || this.excess >= maxLogWeight) return 0;
    const atRisk = this.states.filter((s) => s.upAtUs === null && s.e.voterTouching).length;
    if (atRisk === 0) return 0;
    let repairs = 0;
    for (const a of this.active) repairs += a.repairRate;
    return (odds * repairs) / atRisk;
  }

  /** Sets the hazards for the coming interval, settling the budgets and excess of whatever changes. */
  private setRates(): void {
    const share = this.biasedShare();
    let excessRate = 0;
    for (const s of this.states) {
      if (s.upAtUs !== null) continue;
      const rate = s.e.voterTouching && share > s.e.rate ? share : s.e.rate;
      excessRate += rate - s.e.rate;
      if (rate === s.rate) continue;
      s.budget = Math.max(0, s.budget - s.rate * (this.now - s.sinceUs));
      [s.rate, s.sinceUs, s.failAt] = [rate, this.now, this.now + s.budget / rate];
    }
    if (excessRate !== this.excessRate) {
      this.settleExcess();
      this.excessRate = excessRate;
    }
  }

  private settleExcess(): void {
    const gained = this.excessRate * (this.now - this.excessSinceUs);
    if (gained > 0) {
      this.logL += gained;
      this.excess += gained;
    }
    this.excessSinceUs = this.now;
  }

  /** The next fault start or end, burst crash, or entity back at risk: always a whole µs. */
  private nextIntegerEvent(): number {
    let t = this.nextExo < this.exo.length ? this.exo[this.nextExo]!.atUs : Infinity;
    for (const a of this.active) t = Math.min(t, a.endUs);
    for (const p of this.pending) t = Math.min(t, p.atUs);
    for (const s of this.states) if (s.upAtUs !== null) t = Math.min(t, s.upAtUs);
    return t;
  }

  run(): void {
    for (;;) {
      this.setRates();
      const tInt = this.nextIntegerEvent();
      let who: EntityState | null = null;
      for (const s of this.states) if (s.upAtUs === null && (who === null || s.failAt < who.failAt)) who = s;
      const tFail = who === null ? Infinity : who.failAt;
      const tCap = this.excessRate > 0 ? this.excessSinceUs + (this.biasing.maxLogWeight - this.excess) / this.excessRate : Infinity;
      const t = Math.max(this.now, Math.min(tInt, tFail, tCap));
      this.now = Math.min(t, this.horizonUs);
      if (t >= this.horizonUs) break;
      // `<=`, not `===`: an instant a rounding error put behind `now` is still handled.
      if (tCap <= t) {
        this.settleExcess();
        this.excess = Math.max(this.excess, this.biasing.maxLogWeight);
      }
      if (who !== null && tFail <= t) this.fail(who);
      if (tInt <= t) this.integerEvents(t);
    }
    this.settleExcess();
    if (this.horizonUs > 0) this.cycles.push({ startUs: this.cycleStartUs, endUs: this.horizonUs, logWeight: this.logL });
  }

  /** Entity `s` fails now: the likelihood ratio's jump, its event's faults, and when it is back at risk. */
  private fail(s: EntityState): void {
    if (s.rate !== s.e.rate) this.logL += Math.log(s.e.rate / s.rate);
    s.k += 1;
    const ev = s.e.fail(Math.floor(this.now), s.k);
    for (const f of ev.faults) {
      this.out.add(f);
      s.faults.push(f);
      if (this.touches(f)) (f.atUs <= this.now ? this.active : this.pending).push(spanOf(f));
    }
    s.upAtUs = ev.upAtUs;
    if (ev.upAtUs <= this.now) this.backAtRisk(s);
  }

  /** A new up period: a fresh budget at the natural hazard (setRates biases it if need be). */
  private backAtRisk(s: EntityState): void {
    s.budget = hazardBudget(s.e.rng);
    [s.upAtUs, s.rate, s.sinceUs, s.failAt] = [null, s.e.rate, this.now, this.now + s.budget / s.e.rate];
  }

  /** Repairs and entities back at risk first, then starts: a cycle ends only if nothing starts at the same µs. */
  private integerEvents(t: number): void {
    const was = this.degraded();
    this.active = this.active.filter((a) => a.endUs > t);
    for (const s of this.states) if (s.upAtUs !== null && s.upAtUs <= t) this.backAtRisk(s);
    while (this.nextExo < this.exo.length && this.exo[this.nextExo]!.atUs <= t) this.active.push(this.exo[this.nextExo++]!);
    const starting = this.pending.filter((p) => p.atUs <= t);
    if (starting.length > 0) {
      this.active.push(...starting);
      this.pending = this.pending.filter((p) => p.atUs > t);
    }
    if (was && !this.degraded()) {
      this.settleExcess();
      this.cycles.push({ startUs: this.cycleStartUs, endUs: t, logWeight: this.logL });
      [this.cycleStartUs, this.logL, this.excess] = [t, 0, 0];
    }
  }
}

/**
 * The biased schedule of one trial (faults/sample.ts sampleFaultsBiased checks the budget and
 * calls this). Exogenous parts are sampled first, as sampleFaults would; then the entities run
 * jointly. Faults come back in sampleFaults' order: per part in table order, per entity within a
 * part, then a stable sort by start. Throws SimulationLimitError past `cap` faults.
 */
export function biasedSchedule(f: FailureModel, ctx: SampleContext, biasing: FailureBiasing, cap: number): BiasedSchedule {
  if (!(biasing.odds >= 0 && Number.isFinite(biasing.odds))) throw new RangeError(`failure biasing odds must be a finite number ≥ 0, got ${biasing.odds}`);
  if (!(biasing.maxLogWeight >= 0 && Number.isFinite(biasing.maxLogWeight))) throw new RangeError(`failure biasing maxLogWeight must be a finite number ≥ 0, got ${biasing.maxLogWeight}`);
  const out = new FaultList(cap);
  const touches = voterToucher(ctx.servers);
  const parts = biasParts(f, ctx, touches);
  const slices = new Map<BiasPart, FaultSpec[]>();
  for (const p of parts) {
    if (!('exogenous' in p)) continue;
    const from = out.items.length;
    p.exogenous(out);
    slices.set(p, out.items.slice(from));
  }
  const exo = out.items.filter(touches).map(spanOf).sort((a, b) => a.atUs - b.atUs);
  const entities = parts.flatMap((p) => ('entities' in p ? p.entities : []));
  const run = new BiasedRun(entities, exo, touches, biasing, ctx.horizonUs, out);
  run.run();
  const byEntity = new Map(run.states.map((s) => [s.e, s.faults]));
  const faults = parts.flatMap((p) => ('entities' in p ? p.entities.flatMap((e) => byEntity.get(e)!) : slices.get(p)!));
  return { faults: faults.sort((a, b) => a.atUs - b.atUs), cycles: run.cycles };
}
