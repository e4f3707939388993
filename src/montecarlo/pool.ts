import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SimulationLimitError } from '../core/limits.js';
import { Accumulator } from './accumulator.js';
import { enoughWeightedWriteEvidence } from './biased-row.js';
import { weightedPrecisionOf } from './weighted-estimate.js';
import { enoughWriteEpisodes, precisionOf, type StoppedBy } from './estimate.js';
import { chunkCount, chunkIndices, positions, runChunk, type RunPlan, type StudySpec } from './plan.js';
import type { FromWorker, ToWorker } from './worker.js';

export interface Progress {
  readonly topology: string;
  /** trials finished (in any order) */
  readonly done: number;
  /** trials this process would run if nothing stops it early */
  readonly total: number;
  readonly trialsPerSec: number;
  /** seconds left at the current rate, null before the first chunk */
  readonly etaSec: number | null;
}

/** Where a study stands: the in-order merged prefix of chunks [0, nextChunk). */
export interface StudyProgressState {
  readonly acc: Accumulator;
  readonly nextChunk: number;
}

export interface StudyOutcome {
  readonly acc: Accumulator;
  /** chunks merged: the next run of this study resumes here */
  readonly nextChunk: number;
  readonly stoppedBy: StoppedBy;
}

export interface RunStudyOptions {
  /** resume from a checkpointed in-order prefix */
  readonly resume?: StudyProgressState;
  /** aborting stops handing out chunks; in-flight chunks finish; the in-order prefix is returned */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  /** after every in-order merge (the CLI throttles checkpoint writes from here) */
  readonly onMerged?: (state: StudyProgressState) => void;
  /** a clock for rates and ETAs only (never affects results); default performance.now */
  readonly clockMs?: () => number;
}

/**
 * `--precision R` is met: the relative half-width of the write-unavailability interval is ≤ R,
 * and at least MIN_EPISODES write outages caused by failures were seen (estimate.ts
 * enoughWriteEpisodes; with fewer, the interval itself is not to be trusted, so it must not be
 * allowed to end the run).
 */
export function precisionReached(acc: Accumulator, precision: number): boolean {
  if (acc.weighted) return enoughWeightedWriteEvidence(acc.weighted) && weightedPrecisionOf(acc.weighted) <= precision;
  return enoughWriteEpisodes(acc) && precisionOf(acc) <= precision;
}

/**
 * Runs trials on worker threads (this module is the only user of node:worker_threads).
 * Chunks are handed out dynamically to whichever worker is idle; results are merged strictly in
 * chunk order (out-of-order ones wait in a buffer), and the stopping rules are evaluated only on
 * that in-order prefix — so the outcome is identical for any number of workers. (The accumulator
 * is exactly mergeable in any order anyway; the ordering matters for where `--precision` and
 * Ctrl-C cut the sequence.) `size` 1 runs inline on the calling thread, no worker at all.
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private studies = 0;

  constructor(
    readonly size: number,
    private readonly workerUrl: URL = defaultWorkerUrl(),
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`workers must be a positive integer, got ${size}`);
  }

  async runStudy(spec: StudySpec, plan: RunPlan, opts: RunStudyOptions = {}): Promise<StudyOutcome> {
    return this.size === 1 ? runInline(spec, plan, opts) : this.runThreaded(spec, plan, opts);
  }

  /** Terminates the worker threads (idempotent). */
  async close(): Promise<void> {
    const ws = this.workers.splice(0);
    await Promise.all(ws.map((w) => w.terminate()));
  }

  private ensureWorkers(): Worker[] {
    while (this.workers.length < this.size) this.workers.push(new Worker(this.workerUrl));
    return this.workers;
  }

  private runThreaded(spec: StudySpec, plan: RunPlan, opts: RunStudyOptions): Promise<StudyOutcome> {
    const workers = this.ensureWorkers();
    const id = ++this.studies;
    const tracker = new Tracker(spec, plan, opts);
    return new Promise<StudyOutcome>((resolve, reject) => {
      let inFlight = 0;
      let failed = false;
      const cleanup = (): void => {
        for (const w of workers) {
          w.off('message', onMessage.get(w) as (m: FromWorker) => void);
          w.off('error', onError);
        }
      };
      const onError = (e: Error): void => {
        if (failed) return;
        failed = true;
        cleanup();
        reject(e);
      };
      const dispatch = (w: Worker): void => {
        const chunk = tracker.take();
        if (chunk === null) {
          if (inFlight === 0) {
            cleanup();
            resolve(tracker.outcome());
          }
          return;
        }
        inFlight++;
        const msg: ToWorker = { type: 'chunk', id, chunk };
        w.postMessage(msg);
      };
      const onMessage = new Map<Worker, (m: FromWorker) => void>();
      for (const w of workers) {
        const handler = (m: FromWorker): void => {
          if (failed) return;
          if (m.type === 'error') {
            // A SimulationLimitError keeps its name, so the CLI reports it as bad input (core/limits.ts).
            const e = m.name === 'SimulationLimitError' ? new SimulationLimitError(m.message) : new Error(`trial worker failed: ${m.message}`);
            e.stack = m.stack;
            onError(e);
            return;
          }
          if (m.id !== id) return;
          inFlight--;
          tracker.completed(m.chunk, Accumulator.fromJSON(m.acc));
          dispatch(w);
        };
        onMessage.set(w, handler);
        w.on('message', handler);
        w.on('error', onError);
        const study: ToWorker = { type: 'study', id, spec, plan };
        w.postMessage(study);
      }
      // Aborting while every worker is busy: the next completions see the flag and hand out nothing.
      for (const w of workers) dispatch(w);
    });
  }
}

