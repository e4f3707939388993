/**
 * Balanced failure biasing with approximate forcing: the change of measure behind
 * `--method failure-biasing` (issue 12), as the joint event loop over the failure entities of
 * faults/biasing-entities.ts.
 *
 * Method. Between two KNOWN instants of the schedule (a fault's repair, a fault's start, an
 * entity back at risk: all drawn when their fault began), the only other thing that can happen is
 * a failure of an entity at risk, and for exponential up times the first such failure in a window
 * of length Δ happens with probability π = 1 − e^(−ΛΔ), Λ = Σ λ_e over the entities at risk.
 * - All up: failures are drawn as they are (time Exp(Λ), entity with probability λ_e / Λ).
 * - Degraded (a fault touching a voter active, or a burst crash pending), and π below the forcing
 *   probability p: with probability p a failure is FORCED into the window, at a time drawn from
 *   the exponential truncated to the window, and the entity is chosen uniformly among those at
 *   risk (balanced: rare failure modes get the same chance as frequent ones); with probability
 *   1 − p none happens. Likelihood ratio dP/dQ of the window: λ_e·π·k / (Λ·p) for a forced
 *   failure of entity e (k entities at risk), e^(−ΛΔ) / (1 − p) for none. When π ≥ p, the window
 *   is drawn as it is (ratio 1).
 * Every factor is bounded (≤ k·λ_e/Λ/p, ≤ 1/(1 − p)) whatever the repair distribution: the ratio
 * never carries the e^(∫(r−λ)dt) of hazard scaling, which has infinite variance under lognormal
 * repairs. The repair time of each fault is known when it starts, which is what makes forcing a
 * failure "before the repair" possible with general repairs.
 * After P. Shahabuddin, "Importance sampling for the simulation of highly reliable Markovian
 * systems", Management Science 40(3), 1994 (balanced failure biasing), and P. Heidelberger,
 * P. Shahabuddin, V. F. Nicola, "Bounded relative error in estimating transient measures of highly
 * dependable non-Markovian systems", ACM TOMACS 4(2), 1994 (approximate forcing with general
 * repair distributions).
 *
 * Cycles: a cycle ends where the schedule becomes all up again (nothing touching a voter active
 * or pending); the next starts there with ratio 1, so weights never compound over a trial.
 * Entities whose faults touch no voter (an observer's restarts) are never biased and never
 * change the degraded state: they are drawn on their own, at their natural rate from their own
 * stream (naturalEntity), so adding observers leaves the voters' schedule and cycles as they were
 * (common random numbers between compared layouts).
 *
 * Randomness: timing and choice draws of the biased entities come from one stream,
 * `bias:schedule`; each entity's marks (durations, burst coins) from its own stream.
 */
import type { Rng } from '../core/index.js';
import { meanOf } from '../model/distribution.js';
import type { DomainLevel, FailureModel } from '../model/experiment.js';
import type { FailureSource, FaultSpec } from '../model/faults.js';
import type { BiasedSchedule, RegenerativeCycle } from './biasing.js';
import { biasParts, voterToucher, type BiasEntity, type BiasPart } from './biasing-entities.js';
import type { Topology } from '../model/topology.js';
import { quorumLostJudge, type QuorumJudge } from './quorum-state.js';
import type { FaultList, SampleContext } from './sampling.js';

/**
 * How hard failures are forced while degraded: in a degraded state whose faults would, if their
 * repairs were exponential, hold for 1/Σμ (μ = 1 / mean repair time of each active fault's
 * process), another failure is made about `probability` likely over that holding time; in any
 * one window the forced probability is c·π (π its natural probability, c that state's constant),
 * never above `max`. So every forced failure of a state carries the same ratio 1/c, whatever the
 * window's length: the weights of the paths that matter barely vary.
 */
export interface ApproximateForcing {
  readonly probability: number;
  readonly max: number;
}

export const DEFAULT_FORCING: ApproximateForcing = { probability: 0.5, max: 0.9 };

export interface Span {
  readonly atUs: number;
  readonly endUs: number;
  readonly fault: FaultSpec;
}

interface EntityState {
  readonly e: BiasEntity;
  /** events so far (burst k) */
  k: number;
  /** busy (its event in progress) until this integer time; null = up, at risk */
  upAtUs: number | null;
  readonly faults: FaultSpec[];
}

export function spanOf(f: FaultSpec): Span {
  return { atUs: f.atUs, endUs: f.durationUs === null ? Infinity : f.atUs + f.durationUs, fault: f };
}

function exp1(rng: Rng): number {
  return -Math.log(1 - rng.next());
}

