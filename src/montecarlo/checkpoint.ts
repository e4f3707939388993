import { createHash } from 'node:crypto';
import { Accumulator, type AccumulatorJSON } from './accumulator.js';
import type { StudyConfig, StudyOptions } from './document.js';
import type { StoppedBy } from './estimate.js';

/**
 * `--checkpoint FILE`: the in-order merged prefix of every study, so an interrupted run resumes
 * without redoing or losing finished chunks. Only whole chunks in chunk order are saved, which
 * keeps `--precision` stopping and the final JSON identical to an uninterrupted run.
 *
 * The fingerprint pins everything that decides the trials and their grouping: configurations,
 * seed, horizon, runs, precision, shard, chunk size and the zksim version. Worker count is not in
 * it (it changes nothing). A checkpoint with another fingerprint is refused, naming what changed.
 */
export interface CheckpointStudy {
  readonly key: string;
  readonly nextChunk: number;
  /** set once the study finished (by runs or precision): skipped on resume */
  readonly finished: Exclude<StoppedBy, 'interrupted'> | null;
  readonly acc: AccumulatorJSON;
}

export interface Checkpoint {
  readonly kind: 'zksim-checkpoint';
  readonly fingerprint: string;
  /** the fingerprinted inputs, readable, to say what differs */
  readonly parts: FingerprintParts;
  readonly studies: readonly CheckpointStudy[];
}

export interface FingerprintParts {
  readonly version: string;
  readonly seed: string;
  readonly runs: number;
  readonly horizonUs: number;
  readonly precision: number | null;
  readonly shard: string | null;
  readonly chunkSize: number;
  /** name and content hash of each study's configuration */
  readonly studies: readonly string[];
}

export function studyKey(c: StudyConfig): string {
  const hash = sha256(JSON.stringify([c.topology, c.experiment, c.variant])).slice(0, 16);
  const label = c.variant ? `${c.topology.name}[${c.variant.key}=${c.variant.value}]` : c.topology.name;
  return `${label}#${hash}`;
}

export function fingerprintParts(opts: StudyOptions, configs: readonly StudyConfig[], version: string): FingerprintParts {
  return {
    version,
    seed: opts.seed,
    runs: opts.runs,
    horizonUs: opts.horizonUs,
    precision: opts.precision,
    shard: opts.shard ? `${opts.shard.index}/${opts.shard.count}` : null,
    chunkSize: opts.chunkSize,
    studies: configs.map(studyKey),
  };
}

export function fingerprintOf(parts: FingerprintParts): string {
  return sha256(JSON.stringify(parts));
}

/** Why `saved` cannot resume a run with `now`, or null when it can. */
export function fingerprintMismatch(saved: FingerprintParts, now: FingerprintParts): string | null {
  const diffs: string[] = [];
  for (const k of ['version', 'seed', 'runs', 'horizonUs', 'precision', 'shard', 'chunkSize'] as const) {
    if (saved[k] !== now[k]) diffs.push(`${k} ${JSON.stringify(saved[k])} in the checkpoint, ${JSON.stringify(now[k])} now`);
  }
  if (JSON.stringify(saved.studies) !== JSON.stringify(now.studies)) {
    diffs.push(`topology/experiment configuration: checkpoint has ${saved.studies.join(', ')}; now ${now.studies.join(', ')}`);
  }
  return diffs.length === 0 ? null : diffs.join('; ');
}

export function parseCheckpoint(text: string): Checkpoint {
  const j = JSON.parse(text) as Checkpoint;
  if (j === null || typeof j !== 'object' || j.kind !== 'zksim-checkpoint' || !Array.isArray(j.studies)) {
    throw new RangeError('not a zksim checkpoint file');
  }
  for (const s of j.studies) {
    try {
      Accumulator.fromJSON(s.acc); // validates, and refuses statistics of another format
    } catch (e) {
      throw new RangeError(`${(e as Error).message}; delete the checkpoint to start over`);
    }
  }
  if (fingerprintOf(j.parts) !== j.fingerprint) throw new RangeError('checkpoint fingerprint does not match its contents (file edited or corrupt)');
  return j;
}

export function makeCheckpoint(parts: FingerprintParts, studies: readonly CheckpointStudy[]): Checkpoint {
  return { kind: 'zksim-checkpoint', fingerprint: fingerprintOf(parts), parts, studies };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
