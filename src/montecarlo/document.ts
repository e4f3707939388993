import { describeFailureModel, type FailureModelDescription } from '../faults/index.js';
import { backupRow, type BackupRow } from './backup-row.js';
import type { Experiment } from '../model/experiment.js';
import { topologyFromJson, topologyToJson, type TopologyJson } from '../config/topology-json.js';
import { isInitialVoter, type Topology } from '../model/index.js';
import { ACCUMULATOR_FORMAT, Accumulator, type AccumulatorJSON } from './accumulator.js';
import { analyticFor } from './analytic.js';
import { failureBiasedRow } from './biased-row.js';
import { contentDigest } from './digest.js';
import { estimateRow, type AvailabilityRow, type StoppedBy } from './estimate.js';
import { planProblem, studyProblem } from './integrity.js';
import { resolveMethod, type ResolvedMethod, type RequestedMethod } from './method.js';
import type { RunPlan, Shard } from './plan.js';

/** A sweep variant: which key was set to which value for this row. */
export interface Variant {
  readonly key: string;
  readonly value: string;
}

/** What a study was run on, after every override: recorded so the output states its assumptions. */
export interface StudyConfig {
  readonly topology: Topology;
  readonly experiment: Experiment;
  readonly variant: Variant | null;
}

export interface StudyOptions {
  readonly seed: string;
  /** trials requested (all shards together) */
  readonly runs: number;
  readonly horizonUs: number;
  readonly precision: number | null;
  readonly shard: Shard | null;
  readonly chunkSize: number;
  /** the estimator asked for (method.ts); absent = naive. The CLI's default is `auto`. */
  readonly method?: RequestedMethod;
}

export type ResultRow = AvailabilityRow & {
  /** why this row ran with its `method` (method.ts resolveMethod), in words; null when not recorded */
  readonly methodReason: string | null;
  readonly variant: Variant | null;
  /** the resolved configuration this row was simulated with, and its failure model in words */
  readonly config: { readonly topology: TopologyJson; readonly experiment: Experiment; readonly failureModel: FailureModelDescription };
  /** exact sufficient statistics: what `zksim merge` adds up */
  readonly statistics: AccumulatorJSON;
  /** topologies with a backup policy: data lost and restore downtime per year (montecarlo/backup-row.ts) */
  readonly backup?: BackupRow;
};

/** `zksim availability --json` / `sweep --json` / `merge --json` (issue 5's stable contract). */
export interface AvailabilityDocument {
  readonly kind: 'zksim-availability';
  /** AVAILABILITY_FORMAT: documents of another format are refused by `merge` */
  readonly format: number;
  readonly seed: string;
  /** experiment name (the resolved configuration is in each row's `config`) */
  readonly experiment: string;
  /**
   * the failure model every row was simulated with (faults/describe.ts), or null when the rows
   * differ (a sweep over failure parameters): then see each row's `config.failureModel`
   */
  readonly failureModel: FailureModelDescription | null;
  readonly version: string;
  readonly options: {
    readonly runs: number;
    readonly horizonUs: number;
    readonly horizonYears: number;
    readonly precision: number | null;
    readonly shard: Shard | null;
    readonly chunkSize: number;
    /** the estimator asked for (`--method`); each row's `method` says what it ran with */
    readonly method: RequestedMethod;
  };
  /** how the numbers were estimated, in words */
  readonly assumptions: readonly string[];
  readonly notes: readonly string[];
  readonly results: readonly ResultRow[];
  /**
   * SHA-256 hex of the canonical JSON of every other field (digest.ts contentDigest): `merge`
   * refuses a document without one or whose content no longer matches it (edited or damaged).
   */
  readonly digest: string;
}

/**
 * Format of the availability document; it follows the accumulator's (the `statistics` of each
 * row), so shards from another version are refused by `merge` with a clear message.
 */
export const AVAILABILITY_FORMAT = ACCUMULATOR_FORMAT;

