import { topologyToJson } from '../config/topology-json.js';
import { Accumulator, type AccumulatorJSON } from './accumulator.js';
import { contentDigest, sha256 } from './digest.js';
import type { StudyConfig, StudyOptions } from './document.js';
import type { StoppedBy } from './estimate.js';
import { planProblem, studyProblem } from './integrity.js';
import type { RunPlan, Shard } from './plan.js';

/**
 * `--checkpoint FILE`: the in-order merged prefix of every study, so an interrupted run resumes
 * without redoing or losing finished chunks. Only whole chunks in chunk order are saved, which
 * keeps `--precision` stopping and the final JSON identical to an uninterrupted run.
 *
 * The fingerprint pins everything that decides the trials and their grouping: configurations,
 * seed, horizon, runs, precision, shard, chunk size and the zksim version. Worker count is not in
 * it (it changes nothing). A checkpoint with another fingerprint is refused, naming what changed.
 *
 * The digest protects what was saved (issue 10: an edited `finished`, `nextChunk`, trial count or
 * sum was taken for a complete run): SHA-256 over the whole checkpoint, its inputs (`parts`)
 * included. On load (checkpointProblem) a checkpoint whose digest does not match, or whose
 * statistics break an invariant or disagree with its plan, is refused with the reason, never used.
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
  /** contentDigest (digest.ts) of every other field: SHA-256 hex of their canonical JSON */
  readonly digest: string;
}

export interface FingerprintParts {
  readonly version: string;
  readonly seed: string;
  readonly runs: number;
  readonly horizonUs: number;
  readonly precision: number | null;
  readonly shard: string | null;
  readonly chunkSize: number;
  /** the estimator asked for (method.ts RequestedMethod) */
  readonly method: string;
  /** name and content hash of each study's configuration */
  readonly studies: readonly string[];
}

export function studyKey(c: StudyConfig): string {
  // The topology in its JSON spelling (ms), so checkpoints written before µs-inside still match.
  const hash = sha256(JSON.stringify([topologyToJson(c.topology), c.experiment, c.variant])).slice(0, 16);
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
    method: opts.method ?? 'naive',
    studies: configs.map(studyKey),
  };
}

export function fingerprintOf(parts: FingerprintParts): string {
  return sha256(JSON.stringify(parts));
}

/** Why `saved` cannot resume a run with `now`, or null when it can. */
export function fingerprintMismatch(saved: FingerprintParts, now: FingerprintParts): string | null {
  const diffs: string[] = [];
  for (const k of ['version', 'seed', 'runs', 'horizonUs', 'precision', 'shard', 'chunkSize', 'method'] as const) {
    if (saved[k] !== now[k]) diffs.push(`${k} ${JSON.stringify(saved[k])} in the checkpoint, ${JSON.stringify(now[k])} now`);
  }
  if (JSON.stringify(saved.studies) !== JSON.stringify(now.studies)) {
    diffs.push(`topology/experiment configuration: checkpoint has ${saved.studies.join(', ')}; now ${now.studies.join(', ')}`);
  }
  return diffs.length === 0 ? null : diffs.join('; ');
}

/**
 * Parses a checkpoint file's text and checks it (checkpointProblem). Throws RangeError: "not a
 * zksim checkpoint file"; statistics of another format ("...; delete the checkpoint to start
 * over"); "checkpoint is damaged: <reason>" (digest mismatch, an invariant that fails).
 */
export function parseCheckpoint(text: string): Checkpoint {
  const j = JSON.parse(text) as Checkpoint;
  if (j === null || typeof j !== 'object' || j.kind !== 'zksim-checkpoint' || !Array.isArray(j.studies)) {
    throw new RangeError('not a zksim checkpoint file');
  }
  const problem = checkpointProblem(j);
  if (problem !== null) throw new RangeError(problem);
  return j;
}

/**
 * Why `cp` must not be resumed from, or null. In order: the digest (missing, or not that of the
 * content: "checkpoint is damaged: digest mismatch ..."); statistics of another format; the
 * fingerprint against `parts`; the plan's numbers; each study's key (one of the fingerprinted
 * configurations, once), `finished`, and its statistics against the plan (integrity.ts
 * studyProblem: trial count = trials of chunks before nextChunk, sums and histograms consistent,
 * `runs` only when complete, `precision` only when reached).
 */
export function checkpointProblem(cp: Checkpoint): string | null {
  const damaged = (why: string): string => `checkpoint is damaged: ${why}`;
  if (typeof cp.digest !== 'string') return damaged('it has no digest (written by an older zksim, or edited)');
  if (contentDigest(cp, 'digest') !== cp.digest) return damaged('digest mismatch (the file was edited or corrupted after zksim wrote it)');
  const accs: Accumulator[] = [];
  for (const s of cp.studies) {
    try {
      accs.push(Accumulator.fromJSON(s.acc)); // validates, and refuses statistics of another format
    } catch (e) {
      return `${(e as Error).message}; delete the checkpoint to start over`;
    }
  }
  if (cp.parts === null || typeof cp.parts !== 'object' || !Array.isArray(cp.parts.studies)) return damaged('parts (the fingerprinted inputs) is missing or not an object with studies');
  if (fingerprintOf(cp.parts) !== cp.fingerprint) return damaged('fingerprint does not match its inputs (parts)');
  const shard = parseShard(cp.parts.shard);
  if (shard === undefined) return damaged(`shard ${JSON.stringify(cp.parts.shard)} is not K/N`);
  const plan: RunPlan = { runs: cp.parts.runs, shard, chunkSize: cp.parts.chunkSize, precision: cp.parts.precision };
  const bad = planProblem(plan, cp.parts.horizonUs);
  if (bad !== null) return damaged(bad);
  const keys = new Set<string>();
  for (const [i, s] of cp.studies.entries()) {
    const at = `studies[${i}] (${String(s.key)})`;
    if (!cp.parts.studies.includes(s.key)) return damaged(`${at} is not one of the configurations it was run on`);
    if (keys.has(s.key)) return damaged(`${at} appears twice`);
    keys.add(s.key);
    if (s.finished !== null && s.finished !== 'runs' && s.finished !== 'precision') return damaged(`${at}: finished ${JSON.stringify(s.finished)} is not null, "runs" or "precision"`);
    const why = studyProblem(accs[i] as Accumulator, plan, cp.parts.horizonUs, s.finished, s.nextChunk);
    if (why !== null) return damaged(`${at}: ${why}`);
  }
  return null;
}

export function makeCheckpoint(parts: FingerprintParts, studies: readonly CheckpointStudy[]): Checkpoint {
  const content = { kind: 'zksim-checkpoint' as const, fingerprint: fingerprintOf(parts), parts, studies };
  return { ...content, digest: contentDigest(content) };
}

/** `K/N` as written by fingerprintParts, null for no shard, undefined when malformed. */
function parseShard(text: string | null): Shard | null | undefined {
  if (text === null) return null;
  const m = typeof text === 'string' ? /^(\d+)\/(\d+)$/.exec(text) : null;
  return m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
}