/** The joint loop; `run()` fills `cycles` and every state's `faults`. */
export class ForcingRun {
  private now = 0;
  private cycleStartUs = 0;
  private logL = 0;
  private active: Span[] = [];
  private pending: Span[] = [];
  private nextExo = 0;
  /** the current cycle has lost the quorum: biasing is off until it ends */
  private lost = false;
  readonly cycles: RegenerativeCycle[] = [];
  readonly states: EntityState[];

  constructor(
    entities: readonly BiasEntity[],
    private readonly exo: readonly Span[],
    private readonly touches: (f: FaultSpec) => boolean,
    private readonly forcing: ApproximateForcing,
    private readonly horizonUs: number,
    private readonly out: FaultList,
    private readonly rng: Rng,
    private readonly quorumLost: QuorumJudge,
    private readonly meanRepairUs: (f: FaultSpec) => number,
  ) {
    this.states = entities.map((e) => ({ e, k: 0, upAtUs: null, faults: [] }));
  }

  private degraded(): boolean {
    return this.active.length > 0 || this.pending.length > 0;
  }

  /** The next known instant: a repair, a start, an entity back at risk (whole µs). */
  private nextKnown(): number {
    let t = this.nextExo < this.exo.length ? this.exo[this.nextExo]!.atUs : Infinity;
    for (const a of this.active) t = Math.min(t, a.endUs);
    for (const p of this.pending) t = Math.min(t, p.atUs);
    for (const s of this.states) if (s.upAtUs !== null) t = Math.min(t, s.upAtUs);
    return t;
  }

  run(): void {
    while (this.now < this.horizonUs) {
      const end = Math.min(this.nextKnown(), this.horizonUs);
      const failure = this.window(end);
      this.now = failure ? failure.atUs : end;
      if (failure) this.fail(failure.state);
      else if (end < this.horizonUs) this.integerEvents(end);
    }
    if (this.horizonUs > 0) this.cycles.push({ startUs: this.cycleStartUs, endUs: this.horizonUs, logWeight: this.logL });
  }

  /** Draws the first biased failure in [now, end), if any, and accrues the window's likelihood ratio. */
  private window(end: number): { atUs: number; state: EntityState } | null {
    const atRisk = this.states.filter((s) => s.upAtUs === null);
    const dt = end - this.now;
    if (atRisk.length === 0 || !(dt > 0)) return null;
    let total = 0;
    for (const s of atRisk) total += s.e.rate;
    const pi = -Math.expm1(-total * dt);
    let repairRate = 0;
    for (const a of this.active) repairRate += 1 / this.meanRepairUs(a.fault);
    // c = probability / (natural probability over the state's holding time 1/Σμ), Λ/Σμ small.
    const holding = repairRate > 0 ? -Math.expm1(-total / repairRate) : 1;
    const p = Math.min(this.forcing.max, (this.forcing.probability / holding) * pi);
    if (!this.degraded() || this.lost || pi >= p) {
      // As it is: the first failure after Exp(Λ), entity with probability λ_e / Λ.
      const at = this.now + exp1(this.rng) / total;
      if (!(at < end)) return null;
      let u = this.rng.next() * total;
      for (const s of atRisk) {
        u -= s.e.rate;
        if (u < 0) return { atUs: at, state: s };
      }
      return { atUs: at, state: atRisk[atRisk.length - 1]! };
    }
    if (this.rng.next() >= p) {
      this.logL += -total * dt - Math.log1p(-p);
      return null;
    }
    const s = atRisk[Math.min(atRisk.length - 1, Math.floor(this.rng.next() * atRisk.length))]!;
    const at = Math.min(end, this.now - Math.log1p(-this.rng.next() * pi) / total);
    this.logL += Math.log((s.e.rate * pi * atRisk.length) / (total * p));
    return { atUs: at, state: s };
  }

  /** Entity `s` fails now: its event's faults, and when it is back at risk. */
  private fail(s: EntityState): void {
    s.k += 1;
    const ev = s.e.fail(Math.floor(this.now), s.k);
    for (const f of ev.faults) {
      this.out.add(f);
      s.faults.push(f);
      if (this.touches(f)) (f.atUs <= this.now ? this.active : this.pending).push(spanOf(f));
    }
    s.upAtUs = ev.upAtUs;
    if (ev.upAtUs <= this.now) this.backAtRisk(s);
    this.judge();
  }

  /** Once the cycle has no connected quorum, it stays "lost" (biasing off) until it ends. */
  private judge(): void {
    if (!this.lost && this.active.length > 0 && this.quorumLost(this.active.map((a) => a.fault))) this.lost = true;
  }