export interface StudyResult {
  readonly config: StudyConfig;
  readonly acc: Accumulator;
  readonly stoppedBy: StoppedBy;
  /** the estimator this study ran with and why (method.ts resolveMethod); absent = naive */
  readonly method?: ResolvedMethod;
}

export const ASSUMPTIONS: readonly string[] = [
  'trial i uses seed deriveSeed(seed, i); its faults come from that seed\'s "faults" stream',
  'every trial starts with all servers up and no leader; downtime is measured over the whole horizon from t = 0, so the initial election counts as write downtime (symptom "electing", process "startup") and a trial that never gets a write-available leader is 0% available',
  'availability is time-weighted: total downtime / total measured time over all trials',
  '95% intervals: ratio-estimator delta method over i.i.d. trials (availability), Garwood (rates), Wilson (probabilities)',
  'writeAvailability: an established leader with a synced quorum it can reach; quorumAvailability: a connected quorum of voter processes up',
  'downtime by process: each downtime instant is charged to the failure process of the earliest-started fault still active that touches a voter; when none is active, to the process of the most recently repaired such fault (the aftermath: elections and syncing after a repair); before any, to "startup"; faults touching no voter (observers) are never charged. By process and by cause each add up exactly to the total',
  'an episode (write outage, quorum loss) is charged to the process in force at its first instant (a start-up episode that a fault runs into is that fault\'s); episodes still open at the end of a trial are cut there',
  'election time: LOOKING to established, only for elections (after the initial one) that began with a connected quorum and kept it; time without a quorum is a quorum-loss episode, with its own duration distribution (quorumLossMsP50/P99)',
  `quorumLossProbabilityPerYear: fraction of trials that lost a connected quorum at least once; longOutageProbabilityPerYear: fraction with a write outage (the initial election included) longer than the session timeout (30 s, the ZooKeeper client default: sessions, ephemeral nodes and locks expire); both rescaled to one year as 1-(1-p)^(1/horizonYears)`,
  'outageProbabilityPerYear (any write outage, initial election included) is kept for reference only: it is ~100% for every layout',
  'outagesPerYear, tooFewWriteEpisodes and --precision count write outages caused by failures (not the initial election); tooFewQuorumEpisodes counts quorum-loss episodes; fewer than 10 makes the matching interval untrustworthy',
  'simulated MTTQL: censored-exponential MLE, total time to first quorum loss (or window end) / trials that lost quorum',
  'simulatedMeanYearsToQuorumLossCi95: Garwood 95% interval on the rate of first quorum losses over quorumLossExposureYears, inverted; with no loss seen it is [exposure/3.689, null]: the 95% lower bound, not the trial-years; tooFewMttqlEvents when fewer than 10 trials lost quorum',
  'writeAvailabilityUntrusted (marked *): fewer than 10 write outages caused by failures, or fewer than 10 quorum-loss episodes unless a closed form covering every process puts quorum unavailability under a tenth of the simulated write unavailability (writes need a quorum: unseen quorum losses would add write downtime the interval does not show)',
  'warnings (per row): too few episodes, closed form outside the quorum interval (beyond 1e-12 and beyond what printing shows), write downtime resting on few quorum losses, a write interval above a complete closed form (impossible), a horizon under one hour',
  'analytic values are exact for the stated model only (see analyticModel, analyticCovers, analyticLeavesOut); null where no closed form applies',
  'a year is 365 days',
  'rows with method "failure-biasing" (--method; auto picks it where losing the quorum takes overlapping failures, every failure process is memoryless, and a pilot of fault schedules expects fewer than 100 quorum losses in the planned trials): fault schedules drawn by balanced failure biasing with approximate forcing, each regenerative cycle (from an all-up instant) weighted by its likelihood ratio; availabilities, rates and downtime by cause and by process are weighted ratios Σ W·D / Σ W·C with delta-method 95% intervals over trials; P(quorum lost in a year) and P(long outage) = 1 − e^(−ρ·1 year), ρ the weighted rate of cycles with the event, and the simulated MTTQL is 1/ρ; their episode counts are as simulated under the biased measure; rareEvent gives the effective sample size and relative errors, and degenerate weights mark the row untrusted',
];

