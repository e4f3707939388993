import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseExperiment } from '../config/experiment.js';
import { parseTopology } from '../config/index.js';
import { US_PER_HOUR } from '../core/index.js';
import { independentCrashRepair } from '../faults/index.js';
import type { Experiment } from '../model/experiment.js';
import type { Topology } from '../model/index.js';
import { Accumulator, DEFAULT_CHUNK_SIZE, analyticFor, runChunk, weightedRatio, weightedRowFields } from '../montecarlo/index.js';
import type { RunPlan, StudySpec, WeightedAccumulator, WeightedRatio } from '../montecarlo/index.js';
import { MIN_EPISODES, bucketBounds, type Interval } from '../stats/index.js';

/**
 * Issue 12's benchmark: how much failure biasing (`--method failure-biasing`) buys over naive
 * Monte Carlo for the same quantity, quorum unavailability U, measured in one run on this thread
 * (runChunk inline, no workers), CPU seconds from process.cpuUsage() (user + system).
 *
 * Efficiency gain (the work-normalised variance ratio of the rare-event literature, e.g.
 * Heidelberger, ACM TOMACS 1995): (naive variance × naive CPU s) / (biased variance × biased CPU s),
 * each variance that of the estimator after the run that took those seconds — the product does
 * not depend on how many trials were run, so runs of different lengths compare.
 *
 * Where naive Monte Carlo sees (almost) no quorum loss in the budget, its variance cannot be
 * measured; it is then bounded from below by the rare-event run's own estimates: a trial's quorum
 * downtime D is the sum of its episodes' durations d, so E[D²] ≥ E[Σ d²], and one trial's
 * unavailability D/H (H the horizon) has variance ≥ E[Σ d²]/H² − U². E[Σ d²] per µs comes from
 * the weighted histogram of quorum-loss durations at each bucket's LOWER bound, so the bound
 * stays a bound. The measured naive figure is reported beside it whenever naive saw a loss.
 */

/** An estimator's cost: its variance after a run, and the CPU seconds the run took. */
export interface WorkVariance {
  readonly variance: number;
  readonly cpuSeconds: number;
}

/** (naive variance × naive CPU s) / (biased variance × biased CPU s); NaN when the biased product is 0. */
export function efficiencyGain(naive: WorkVariance, biased: WorkVariance): number {
  const b = biased.variance * biased.cpuSeconds;
  return b > 0 ? (naive.variance * naive.cpuSeconds) / b : NaN;
}

/**
 * CPU seconds to bring a relative standard error down to `target`, from a run that reached
 * `relativeError` in `cpuSeconds`: the variance falls as 1/work, so cpuSeconds·(relativeError/target)².
 */
export function cpuSecondsToRelativeError(relativeError: number, cpuSeconds: number, target: number): number {
  return cpuSeconds * (relativeError / target) ** 2;
}

/**
 * Lower bound on the variance of ONE naive trial's unavailability D/H (H = horizon, µs), from
 * `squaredEpisodeUsPerUs` = E[Σ d²] per µs of measured time (d: quorum-loss durations, µs) and the
 * unavailability U: E[Σ d²]·H/H² − U² = E[Σ d²]/H − U², at least 0. See the file comment.
 */
export function naiveVariancePerTrialBound(squaredEpisodeUsPerUs: number, unavailability: number, horizonUs: number): number {
  return Math.max(0, squaredEpisodeUsPerUs / horizonUs - unavailability * unavailability);
}

/**
 * E[Σ d²] per µs under the natural measure from a failure-biased run: Σ_buckets W_b·lo_b² / Σ W·C,
 * lo_b the lower bound of the duration bucket (so an underestimate, by ≤ 1.6% per bucket).
 */
export function weightedSquaredEpisodes(w: WeightedAccumulator): number {
  const x = Number(w.measured.sum);
  if (x === 0) return NaN;
  let s = 0;
  for (const [b, weight] of w.quorumLossUs.buckets()) {
    const lo = bucketBounds(b)[0];
    s += (Number(weight) / x) * lo * lo;
  }
  return s;
}

/** A trial loop's result: what was accumulated, over how many trials, in how many CPU seconds. */
interface Measured {
  readonly acc: Accumulator;
  readonly trials: number;
  readonly cpuSeconds: number;
}

/**
 * Runs chunks of `spec` on this thread until `stop(acc)` (checked after each chunk once
 * `minTrials` ran) or `maxTrials`; CPU seconds are those of the trials only (checks excluded).
 */
