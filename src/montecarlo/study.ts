import { Accumulator } from './accumulator.js';
import {
  checkpointProblem,
  fingerprintMismatch,
  fingerprintParts,
  makeCheckpoint,
  studyKey,
  type Checkpoint,
  type CheckpointStudy,
} from './checkpoint.js';
import type { StudyConfig, StudyOptions, StudyResult } from './document.js';
import { WorkerPool, type Progress } from './pool.js';
import { resolveMethod } from './method.js';
import type { RunPlan } from './plan.js';

export interface RunStudiesOptions {
  /** worker threads; 1 = inline on this thread */
  readonly workers: number;
  readonly signal?: AbortSignal;
  /** resume from this checkpoint (it must be intact and its fingerprint match: see CheckpointMismatch) */
  readonly resume?: Checkpoint | null;
  readonly onProgress?: (p: Progress) => void;
  /** a new checkpoint after every in-order merge; the caller decides when to write it */
  readonly onCheckpoint?: (cp: Checkpoint, final: boolean) => void;
  readonly workerUrl?: URL;
}

/** The resume checkpoint is damaged (checkpoint.ts checkpointProblem) or belongs to another run. */
export class CheckpointMismatch extends Error {}

/**
 * Runs one study per configuration (topologies side by side, or sweep variants), one after the
 * other on a shared worker pool. Returns every study that got a result; when interrupted, the
 * in-order prefix of the current study and nothing of the later ones.
 */
export async function runStudies(
  configs: readonly StudyConfig[],
  opts: StudyOptions,
  version: string,
  run: RunStudiesOptions,
): Promise<{ studies: StudyResult[]; interrupted: boolean }> {
  const parts = fingerprintParts(opts, configs, version);
  const saved = new Map<string, CheckpointStudy>();
  if (run.resume) {
    // parseCheckpoint checked a file already; a Checkpoint handed over in memory gets the same checks
    const damage = checkpointProblem(run.resume);
    if (damage !== null) throw new CheckpointMismatch(damage);
    const why = fingerprintMismatch(run.resume.parts, parts);
    if (why !== null) throw new CheckpointMismatch(`the checkpoint belongs to another run: ${why}`);
    for (const s of run.resume.studies) saved.set(s.key, s);
  }
  const plan: RunPlan = { runs: opts.runs, shard: opts.shard, chunkSize: opts.chunkSize, precision: opts.precision };
  const states = new Map<string, CheckpointStudy>(saved);
  const emit = (final: boolean): void => run.onCheckpoint?.(makeCheckpoint(parts, configs.map((c) => states.get(studyKey(c))).filter((s) => s !== undefined)), final);

  const pool = new WorkerPool(run.workers, ...(run.workerUrl ? [run.workerUrl] : []));
  const studies: StudyResult[] = [];
  let interrupted = false;
  try {
    for (const config of configs) {
      const key = studyKey(config);
      const prior = saved.get(key);
      const method = resolveMethod(opts.method ?? 'naive', config.topology, config.experiment, opts);
      if (prior?.finished) {
        studies.push({ config, acc: Accumulator.fromJSON(prior.acc), stoppedBy: prior.finished, method });
        continue;
      }
      if (run.signal?.aborted) {
        interrupted = true;
        break;
      }
      const spec = { topology: config.topology, experiment: config.experiment, seed: opts.seed, horizonUs: opts.horizonUs, method: method.method };
      const outcome = await pool.runStudy(spec, plan, {
        ...(prior ? { resume: { acc: Accumulator.fromJSON(prior.acc), nextChunk: prior.nextChunk } } : {}),
        ...(run.signal ? { signal: run.signal } : {}),
        ...(run.onProgress ? { onProgress: run.onProgress } : {}),
        onMerged: (state) => {
          states.set(key, { key, nextChunk: state.nextChunk, finished: null, acc: state.acc.toJSON() });
          emit(false);
        },
      });
      const finished = outcome.stoppedBy === 'interrupted' ? null : outcome.stoppedBy;
      states.set(key, { key, nextChunk: outcome.nextChunk, finished, acc: outcome.acc.toJSON() });
      studies.push({ config, acc: outcome.acc, stoppedBy: outcome.stoppedBy, method });
      if (outcome.stoppedBy === 'interrupted') {
        interrupted = true;
        break;
      }
    }
  } finally {
    await pool.close();
  }
  emit(true);
  return { studies, interrupted };
}