export function resultRow(study: StudyResult, horizonUs: number): ResultRow {
  const { topology, experiment, variant } = study.config;
  const voters = topology.servers.filter(isInitialVoter).length;
  const base = estimateRow(study.acc, {
    topology: topology.name,
    voters,
    observers: topology.servers.filter((s) => s.role === 'observer').length,
    horizonUs,
    analytic: analyticFor(experiment, topology),
    stoppedBy: study.stoppedBy,
  });
  const row = study.acc.weighted ? failureBiasedRow(base, study.acc.weighted, horizonUs) : base;
  const backup = topology.backup ? { backup: backupRow(study.acc.backup, study.acc.measured, study.acc.trials, topology.backup, experiment, study.acc.weighted !== null) } : {};
  return { ...row, methodReason: study.method?.reason ?? null, variant, config: { topology: topologyToJson(topology), experiment, failureModel: describeFailureModel(experiment) }, statistics: study.acc.toJSON(), ...backup };
}

export function availabilityDocument(
  opts: StudyOptions,
  studies: readonly StudyResult[],
  version: string,
  notes: readonly string[] = [],
): AvailabilityDocument {
  const first = studies[0];
  const results = studies.map((s) => resultRow(s, opts.horizonUs));
  const models = results.map((r) => JSON.stringify(r.config.failureModel));
  const doc: Omit<AvailabilityDocument, 'digest'> = {
    kind: 'zksim-availability',
    format: AVAILABILITY_FORMAT,
    seed: opts.seed,
    experiment: first ? first.config.experiment.name : '',
    failureModel: results[0] && models.every((m) => m === models[0]) ? results[0].config.failureModel : null,
    version,
    options: {
      runs: opts.runs,
      horizonUs: opts.horizonUs,
      horizonYears: opts.horizonUs / (365 * 86_400_000_000),
      precision: opts.precision,
      shard: opts.shard,
      chunkSize: opts.chunkSize,
      method: opts.method ?? 'naive',
    },
    assumptions: ASSUMPTIONS,
    notes,
    results,
  };
  return { ...doc, digest: contentDigest(doc) };
}

/** Thrown by `mergeDocuments` for inputs that are not shards of one study. */
export class MergeError extends Error {}

/** How merge messages name input `i`: the caller's name for it (a file), else "input i+1". */
function inputName(names: readonly string[], i: number): string {
  return names[i] ?? `input ${i + 1}`;
}

/**
 * Combines shard outputs (`--shard K/N`, K = 1..N) into exactly the document one unsharded run
 * would have printed: the accumulators are exact integer sums, so the order of the inputs and
 * the way trials were split do not matter. All shards must share seed, version, options and
 * configurations, and every K in 1..N must appear exactly once (issue 10: a shard relabelled 5/3
 * was counted twice). Each input must carry the digest of its content, and each row's statistics
 * must be consistent and hold exactly that shard's trials (integrity.ts studyProblem: indices
 * ≡ K−1 mod N below runs; a whole number of chunks of them if interrupted or stopped by
 * precision). Throws MergeError naming the input (its entry in `names`, e.g. a file, or "input 2") and what is wrong.
 */
