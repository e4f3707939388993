import { DOWNTIME_CAUSES, DOWNTIME_PROCESSES, type DowntimeCause, type DowntimeProcess } from '../observe/index.js';
import type { CycleTotals } from '../scenario/index.js';
import { bucketBounds, histogramBucketIndex } from '../stats/index.js';
import { LONG_OUTAGE_US, type Moments, type MomentsJSON } from './accumulator.js';
import { WeightedHistogram, at, big, int, type WeightedHistogramJSON } from './weighted-histogram.js';

/**
 * Sufficient statistics of failure-biased trials (issue 12, `--method failure-biasing`), EXACTLY
 * mergeable in any order like Accumulator: every statistic is an integer.
 *
 * A trial's fault schedule is sampled under a biased measure Q and split into regenerative cycles
 * (faults/biasing.ts RegenerativeCycle), each with the log-likelihood ratio of its own excursion.
 * The estimator is the regenerative ratio estimator over weighted cycles (Heidelberger,
 * Shahabuddin & Nicola, ACM TOMACS 1994; Shahabuddin, Management Science 1994):
 *   U = Σ_c W_c·D_c / Σ_c W_c·C_c   (D = downtime in the cycle, C = its length),
 * with the trial, not the cycle, as the i.i.d. unit of the delta-method variance: per trial
 * X = Σ_c W·C and Y_q = Σ_c W·q_c for every quantity q, and the Moments below are over trials.
 * Cycle-level sums (Σ W², Σ (W·D)², max W·D) feed the degeneracy diagnostics (weighted-estimate.ts).
 */
export type WeightedCycle = CycleTotals & { readonly logWeight: number };

/** Version of WeightedAccumulator's JSON; bumped whenever a field is added or changes meaning. */
export const WEIGHTED_FORMAT = 1;

/**
 * A cycle's likelihood ratio as an integer: W = round(e^logWeight · 2^WEIGHT_SCALE_BITS).
 * Why fixed point: sums of doubles depend on the order of addition, and shards, checkpoints and
 * worker counts must all give the same bytes; integer sums do not. Why 96 bits: e^logWeight is a
 * double (53 significant bits), so for weights ≥ 2^-43 (≈ 1e-13) the scaled value is already an
 * integer and nothing is lost; below that it keeps log2(W) bits — ≥ 30 bits (9 significant digits)
 * down to 2^-66 ≈ 1.4e-20 — and a weight below 2^-97 ≈ 6e-30 rounds to 0, which moves any
 * estimate by less than 1e-29 of one natural cycle's contribution: far below the smallest
 * unavailability anyone estimates. Weights are capped above at e^maxLogWeight (a few), so
 * W < 2^100, and per-trial sums of W·µs stay below ~2^150: BigInt, exact.
 */
export const WEIGHT_SCALE_BITS = 96;
const SCALE = 2 ** WEIGHT_SCALE_BITS;

/** W for a cycle's log-likelihood ratio; RangeError for a non-finite or overflowing weight. */
export function cycleWeight(logWeight: number): bigint {
  const w = Math.round(Math.exp(logWeight) * SCALE);
  if (!Number.isFinite(w)) throw new RangeError(`cycle logWeight must be a finite log-likelihood ratio, got ${String(logWeight)}`);
  return BigInt(w);
}

/** Per-cycle quantities q_c whose weighted per-trial sums Y_q = Σ_c W·q_c are kept as Moments. */
const QUANTITIES = {
  writeDown: (c: CycleTotals) => c.writeDownUs,
  quorumDown: (c: CycleTotals) => c.quorumDownUs,
  /** write outage episodes, the initial election included */
  outageEpisodes: (c: CycleTotals) => c.outageEpisodes,
  /** write outages caused by failures: all but the initial election (charged to `startup`) */
  failureOutageEpisodes: (c: CycleTotals) => c.outageEpisodes - c.outageEpisodesByProcess.startup,
  quorumLossEpisodes: (c: CycleTotals) => c.quorumLossEpisodes,
  /** 1 when the cycle had at least one quorum loss: the rate behind P(quorum lost in a year) */
  quorumLossCycles: (c: CycleTotals) => (c.quorumLossEpisodes > 0 ? 1 : 0),
  /** 1 when the cycle had a write outage longer than LONG_OUTAGE_US (the session timeout) */
  longOutageCycles: (c: CycleTotals) => (c.longestWriteOutageUs > LONG_OUTAGE_US ? 1 : 0),
  elections: (c: CycleTotals) => c.elections,
} as const;
export type WeightedQuantity = keyof typeof QUANTITIES;
export const WEIGHTED_QUANTITIES = Object.keys(QUANTITIES) as readonly WeightedQuantity[];