function measure(spec: StudySpec, maxTrials: number, minTrials: number, stop: (acc: Accumulator) => boolean): Measured {
  const plan: RunPlan = { runs: maxTrials, shard: null, chunkSize: DEFAULT_CHUNK_SIZE, precision: null };
  const acc = new Accumulator();
  let cpuUs = 0;
  for (let chunk = 0; acc.trials < maxTrials; chunk++) {
    const before = process.cpuUsage();
    const part = runChunk(spec, plan, chunk);
    const used = process.cpuUsage(before);
    cpuUs += used.user + used.system;
    acc.merge(part);
    if (acc.trials >= minTrials && stop(acc)) break;
  }
  return { acc, trials: acc.trials, cpuSeconds: cpuUs / 1e6 };
}

/** An estimate with its standard error as printed: value, 95% interval, relative standard error. */
export interface BenchEstimate {
  readonly value: number;
  readonly ci95: Interval;
  readonly standardError: number;
  readonly relativeError: number | null;
}

function estimateOf(r: WeightedRatio): BenchEstimate {
  return { value: r.value, ci95: r.ci95, standardError: r.standardError, relativeError: r.relativeError };
}

/** Quorum unavailability of a run (weighted if failure-biased). */
function quorumOf(acc: Accumulator): WeightedRatio {
  const w = acc.weighted;
  return w ? weightedRatio(w.moments.quorumDown, w.measured, w.trials) : weightedRatio(acc.quorumDown, acc.measured, acc.trials);
}

export interface RareEventGainCase {
  /** e.g. "n5-3az, independent crash/repair a = 0.999" */
  readonly name: string;
  readonly topology: string;
  readonly experiment: string;
  readonly analyticQuorumUnavailability: number | null;
  readonly biased: {
    readonly trials: number;
    readonly cpuSeconds: number;
    readonly quorumUnavailability: BenchEstimate;
    /** P(quorum lost in a year) = 1 − exp(−ρ·year) and its relative standard error */
    readonly quorumLossProbabilityPerYear: number;
    readonly quorumLossProbabilityPerYearCi95: Interval;
    readonly quorumLossProbabilityRelativeError: number | null;
    readonly cycles: number;
    readonly cyclesWithQuorumLoss: number;
    readonly effectiveSampleSize: number;
    readonly degenerate: boolean;
  };
  readonly naive: {
    readonly trials: number;
    readonly cpuSeconds: number;
    readonly trialsWithQuorumLoss: number;
    readonly quorumLossEpisodes: number;
    readonly quorumUnavailability: BenchEstimate;
    /** fraction of trials (one year each) that lost quorum */
    readonly quorumLossProbabilityPerYear: number;
  };
  /** variance of ONE naive trial's quorum unavailability, measured over the naive trials; null when naive saw no loss */
  readonly naiveVariancePerTrialMeasured: number | null;
  /** the same, bounded below from the rare-event run's own estimates of U and E[Σ d²] (file comment) */
  readonly naiveVariancePerTrialEstimated: number;
  /** which of the two `gain` uses: measured when naive saw ≥ MIN_EPISODES (10) quorum-loss episodes */
  readonly gainSource: 'measured' | 'estimated';
  /** efficiency gain on quorum unavailability (efficiencyGain) */
  readonly gain: number;
  readonly gainMeasured: number | null;
  readonly gainEstimated: number;
  /** efficiency gain on P(quorum lost in a year), naive variance p(1−p) per trial with p the biased estimate */
  readonly lossProbabilityGain: number;
  /** in words: where the naive variance came from */
  readonly note: string;
}

export interface RelativeErrorCase {
  readonly topology: string;
  readonly voters: number;
  readonly analyticQuorumUnavailability: number | null;
  readonly quorumUnavailability: BenchEstimate;
  readonly quorumLossProbabilityPerYear: number;
  readonly trials: number;
  /** CPU seconds of the failure-biased trials run until the quorum relative standard error was ≤ target (or the cap) */
  readonly cpuSeconds: number;
  /** whether the target was reached within the cap (else cpuSecondsProjected extrapolates) */
  readonly reached: boolean;
  /** cpuSecondsToRelativeError from the final run (what the time would be without the chunk grain and the cap) */
  readonly cpuSecondsProjected: number | null;
  readonly degenerate: boolean;
}

export interface RareEventBench {
  /** the relative standard error the CPU times are for */
  readonly targetRelativeError: number;
  readonly gains: readonly RareEventGainCase[];
  readonly toTargetRelativeError: readonly RelativeErrorCase[];
  readonly seed: string;
  /** CPU seconds of the whole section (trials only) */
  readonly cpuSeconds: number;
}