export function mergeDocuments(docs: readonly AvailabilityDocument[], names: readonly string[] = []): AvailabilityDocument {
  const first = docs[0];
  if (!first) throw new MergeError('nothing to merge');
  docs.forEach((d, i) => {
    if (d === null || typeof d !== 'object' || d.kind !== 'zksim-availability') throw new MergeError(`${inputName(names, i)}: not a zksim availability document`);
    if (d.format !== AVAILABILITY_FORMAT) {
      const made = d.format === undefined ? 'an older format (before issue 9)' : `format ${String(d.format)}`;
      throw new MergeError(`${inputName(names, i)}: ${made}, this zksim merges format ${AVAILABILITY_FORMAT}: re-run the shards with the same zksim`);
    }
    if (typeof d.digest !== 'string') throw new MergeError(`${inputName(names, i)}: no digest (written by an older zksim, or edited): re-run the shard`);
    if (contentDigest(d, 'digest') !== d.digest) throw new MergeError(`${inputName(names, i)}: digest mismatch: the file was edited or damaged after zksim wrote it`);
  });
  const shardCount = first.options.shard?.count ?? 1;
  const seen = new Set<number>();
  docs.forEach((d, i) => {
    const what = `${inputName(names, i)}`;
    if (d.version !== first.version) throw new MergeError(`${what}: made by zksim ${d.version}, ${inputName(names, 0)} by ${first.version}`);
    if (d.seed !== first.seed) throw new MergeError(`${what}: seed ${d.seed}, ${inputName(names, 0)} has seed ${first.seed}`);
    for (const k of ['runs', 'horizonUs', 'precision', 'chunkSize', 'method'] as const) {
      if (d.options[k] !== first.options[k]) throw new MergeError(`${what}: ${k} ${String(d.options[k])}, ${inputName(names, 0)} has ${String(first.options[k])}`);
    }
    const plan: RunPlan = { runs: d.options.runs, shard: d.options.shard, chunkSize: d.options.chunkSize, precision: d.options.precision };
    const bad = planProblem(plan, d.options.horizonUs);
    if (bad !== null) throw new MergeError(`${what}: options: ${bad}`);
    const count = d.options.shard?.count ?? 1;
    if (count !== shardCount) throw new MergeError(`${what}: shard of ${count}, ${inputName(names, 0)} is a shard of ${shardCount}`);
    const index = d.options.shard?.index ?? 1;
    if (seen.has(index)) throw new MergeError(`${what}: shard ${index}/${count} appears twice`);
    seen.add(index);
    if (d.results.length !== first.results.length) throw new MergeError(`${what}: ${d.results.length} results, ${inputName(names, 0)} has ${first.results.length}`);
    d.results.forEach((r, j) => {
      const f = first.results[j] as ResultRow;
      if (JSON.stringify([r.config, r.variant]) !== JSON.stringify([f.config, f.variant])) {
        throw new MergeError(`${what}: result ${j + 1} (${r.topology}) was run on a different configuration than ${inputName(names, 0)}'s`);
      }
      let acc: Accumulator;
      try {
        acc = Accumulator.fromJSON(r.statistics);
      } catch (e) {
        throw new MergeError(`${what}: result ${j + 1} (${r.topology}): ${(e as Error).message}`);
      }
      const why = studyProblem(acc, plan, d.options.horizonUs, r.stoppedBy);
      if (why !== null) throw new MergeError(`${what}: result ${j + 1} (${r.topology}): impossible statistics: ${why}`);
    });
  });
  const missing: number[] = [];
  for (let k = 1; k <= shardCount; k++) if (!seen.has(k)) missing.push(k);
  if (missing.length > 0) throw new MergeError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${shardCount}`).join(', ')}`);

  const notes: string[] = [];
  const studies: StudyResult[] = first.results.map((f, j) => {
    const acc = new Accumulator();
    let interrupted = false;
    for (const d of docs) {
      const r = d.results[j] as ResultRow;
      acc.merge(Accumulator.fromJSON(r.statistics));
      if (r.stoppedBy === 'interrupted') interrupted = true;
    }
    if (interrupted) notes.push(`${f.topology}: some shards were interrupted; ${acc.trials} of ${first.options.runs} trials`);
    const config = { topology: topologyFromJson(f.config.topology), experiment: f.config.experiment, variant: f.variant };
    return { config, acc, stoppedBy: interrupted ? 'interrupted' : 'runs', method: resolveMethod(first.options.method, config.topology, config.experiment, { runs: first.options.runs, horizonUs: first.options.horizonUs, seed: first.seed }) };
  });
  const { runs, horizonUs, precision, chunkSize, method } = first.options;
  const opts: StudyOptions = { seed: first.seed, runs, horizonUs, precision, shard: null, chunkSize, method };
  return availabilityDocument(opts, studies, first.version, notes);
}