/** The quantities whose per-cycle spread is kept, for the effective number of hits. */
export const SPREAD_QUANTITIES = ['writeDown', 'quorumDown', 'quorumLossCycles'] as const;
export type SpreadQuantity = (typeof SPREAD_QUANTITIES)[number];

/**
 * Over cycles, for v = W·q_c: Σ v² and max v. With Σ v (the quantity's Moments.sum) they give the
 * effective number of cycles the estimate rests on, (Σv)²/Σv², and the largest single cycle's
 * share, max v / Σv; both are order-independent, so they merge exactly.
 */
export interface CycleSpread {
  sumSq: bigint;
  max: bigint;
}

/** See the file comment. Build with `add` (one trial at a time) and `merge`. */
export class WeightedAccumulator {
  trials = 0;
  cycles = 0;
  /** cycles with a quorum loss, as seen under the biased measure (unweighted) */
  cyclesWithQuorumLoss = 0;
  /** cycles with a write outage longer than LONG_OUTAGE_US, as seen (unweighted) */
  cyclesWithLongOutage = 0;
  /** Σ W and Σ W² over cycles: Kish's effective sample size (ΣW)²/ΣW² */
  sumWeight = 0n;
  sumWeightSq = 0n;
  /** X = Σ_c W·(endUs − startUs) per trial */
  measured: Moments = zero();
  /** Y_q per trial for each quantity */
  moments = record(WEIGHTED_QUANTITIES, zero);
  /** weighted write downtime per cause; per trial the causes add up to writeDown */
  byCause = record(DOWNTIME_CAUSES, zero);
  /** weighted write downtime per failure process; adds up to writeDown */
  byProcess = record(DOWNTIME_PROCESSES, zero);
  /** weighted quorum downtime per failure process; adds up to quorumDown */
  quorumByProcess = record(DOWNTIME_PROCESSES, zero);
  spread = record(SPREAD_QUANTITIES, (): CycleSpread => ({ sumSq: 0n, max: 0n }));
  /** durations of quorum-loss episodes (µs), each weighted by its cycle */
  quorumLossUs = new WeightedHistogram();
  /** durations of elections that kept a quorum (µs, TrialSummary.electionDurationsUs), weighted */
  electionUs = new WeightedHistogram();

  /**
   * Adds one trial: its cycles in order (TrialSummary.cycles, each with its RegenerativeCycle's
   * logWeight). RangeError, naming the cycle and field, for a trial without cycles or a cycle
   * whose numbers are not non-negative integers (endUs ≥ startUs) with a finite logWeight; a
   * refused trial leaves the accumulator as it was.
   */
  add(cycles: readonly WeightedCycle[]): this {
    if (cycles.length === 0) throw new RangeError('a failure-biased trial has at least one cycle (one starts at t = 0)');
    let x = 0n;
    const y = record(WEIGHTED_QUANTITIES, () => 0n);
    const cause = record(DOWNTIME_CAUSES, () => 0n);
    const proc = record(DOWNTIME_PROCESSES, () => 0n);
    const qproc = record(DOWNTIME_PROCESSES, () => 0n);
    const weights = cycles.map(checkedWeight);
    for (const [i, c] of cycles.entries()) {
      const w = weights[i] as bigint;
      // most per-cycle values are 0: skip their BigInt products
      const times = (v: number): bigint => (v === 0 ? 0n : w * BigInt(v));
      x += times(c.endUs - c.startUs);
      for (const q of WEIGHTED_QUANTITIES) y[q] += times(QUANTITIES[q](c));
      for (const k of DOWNTIME_CAUSES) cause[k] += times(c.downByCauseUs[k]);
      for (const p of DOWNTIME_PROCESSES) {
        proc[p] += times(c.downByProcessUs[p]);
        qproc[p] += times(c.quorumDownByProcessUs[p]);
      }
      for (const q of SPREAD_QUANTITIES) {
        const v = times(QUANTITIES[q](c));
        this.spread[q].sumSq += v * v;
        if (v > this.spread[q].max) this.spread[q].max = v;
      }
      for (const d of c.quorumLossDurationsUs) this.quorumLossUs.record(d, w);
      for (const d of c.electionDurationsUs) this.electionUs.record(d, w);
      this.sumWeight += w;
      this.sumWeightSq += w * w;
      if (c.quorumLossEpisodes > 0) this.cyclesWithQuorumLoss++;
      if (c.longestWriteOutageUs > LONG_OUTAGE_US) this.cyclesWithLongOutage++;
    }
    this.trials++;
    this.cycles += cycles.length;
    addMoment(this.measured, x, x);
    for (const q of WEIGHTED_QUANTITIES) addMoment(this.moments[q], y[q], x);
    for (const k of DOWNTIME_CAUSES) addMoment(this.byCause[k], cause[k], x);
    for (const p of DOWNTIME_PROCESSES) {
      addMoment(this.byProcess[p], proc[p], x);
      addMoment(this.quorumByProcess[p], qproc[p], x);
    }
    return this;
  }