/** dist/montecarlo/worker.js beside this file; under vitest (TS sources) the built copy in dist/. */
function defaultWorkerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (import.meta.url.endsWith('.ts')) {
    const built = new URL('../../dist/montecarlo/worker.js', import.meta.url);
    if (existsSync(fileURLToPath(built))) return built;
  }
  return here;
}

async function runInline(spec: StudySpec, plan: RunPlan, opts: RunStudyOptions): Promise<StudyOutcome> {
  const tracker = new Tracker(spec, plan, opts);
  for (let chunk = tracker.take(); chunk !== null; chunk = tracker.take()) {
    tracker.completed(chunk, runChunk(spec, plan, chunk));
    // Let signals (Ctrl-C) and stderr writes through between chunks.
    await new Promise<void>((r) => setImmediate(r));
  }
  return tracker.outcome();
}

/** Hands out chunk numbers, merges results in chunk order and applies the stopping rules. */
class Tracker {
  private readonly acc: Accumulator;
  private next: number;
  private merged: number;
  private readonly total: number;
  private readonly buffer = new Map<number, Accumulator>();
  private stopped: StoppedBy | null = null;
  private doneTrials = 0;
  private readonly startTrials: number;
  private readonly clock: () => number;
  private readonly t0: number;

  constructor(
    private readonly spec: StudySpec,
    private readonly plan: RunPlan,
    private readonly opts: RunStudyOptions,
  ) {
    this.acc = opts.resume ? opts.resume.acc.clone() : new Accumulator();
    this.next = opts.resume?.nextChunk ?? 0;
    this.merged = this.next;
    this.total = chunkCount(plan);
    this.startTrials = this.acc.trials;
    this.clock = opts.clockMs ?? (() => performance.now());
    this.t0 = this.clock();
    // A resumed study may already satisfy its precision target.
    if (plan.precision !== null && this.acc.trials > 0 && precisionReached(this.acc, plan.precision)) this.stopped = 'precision';
  }

  /** The next chunk to run, or null: all handed out, stopped by precision, or aborted. */
  take(): number | null {
    if (this.stopped !== null || this.opts.signal?.aborted || this.next >= this.total) return null;
    return this.next++;
  }

  completed(chunk: number, acc: Accumulator): void {
    this.doneTrials += acc.trials;
    this.progress();
    if (this.stopped !== null) return; // beyond the stopping point: discarded
    this.buffer.set(chunk, acc);
    for (let a = this.buffer.get(this.merged); a !== undefined; a = this.buffer.get(this.merged)) {
      this.buffer.delete(this.merged);
      this.acc.merge(a);
      this.merged++;
      this.opts.onMerged?.({ acc: this.acc, nextChunk: this.merged });
      if (this.plan.precision !== null && precisionReached(this.acc, this.plan.precision)) {
        this.stopped = 'precision';
        this.buffer.clear();
        break;
      }
    }
  }

  outcome(): StudyOutcome {
    const stoppedBy: StoppedBy = this.stopped ?? (this.merged >= this.total ? 'runs' : 'interrupted');
    return { acc: this.acc, nextChunk: this.merged, stoppedBy };
  }

  private progress(): void {
    if (!this.opts.onProgress) return;
    const elapsedSec = (this.clock() - this.t0) / 1000;
    const rate = elapsedSec > 0 ? this.doneTrials / elapsedSec : 0;
    const total = positions(this.plan);
    const done = Math.min(total, this.startTrials + this.doneTrials);
    this.opts.onProgress({
      topology: this.spec.topology.name,
      done,
      total,
      trialsPerSec: rate,
      etaSec: rate > 0 ? (total - done) / rate : null,
    });
  }
}

export { chunkIndices };
