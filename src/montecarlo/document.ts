import type { Experiment } from '../model/experiment.js';
import type { Topology } from '../model/index.js';
import { Accumulator, type AccumulatorJSON } from './accumulator.js';
import { analyticFor } from './analytic.js';
import { estimateRow, type AvailabilityRow, type StoppedBy } from './estimate.js';
import type { Shard } from './plan.js';

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
}

export type ResultRow = AvailabilityRow & {
  readonly variant: Variant | null;
  /** the resolved configuration this row was simulated with */
  readonly config: { readonly topology: Topology; readonly experiment: Experiment };
  /** exact sufficient statistics: what `zksim merge` adds up */
  readonly statistics: AccumulatorJSON;
};

/** `zksim availability --json` / `sweep --json` / `merge --json` (issue 5's stable contract). */
export interface AvailabilityDocument {
  readonly kind: 'zksim-availability';
  readonly seed: string;
  /** experiment name (the resolved configuration is in each row's `config`) */
  readonly experiment: string;
  readonly version: string;
  readonly options: {
    readonly runs: number;
    readonly horizonUs: number;
    readonly horizonYears: number;
    readonly precision: number | null;
    readonly shard: Shard | null;
    readonly chunkSize: number;
  };
  /** how the numbers were estimated, in words */
  readonly assumptions: readonly string[];
  readonly notes: readonly string[];
  readonly results: readonly ResultRow[];
}

export interface StudyResult {
  readonly config: StudyConfig;
  readonly acc: Accumulator;
  readonly stoppedBy: StoppedBy;
}

export const ASSUMPTIONS: readonly string[] = [
  'trial i uses seed deriveSeed(seed, i); its faults come from that seed\'s "faults" stream',
  'the measured window of a trial starts when its first leader is established (cold start excluded)',
  'availability is time-weighted: total downtime / total measured time over all trials',
  '95% intervals: ratio-estimator delta method over i.i.d. trials (availability), Garwood (rates), Wilson (outage probability)',
  'writeAvailability: an established leader with a synced quorum it can reach; quorumAvailability: a connected quorum of voter processes up',
  'outageProbabilityPerYear: fraction of trials with >=1 write outage, rescaled to one year as 1-(1-p)^(1/horizonYears)',
  'simulated MTTQL: censored-exponential MLE, total time to first quorum loss (or window end) / trials that lost quorum',
  'analytic values are exact for the stated model only (see analyticModel); null where no closed form applies',
  'a year is 365 days',
];

export function resultRow(study: StudyResult, horizonUs: number): ResultRow {
  const { topology, experiment, variant } = study.config;
  const voters = topology.servers.filter((s) => s.role !== 'observer').length;
  const row = estimateRow(study.acc, {
    topology: topology.name,
    voters,
    observers: topology.servers.length - voters,
    horizonUs,
    analytic: analyticFor(experiment, topology),
    stoppedBy: study.stoppedBy,
  });
  return { ...row, variant, config: { topology, experiment }, statistics: study.acc.toJSON() };
}

export function availabilityDocument(
  opts: StudyOptions,
  studies: readonly StudyResult[],
  version: string,
  notes: readonly string[] = [],
): AvailabilityDocument {
  const first = studies[0];
  return {
    kind: 'zksim-availability',
    seed: opts.seed,
    experiment: first ? first.config.experiment.name : '',
    version,
    options: {
      runs: opts.runs,
      horizonUs: opts.horizonUs,
      horizonYears: opts.horizonUs / (365 * 86_400_000_000),
      precision: opts.precision,
      shard: opts.shard,
      chunkSize: opts.chunkSize,
    },
    assumptions: ASSUMPTIONS,
    notes,
    results: studies.map((s) => resultRow(s, opts.horizonUs)),
  };
}

/** Thrown by `mergeDocuments` for inputs that are not shards of one study. */
export class MergeError extends Error {}

/**
 * Combines shard outputs (`--shard K/N`, K = 1..N) into exactly the document one unsharded run
 * would have printed: the accumulators are exact integer sums, so the order of the inputs and
 * the way trials were split do not matter. All shards must share seed, version, options and
 * configurations, and every K in 1..N must appear exactly once.
 */
export function mergeDocuments(docs: readonly AvailabilityDocument[]): AvailabilityDocument {
  const first = docs[0];
  if (!first) throw new MergeError('nothing to merge');
  for (const d of docs) if (d.kind !== 'zksim-availability') throw new MergeError('not a zksim availability document');
  const shardCount = first.options.shard?.count ?? 1;
  const seen = new Set<number>();
  docs.forEach((d, i) => {
    const what = `input ${i + 1}`;
    if (d.version !== first.version) throw new MergeError(`${what}: made by zksim ${d.version}, input 1 by ${first.version}`);
    if (d.seed !== first.seed) throw new MergeError(`${what}: seed ${d.seed}, input 1 has seed ${first.seed}`);
    for (const k of ['runs', 'horizonUs', 'precision', 'chunkSize'] as const) {
      if (d.options[k] !== first.options[k]) throw new MergeError(`${what}: ${k} ${String(d.options[k])}, input 1 has ${String(first.options[k])}`);
    }
    const count = d.options.shard?.count ?? 1;
    if (count !== shardCount) throw new MergeError(`${what}: shard of ${count}, input 1 is a shard of ${shardCount}`);
    const index = d.options.shard?.index ?? 1;
    if (seen.has(index)) throw new MergeError(`${what}: shard ${index}/${count} appears twice`);
    seen.add(index);
    if (d.results.length !== first.results.length) throw new MergeError(`${what}: ${d.results.length} results, input 1 has ${first.results.length}`);
    d.results.forEach((r, j) => {
      const f = first.results[j] as ResultRow;
      if (JSON.stringify([r.config, r.variant]) !== JSON.stringify([f.config, f.variant])) {
        throw new MergeError(`${what}: result ${j + 1} (${r.topology}) was run on a different configuration than input 1's`);
      }
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
    return { config: { topology: f.config.topology, experiment: f.config.experiment, variant: f.variant }, acc, stoppedBy: interrupted ? 'interrupted' : 'runs' };
  });
  const opts: StudyOptions = {
    seed: first.seed,
    runs: first.options.runs,
    horizonUs: first.options.horizonUs,
    precision: first.options.precision,
    shard: null,
    chunkSize: first.options.chunkSize,
  };
  return availabilityDocument(opts, studies, first.version, notes);
}