  /** Folds `other` in; integer sums and maxima, so the result does not depend on the order of merges. */
  merge(other: WeightedAccumulator): this {
    this.trials += other.trials;
    this.cycles += other.cycles;
    this.cyclesWithQuorumLoss += other.cyclesWithQuorumLoss;
    this.cyclesWithLongOutage += other.cyclesWithLongOutage;
    this.sumWeight += other.sumWeight;
    this.sumWeightSq += other.sumWeightSq;
    mergeMoment(this.measured, other.measured);
    for (const q of WEIGHTED_QUANTITIES) mergeMoment(this.moments[q], other.moments[q]);
    for (const k of DOWNTIME_CAUSES) mergeMoment(this.byCause[k], other.byCause[k]);
    for (const p of DOWNTIME_PROCESSES) {
      mergeMoment(this.byProcess[p], other.byProcess[p]);
      mergeMoment(this.quorumByProcess[p], other.quorumByProcess[p]);
    }
    for (const q of SPREAD_QUANTITIES) {
      this.spread[q].sumSq += other.spread[q].sumSq;
      if (other.spread[q].max > this.spread[q].max) this.spread[q].max = other.spread[q].max;
    }
    this.quorumLossUs.merge(other.quorumLossUs);
    this.electionUs.merge(other.electionUs);
    return this;
  }

  toJSON(): WeightedAccumulatorJSON {
    const moments = <K extends string>(r: Record<K, Moments>): Record<K, MomentsJSON> => mapRecord(r, momentJSON);
    return {
      format: WEIGHTED_FORMAT,
      weightScaleBits: WEIGHT_SCALE_BITS,
      longOutageUs: LONG_OUTAGE_US,
      trials: this.trials,
      cycles: this.cycles,
      cyclesWithQuorumLoss: this.cyclesWithQuorumLoss,
      cyclesWithLongOutage: this.cyclesWithLongOutage,
      sumWeight: this.sumWeight.toString(),
      sumWeightSq: this.sumWeightSq.toString(),
      measured: momentJSON(this.measured),
      moments: moments(this.moments),
      byCause: moments(this.byCause),
      byProcess: moments(this.byProcess),
      quorumByProcess: moments(this.quorumByProcess),
      spread: mapRecord(this.spread, (s) => ({ sumSq: s.sumSq.toString(), max: s.max.toString() })),
      quorumLossUs: this.quorumLossUs.toJSON(),
      electionUs: this.electionUs.toJSON(),
    };
  }