const TARGET = 0.1;
/** issue 12's aim for the efficiency gain of n5 at a = 0.999 and under production.yaml */
const GAIN_AIM = 100;
const SEED = 'bench-rare-event';
/** failure-biased runs: at least this many trials before the stopping check (an RE from 2 trials is noise) */
const MIN_BIASED_TRIALS = 64;

function file(rel: string): string {
  return fileURLToPath(new URL(`../../${rel}`, import.meta.url));
}

function topologyFromText(text: string, name: string): Topology {
  const parsed = parseTopology(text, name);
  if (!parsed.ok) throw new Error(`bench: ${name} is invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.topology;
}

function loadTopology(name: string): Topology {
  const f = file(`topologies/${name}.yaml`);
  return topologyFromText(readFileSync(f, 'utf8'), f);
}

/**
 * Nine voters under majority quorums, 3+3+3 over three zones, built from n7-3az's file (same
 * settings and latencies). The shipped n9-3x3-hier uses hierarchical quorums, which lose the
 * quorum with 4 failures (2 in each of 2 groups) instead of 5: not the "n9" of issue 12.
 */
function n9Majority(): Topology {
  const f = file('topologies/n7-3az.yaml');
  const text = readFileSync(f, 'utf8');
  const head = text.slice(0, text.indexOf('\nservers:'));
  const servers = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((id) => {
    const zone = `az${Math.ceil(id / 3)}`;
    return `  - { id: ${id}, zone: ${zone}, rack: ${zone}-r${((id - 1) % 3) + 1} }`;
  });
  const body = head.replace(/^name: .*$/m, 'name: n9-3az').replace(/^description: .*$/m, 'description: "9 voters, 3+3+3 over three zones (majority)"');
  return topologyFromText(`${body}\nservers:\n${servers.join('\n')}\n`, 'n9-3az (built from n7-3az.yaml)');
}

function production(): Experiment {
  const f = file('experiments/production.yaml');
  const parsed = parseExperiment(readFileSync(f, 'utf8'), f);
  if (!parsed.ok) throw new Error(`bench: ${f} is invalid`);
  return parsed.experiment;
}

/** production's horizon and seed with independent exponential host crash/repair at a = MTTF/(MTTF+MTTR) = 0.999. */
function independent999(base: Experiment): Experiment {
  return { ...base, name: 'independent crash/repair (node MTTF 999h, MTTR 1h)', failures: independentCrashRepair(999 * US_PER_HOUR, US_PER_HOUR) };
}

function spec(topology: Topology, experiment: Experiment, method: 'naive' | 'failure-biasing'): StudySpec {
  return { topology, experiment, seed: SEED, horizonUs: experiment.horizonUs, method };
}

function weightedOf(acc: Accumulator): WeightedAccumulator {
  if (!acc.weighted) throw new Error('bench: a failure-biased run gave no weighted statistics');
  return acc.weighted;
}

/** Failure-biased trials until the quorum relative standard error is ≤ TARGET with non-degenerate weights, or maxTrials. */
function biasedToTarget(topology: Topology, experiment: Experiment, maxTrials: number): Measured {
  return measure(spec(topology, experiment, 'failure-biasing'), maxTrials, MIN_BIASED_TRIALS, (acc) => {
    const w = weightedOf(acc);
    const re = weightedRowFields(w, experiment.horizonUs).rareEvent;
    return re !== null && !re.degenerate && re.quorumRelativeError !== null && re.quorumRelativeError <= TARGET;
  });
}

function relativeErrorCase(topology: Topology, experiment: Experiment, run: Measured): RelativeErrorCase {
  const w = weightedOf(run.acc);
  const fields = weightedRowFields(w, experiment.horizonUs);
  const q = quorumOf(run.acc);
  const reached = q.relativeError !== null && q.relativeError <= TARGET && fields.rareEvent?.degenerate === false;
  return {
    topology: topology.name,
    voters: topology.servers.filter((s) => s.role !== 'observer').length,
    analyticQuorumUnavailability: analyticFor(experiment, topology)?.quorumUnavailability ?? null,
    quorumUnavailability: estimateOf(q),
    quorumLossProbabilityPerYear: fields.quorumLossProbabilityPerYear,
    trials: run.trials,
    cpuSeconds: run.cpuSeconds,
    reached,
    cpuSecondsProjected: q.relativeError === null ? null : cpuSecondsToRelativeError(q.relativeError, run.cpuSeconds, TARGET),
    degenerate: fields.rareEvent?.degenerate ?? true,
  };
}

function gainCase(name: string, topology: Topology, experiment: Experiment, biased: Measured, naive: Measured): RareEventGainCase {
  const w = weightedOf(biased.acc);
  const fields = weightedRowFields(w, experiment.horizonUs);
  const diag = fields.rareEvent;
  const qb = quorumOf(biased.acc);
  const qn = quorumOf(naive.acc);
  const n = naive.acc;
  const estimatedPerTrial = naiveVariancePerTrialBound(weightedSquaredEpisodes(w), qb.value, experiment.horizonUs);
  const measuredPerTrial = n.quorumLossEpisodes > 0 && Number.isFinite(qn.standardError) ? qn.standardError ** 2 * n.trials : null;
  const biasedWork: WorkVariance = { variance: qb.standardError ** 2, cpuSeconds: biased.cpuSeconds };
  const naiveCpuPerTrial = naive.cpuSeconds / naive.trials;
  const gainEstimated = efficiencyGain({ variance: estimatedPerTrial, cpuSeconds: naiveCpuPerTrial }, biasedWork);
  const gainMeasured = measuredPerTrial === null ? null : efficiencyGain({ variance: measuredPerTrial, cpuSeconds: naiveCpuPerTrial }, biasedWork);
  const useMeasured = gainMeasured !== null && n.quorumLossEpisodes >= MIN_EPISODES;
  const p = fields.quorumLossProbabilityPerYear;
  const pRe = diag?.quorumLossProbabilityRelativeError ?? null;
  const lossProbabilityGain = pRe === null ? NaN : efficiencyGain({ variance: p * (1 - p), cpuSeconds: naiveCpuPerTrial }, { variance: (pRe * p) ** 2, cpuSeconds: biased.cpuSeconds });
  const losses = `${n.quorumLossEpisodes} quorum loss${n.quorumLossEpisodes === 1 ? '' : 'es'} in ${n.trials} trials`;
  const note = useMeasured
    ? `naive variance measured: naive saw ${losses}`
    : `naive variance estimated from the rare-event run's own estimates of P(loss) and E[D²] because naive saw ${losses}` +
      (n.quorumLossEpisodes > 0 ? ` (fewer than ${MIN_EPISODES}; measured figure kept beside it)` : '');
  return {
    name,
    topology: topology.name,
    experiment: experiment.name,
    analyticQuorumUnavailability: analyticFor(experiment, topology)?.quorumUnavailability ?? null,
    biased: {
      trials: biased.trials,
      cpuSeconds: biased.cpuSeconds,
      quorumUnavailability: estimateOf(qb),
      quorumLossProbabilityPerYear: p,
      quorumLossProbabilityPerYearCi95: fields.quorumLossProbabilityPerYearCi95,
      quorumLossProbabilityRelativeError: pRe,
      cycles: w.cycles,
      cyclesWithQuorumLoss: w.cyclesWithQuorumLoss,
      effectiveSampleSize: diag?.effectiveSampleSize ?? 0,
      degenerate: diag?.degenerate ?? true,
    },
    naive: {
      trials: n.trials,
      cpuSeconds: naive.cpuSeconds,
      trialsWithQuorumLoss: n.trialsWithQuorumLoss,
      quorumLossEpisodes: n.quorumLossEpisodes,
      quorumUnavailability: estimateOf(qn),
      quorumLossProbabilityPerYear: n.trials > 0 ? n.trialsWithQuorumLoss / n.trials : NaN,
    },
    naiveVariancePerTrialMeasured: measuredPerTrial,
    naiveVariancePerTrialEstimated: estimatedPerTrial,
    gainSource: useMeasured ? 'measured' : 'estimated',
    gain: useMeasured ? (gainMeasured as number) : gainEstimated,
    gainMeasured,
    gainEstimated,
    lossProbabilityGain,
    note,
  };
}

/** Trial budgets: small enough that the section stays within a few CPU minutes on one core. */
export interface RareEventBudget {
  readonly naiveIndependentTrials: number;
  readonly naiveProductionTrials: number;
  readonly maxBiasedTrials: number;
}

export const DEFAULT_RARE_EVENT_BUDGET: RareEventBudget = { naiveIndependentTrials: 256, naiveProductionTrials: 2048, maxBiasedTrials: 2048 };

export function benchRareEvent(budget: RareEventBudget = DEFAULT_RARE_EVENT_BUDGET): RareEventBench {
  const prod = production();
  const indep = independent999(prod);
  const n5 = loadTopology('n5-3az');
  const n7 = loadTopology('n7-3az');
  const n9 = n9Majority();

  const n5Biased = biasedToTarget(n5, indep, budget.maxBiasedTrials);
  const n5Naive = measure(spec(n5, indep, 'naive'), budget.naiveIndependentTrials, Infinity, () => false);
  const prodBiased = biasedToTarget(n5, prod, budget.maxBiasedTrials);
  const prodNaive = measure(spec(n5, prod, 'naive'), budget.naiveProductionTrials, Infinity, () => false);
  const n7Biased = biasedToTarget(n7, indep, budget.maxBiasedTrials);
  const n9Biased = biasedToTarget(n9, indep, budget.maxBiasedTrials);

  const gains = [
    gainCase('n5-3az, independent crash/repair a = 0.999', n5, indep, n5Biased, n5Naive),
    gainCase('n5-3az, production.yaml', n5, prod, prodBiased, prodNaive),
  ];
  const toTargetRelativeError = [relativeErrorCase(n5, indep, n5Biased), relativeErrorCase(n7, indep, n7Biased), relativeErrorCase(n9, indep, n9Biased)];
  const cpuSeconds = [n5Biased, n5Naive, prodBiased, prodNaive, n7Biased, n9Biased].reduce((s, m) => s + m.cpuSeconds, 0);
  return { targetRelativeError: TARGET, gains, toTargetRelativeError, seed: SEED, cpuSeconds };
}

/** `npm run bench`'s lines: one per gain case, one for the CPU times to the target relative error. */
export function rareEventSummary(r: RareEventBench): string {
  const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
  const sci = (v: number): string => v.toPrecision(3);
  const times = (v: number): string => (Number.isFinite(v) ? `${v >= 100 ? v.toFixed(0) : v.toPrecision(3)}×` : 'n/a');
  const lines = r.gains.map((g) => {
    const b = g.biased;
    const closed = g.analyticQuorumUnavailability === null ? '' : ` (closed form ${sci(g.analyticQuorumUnavailability)})`;
    const measured = g.gainSource === 'estimated' && g.gainMeasured !== null ? `; measured-naive gain ${times(g.gainMeasured)}` : '';
    return (
      `rare-event ${g.name}: quorum unavailability ${sci(b.quorumUnavailability.value)} ±${pct(b.quorumUnavailability.relativeError)} RSE${closed}, ` +
      `P(quorum lost in a year) ${sci(b.quorumLossProbabilityPerYear)} ±${pct(b.quorumLossProbabilityRelativeError)}${b.degenerate ? ' [weights degenerate]' : ''}; ` +
      `failure biasing ${b.trials} trials ${b.cpuSeconds.toFixed(1)} CPU s, naive ${g.naive.trials} trials ${g.naive.cpuSeconds.toFixed(1)} CPU s ` +
      `(${g.naive.trialsWithQuorumLoss} lost quorum); gain ${times(g.gain)}${g.gain < GAIN_AIM ? ` (below the ${GAIN_AIM}× aim)` : ''} on quorum unavailability (${g.note})${measured}, ` +
      `gain ${times(g.lossProbabilityGain)} on P(quorum lost in a year) (naive variance p(1−p))`
    );
  });
  const rel = r.toTargetRelativeError.map((c) => {
    const how = c.reached ? `${c.cpuSeconds.toFixed(1)} CPU s (${c.trials} trials, RSE ${pct(c.quorumUnavailability.relativeError)})` : `not reached in ${c.cpuSeconds.toFixed(1)} CPU s (${c.trials} trials, RSE ${pct(c.quorumUnavailability.relativeError)}${c.degenerate ? ', weights degenerate' : ''}; projected ${c.cpuSecondsProjected === null ? 'n/a' : `${c.cpuSecondsProjected.toFixed(0)} CPU s`})`;
    const closed = c.analyticQuorumUnavailability === null ? '' : ` vs closed form ${sci(c.analyticQuorumUnavailability)}`;
    return `${c.topology} ${how}, U ${sci(c.quorumUnavailability.value)}${closed}`;
  });
  lines.push(`rare-event: CPU time to ${r.targetRelativeError * 100}% relative standard error on quorum unavailability at a = 0.999, failure biasing: ${rel.join('; ')}`);
  return lines.join('\n');
}