  private backAtRisk(s: EntityState): void {
    s.upAtUs = null;
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
      this.cycles.push({ startUs: this.cycleStartUs, endUs: t, logWeight: this.logL });
      this.cycleStartUs = t;
      this.logL = 0;
      this.lost = false;
    }
    this.judge();
  }
}

/**
 * The failure-biased schedule of one trial (faults/sample.ts sampleFaultsBiased checks the budget
 * and calls this). Exogenous parts are sampled first, as sampleFaults would; then the entities run
 * jointly. Faults come back in sampleFaults' order: per part in table order, per entity within a
 * part, then a stable sort by start. Throws SimulationLimitError past the list's cap, RangeError
 * for a forcing probability outside (0, 1).
 */
export function forcedSchedule(f: FailureModel, topology: Topology, ctx: SampleContext, forcing: ApproximateForcing): BiasedSchedule {
  const p = forcing.probability;
  if (!(p > 0 && p < 1)) throw new RangeError(`forcing probability must be in (0, 1), got ${p}`);
  if (!(forcing.max >= p && forcing.max < 1)) throw new RangeError(`forcing max must be in [probability, 1), got ${forcing.max}`);
  const out = ctx.out;
  const touches = voterToucher(ctx.servers);
  const parts = biasParts(f, ctx, touches);
  const slices = new Map<BiasPart, FaultSpec[]>();
  for (const part of parts) {
    if (!('exogenous' in part)) continue;
    const from = out.items.length;
    part.exogenous(out);
    slices.set(part, out.items.slice(from));
  }
  const exo = out.items.filter(touches).map(spanOf).sort((a, b) => a.atUs - b.atUs);
  const entities = parts.flatMap((part) => ('entities' in part ? part.entities : []));
  const means = meanRepairs(f);
  const meanOfFault = (x: FaultSpec): number => (x.source !== undefined ? means.get(x.source) : undefined) ?? Math.max(1, x.durationUs ?? 1);
  const natural = new Map(entities.filter((e) => !e.voterTouching).map((e): [BiasEntity, FaultSpec[]] => [e, naturalEntity(e, ctx.horizonUs, out)]));
  const run = new ForcingRun(entities.filter((e) => e.voterTouching), exo, touches, forcing, ctx.horizonUs, out, ctx.rng.fork('bias:schedule'), quorumLostJudge(topology), meanOfFault);
  run.run();
  const byEntity = new Map([...natural, ...run.states.map((s): [BiasEntity, FaultSpec[]] => [s.e, s.faults])]);
  const faults = parts.flatMap((part) => ('entities' in part ? part.entities.flatMap((e) => byEntity.get(e)!) : slices.get(part)!));
  return { faults: faults.sort((a, b) => a.atUs - b.atUs), cycles: run.cycles };
}

/** Mean repair time (µs) of each failure source's faults: the process's down-time distribution. */
function meanRepairs(f: FailureModel): Map<FailureSource, number> {
  const m = new Map<FailureSource, number>();
  if (f.processRestarts) m.set('processRestarts', meanOf(f.processRestarts.downtime));
  if (f.hostFailures) m.set('hostFailures', meanOf(f.hostFailures.mttr));
  if (f.diskLoss) m.set('diskLoss', meanOf(f.diskLoss.rebuild));
  const levels: [DomainLevel, FailureSource][] = [['rack', 'rackOutages'], ['zone', 'zoneOutages'], ['region', 'regionOutages']];
  for (const [level, source] of levels) {
    const entries = f.domainOutages.filter((o) => o.level === level);
    if (entries.length > 0) m.set(source, entries.reduce((t, o) => t + meanOf(o.duration), 0) / entries.length);
  }
  if (f.bursts) m.set('bursts', meanOf(f.bursts.downtime));
  if (f.zonePartitions) m.set('zonePartitions', meanOf(f.zonePartitions.duration));
  if (f.rollingMaintenance) m.set('rollingMaintenance', f.rollingMaintenance.downtimePerServerUs);
  for (const [k, v] of m) if (!(v >= 1)) m.set(k, 1);
  return m;
}

/** An entity that touches no voter, drawn as it is: renewal at its natural rate, from its own stream. */
function naturalEntity(e: BiasEntity, horizonUs: number, out: FaultList): FaultSpec[] {
  const faults: FaultSpec[] = [];
  let t = 0;
  for (let k = 1; ; k++) {
    t += exp1(e.rng) / e.rate;
    if (t >= horizonUs) return faults;
    const ev = e.fail(Math.floor(t), k);
    for (const f of ev.faults) {
      out.add(f);
      faults.push(f);
    }
    t = Math.max(t, ev.upAtUs);
  }
}