  /**
   * Reads toJSON's form back. RangeError naming the damaged field (`invalid weighted statistics:
   * moments.quorumDown.sum: …`), or the format / weight scale / long-outage threshold that differs
   * from this zksim's. Checks each field's type and sign; weightedStatisticsProblem checks how they relate.
   */
  static fromJSON(j: WeightedAccumulatorJSON): WeightedAccumulator {
    const f = j !== null && typeof j === 'object' ? (j as Partial<WeightedAccumulatorJSON>).format : undefined;
    if (f !== WEIGHTED_FORMAT) throw new RangeError(`weighted statistics in format ${String(f)}, this zksim reads format ${WEIGHTED_FORMAT}: re-run with this version`);
    if (j.weightScaleBits !== WEIGHT_SCALE_BITS) throw new RangeError(`weighted statistics scale weights by 2^${String(j.weightScaleBits)}, this zksim by 2^${WEIGHT_SCALE_BITS}`);
    if (j.longOutageUs !== LONG_OUTAGE_US) throw new RangeError(`weighted statistics count outages longer than ${String(j.longOutageUs)} µs, this zksim ${LONG_OUTAGE_US} µs`);
    const a = new WeightedAccumulator();
    try {
      a.trials = int(j.trials, 'trials');
      a.cycles = int(j.cycles, 'cycles');
      a.cyclesWithQuorumLoss = int(j.cyclesWithQuorumLoss, 'cyclesWithQuorumLoss');
      a.cyclesWithLongOutage = int(j.cyclesWithLongOutage, 'cyclesWithLongOutage');
      a.sumWeight = big(j.sumWeight, 'sumWeight');
      a.sumWeightSq = big(j.sumWeightSq, 'sumWeightSq');
      a.measured = momentFrom(j.measured, 'measured');
      for (const q of WEIGHTED_QUANTITIES) a.moments[q] = momentFrom(at(j.moments, 'moments', q), `moments.${q}`);
      for (const k of DOWNTIME_CAUSES) a.byCause[k] = momentFrom(at(j.byCause, 'byCause', k), `byCause.${k}`);
      for (const p of DOWNTIME_PROCESSES) {
        a.byProcess[p] = momentFrom(at(j.byProcess, 'byProcess', p), `byProcess.${p}`);
        a.quorumByProcess[p] = momentFrom(at(j.quorumByProcess, 'quorumByProcess', p), `quorumByProcess.${p}`);
      }
      for (const q of SPREAD_QUANTITIES) {
        const s = at(j.spread, 'spread', q);
        a.spread[q] = { sumSq: big(at(s, `spread.${q}`, 'sumSq'), `spread.${q}.sumSq`), max: big(at(s, `spread.${q}`, 'max'), `spread.${q}.max`) };
      }
      a.quorumLossUs = WeightedHistogram.fromJSON(j.quorumLossUs, 'quorumLossUs');
      a.electionUs = WeightedHistogram.fromJSON(j.electionUs, 'electionUs');
    } catch (e) {
      throw new RangeError(`invalid weighted statistics: ${(e as Error).message}`);
    }
    return a;
  }

  clone(): WeightedAccumulator {
    return WeightedAccumulator.fromJSON(this.toJSON());
  }
}

/** JSON form: BigInts as decimal strings (JSON numbers would lose digits past 2^53). */
export interface WeightedAccumulatorJSON {
  /** WEIGHTED_FORMAT */
  format: number;
  /** WEIGHT_SCALE_BITS: W = round(likelihood ratio · 2^weightScaleBits) */
  weightScaleBits: number;
  /** LONG_OUTAGE_US: the threshold longOutageCycles was counted against */
  longOutageUs: number;
  trials: number;
  cycles: number;
  cyclesWithQuorumLoss: number;
  cyclesWithLongOutage: number;
  sumWeight: string;
  sumWeightSq: string;
  measured: MomentsJSON;
  moments: Record<WeightedQuantity, MomentsJSON>;
  byCause: Record<DowntimeCause, MomentsJSON>;
  byProcess: Record<DowntimeProcess, MomentsJSON>;
  quorumByProcess: Record<DowntimeProcess, MomentsJSON>;
  spread: Record<SpreadQuantity, { sumSq: string; max: string }>;
  quorumLossUs: WeightedHistogramJSON;
  electionUs: WeightedHistogramJSON;
}

/** The cycle's weight, once every number `add` reads is known to be sound (so a refused trial changes nothing). */
function checkedWeight(c: WeightedCycle, i: number): bigint {
  const fields = ['startUs', 'endUs', 'writeDownUs', 'quorumDownUs', 'outageEpisodes', 'quorumLossEpisodes', 'longestWriteOutageUs', 'elections'] as const;
  for (const f of fields) int(c[f], `cycle ${i}: ${f}`);
  for (const k of DOWNTIME_CAUSES) int(c.downByCauseUs[k], `cycle ${i}: downByCauseUs.${k}`);
  for (const p of DOWNTIME_PROCESSES) {
    int(c.downByProcessUs[p], `cycle ${i}: downByProcessUs.${p}`);
    int(c.quorumDownByProcessUs[p], `cycle ${i}: quorumDownByProcessUs.${p}`);
  }
  for (const d of [...c.quorumLossDurationsUs, ...c.electionDurationsUs]) histogramBucketIndex(int(d, `cycle ${i}: a duration`));
  if (c.endUs < c.startUs) throw new RangeError(`cycle ${i}: endUs ${c.endUs} is before startUs ${c.startUs}`);
  if (int(c.outageEpisodesByProcess.startup, `cycle ${i}: outageEpisodesByProcess.startup`) > c.outageEpisodes) throw new RangeError(`cycle ${i}: more start-up outages than outages`);
  return cycleWeight(c.logWeight);
}

function record<K extends string, V>(keys: readonly K[], make: () => V): Record<K, V> {
  const r = {} as Record<K, V>;
  for (const k of keys) r[k] = make();
  return r;
}

function mapRecord<K extends string, A, B>(r: Record<K, A>, f: (a: A) => B): Record<K, B> {
  const out = {} as Record<K, B>;
  for (const k of Object.keys(r) as K[]) out[k] = f(r[k]);
  return out;
}

function zero(): Moments {
  return { sum: 0n, sumSq: 0n, sumXm: 0n };
}

function addMoment(mo: Moments, y: bigint, x: bigint): void {
  mo.sum += y;
  mo.sumSq += y * y;
  mo.sumXm += y * x;
}

function mergeMoment(into: Moments, from: Moments): void {
  into.sum += from.sum;
  into.sumSq += from.sumSq;
  into.sumXm += from.sumXm;
}

function momentJSON(mo: Moments): MomentsJSON {
  return { sum: mo.sum.toString(), sumSq: mo.sumSq.toString(), sumXm: mo.sumXm.toString() };
}

function momentFrom(j: unknown, name: string): Moments {
  return { sum: big(at(j, name, 'sum'), `${name}.sum`), sumSq: big(at(j, name, 'sumSq'), `${name}.sumSq`), sumXm: big(at(j, name, 'sumXm'), `${name}.sumXm`) };
}

/**
 * The first broken invariant of weighted statistics read back from a file, in words, or null when
 * they are consistent; fromJSON checks each field's type and sign, this how they relate. Any set
 * of real trials satisfies every rule (W ≥ 0 and integer, per cycle D ≤ C), so a violation means
 * edited or damaged numbers. Rules:
 * - per cause and per process, weighted write downtime adds up to the total; per process, quorum
 *   downtime too (exact: W·Σ = Σ W·);
 * - Σ X·X = Σ X²; counts obey their cycle-level order (a cycle with a quorum loss has ≥ 1
 *   episode, ...). NOT Y ≤ X per trial, as for unweighted sums: an episode's downtime belongs to
 *   the cycle it started in even where it runs past that cycle's end, so one cycle's D may exceed
 *   its C (a failure seconds after all-up whose election outlasts the cycle), and with unequal
 *   weights a real trial can have Y > X; refusing it would refuse a genuine checkpoint;
 * - Cauchy–Schwarz over trials, (Σ Y)² ≤ trials·Σ Y² and (Σ Y·X)² ≤ Σ Y²·Σ X², and over cycles, (Σ W)² ≤ cycles·Σ W²,
 *   (Σ v)² ≤ cycles·Σ v² and max v ≤ Σ v, max v² ≤ Σ v² ≤ max v·Σ v for every spread;
 * - cycles ≥ trials (every trial has a cycle from t = 0), cycles with a quorum loss or a long
 *   outage ≤ cycles; none seen ⇒ none weighted; no trials ⇒ nothing counted;
 * - the quorum-loss histogram weighs exactly the weighted episodes; the election histogram at
 *   most the weighted elections; a histogram's weight ≤ count × Σ W; min ≤ max, bracketing its buckets.
 */
export function weightedStatisticsProblem(w: WeightedAccumulator): string | null {
  const total = (r: Record<string, Moments>): bigint => Object.values(r).reduce((t, m) => t + m.sum, 0n);
  const x = w.measured;
  const m = w.moments;
  const n = BigInt(w.trials);
  const downtimes: [string, Moments][] = [
    ...DOWNTIME_CAUSES.map((k): [string, Moments] => [`write downtime by cause ${k}`, w.byCause[k]]),
    ...DOWNTIME_PROCESSES.map((p): [string, Moments] => [`write downtime by process ${p}`, w.byProcess[p]]),
    ...DOWNTIME_PROCESSES.map((p): [string, Moments] => [`quorum downtime by process ${p}`, w.quorumByProcess[p]]),
  ];
  const checks: [boolean, () => string][] = [
    [total(w.byCause) === m.writeDown.sum, () => `weighted write downtime by cause adds up to ${total(w.byCause)}, the total is ${m.writeDown.sum}`],
    [total(w.byProcess) === m.writeDown.sum, () => `weighted write downtime by process adds up to ${total(w.byProcess)}, the total is ${m.writeDown.sum}`],
    [total(w.quorumByProcess) === m.quorumDown.sum, () => `weighted quorum downtime by process adds up to ${total(w.quorumByProcess)}, the total is ${m.quorumDown.sum}`],
    [x.sumXm === x.sumSq, () => 'measured time: sumXm differs from sumSq'],
    ...[['measured time', x] as const, ...WEIGHTED_QUANTITIES.map((q) => [q, m[q]] as const), ...downtimes].map(([name, d]): [boolean, () => string] => [
      d.sum * d.sum <= n * d.sumSq && d.sumXm * d.sumXm <= d.sumSq * x.sumSq,
      () => `${name}: its sums break Cauchy–Schwarz for ${w.trials} trials`,
    ]),
    [m.failureOutageEpisodes.sum <= m.outageEpisodes.sum, () => 'more weighted write outages caused by failures than write outages'],
    [m.quorumLossCycles.sum <= m.quorumLossEpisodes.sum, () => 'more weighted cycles with a quorum loss than quorum-loss episodes'],
    [m.longOutageCycles.sum <= m.outageEpisodes.sum, () => 'more weighted cycles with a long write outage than write outages'],
    [m.quorumLossCycles.sum <= w.sumWeight && m.longOutageCycles.sum <= w.sumWeight, () => 'weighted cycles with a quorum loss or a long outage exceed the total weight of all cycles'],
    [w.sumWeight * w.sumWeight <= BigInt(w.cycles) * w.sumWeightSq, () => `cycle weights: (Σ W)² > cycles × Σ W² (impossible for ${w.cycles} cycles)`],
    [w.cycles >= w.trials && (w.trials > 0 || w.cycles === 0), () => `${w.cycles} cycles for ${w.trials} trials (every trial has at least one)`],
    [w.cyclesWithQuorumLoss <= w.cycles && w.cyclesWithLongOutage <= w.cycles, () => `${w.cyclesWithQuorumLoss} cycles with a quorum loss and ${w.cyclesWithLongOutage} with a long outage out of ${w.cycles}`],
    [w.cyclesWithQuorumLoss > 0 || (m.quorumLossCycles.sum === 0n && w.quorumLossUs.count === 0), () => 'no cycle lost quorum, yet quorum losses are weighted'],
    [w.cyclesWithLongOutage > 0 || m.longOutageCycles.sum === 0n, () => 'no cycle had a long write outage, yet long outages are weighted'],
    [w.quorumLossUs.count >= w.cyclesWithQuorumLoss, () => `${w.quorumLossUs.count} quorum-loss durations for ${w.cyclesWithQuorumLoss} cycles with a quorum loss`],
    [w.quorumLossUs.totalWeight === m.quorumLossEpisodes.sum, () => `the quorum-loss durations weigh ${w.quorumLossUs.totalWeight}, the weighted episodes ${m.quorumLossEpisodes.sum}`],
    [w.electionUs.totalWeight <= m.elections.sum, () => `the election durations weigh ${w.electionUs.totalWeight}, more than the weighted elections ${m.elections.sum}`],
    [w.trials > 0 || (x.sum === 0n && w.sumWeight === 0n && w.quorumLossUs.count === 0 && w.electionUs.count === 0), () => 'no trials, yet time, weights or durations are counted'],
  ];
  for (const [ok, why] of checks) if (!ok) return why();
  for (const q of SPREAD_QUANTITIES) {
    const { sumSq, max } = w.spread[q];
    const s = m[q].sum;
    if (!(max <= s && max * max <= sumSq && sumSq <= max * s && s * s <= BigInt(w.cycles) * sumSq)) return `${q}: its per-cycle spread (Σ v², max v) is impossible for Σ v = ${s} over ${w.cycles} cycles`;
  }
  for (const [name, h] of [['quorumLossUs', w.quorumLossUs], ['electionUs', w.electionUs]] as const) {
    if (h.count > 0 && !(h.min <= h.max)) return `${name}: min ${h.min} > max ${h.max}`;
    const buckets = h.buckets();
    const [first, last] = [buckets[0]?.[0], buckets.at(-1)?.[0]];
    // values of weight 0 have no bucket, so min and max need only bracket the weighted buckets
    if (first !== undefined && last !== undefined && !(h.min < bucketBounds(first)[1] && h.max >= bucketBounds(last)[0])) {
      return `${name}: min ${h.min} or max ${h.max} lies beyond the weighted buckets`;
    }
    if (h.totalWeight > BigInt(h.count) * w.sumWeight) return `${name}: weighs ${h.totalWeight}, more than ${h.count} values can`;
  }
  return null;
}
