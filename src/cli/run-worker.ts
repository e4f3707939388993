/**
 * `zksim run --trace` simulates here, in a worker thread, so that the main thread stays free to
 * handle Ctrl-C and SIGTERM at once: it removes the half-written trace and exits, where a
 * simulation on the main thread would hold the signal until the end of the run.
 *
 * In: `TraceJob` as workerData. Out: one `TraceReply` message.
 */
import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { runJson, type RunJson } from '../report/run-json.js';
import { runTrial, type TraceRecord, type TrialOptions } from '../scenario/index.js';

export interface TraceJob {
  readonly options: Omit<TrialOptions, 'trace'>;
  /** an open file descriptor of the temporary trace file (file descriptors are per process) */
  readonly fd: number;
  readonly version: string;
}

export type TraceReply = { readonly ok: true; readonly doc: RunJson } | { readonly ok: false; readonly writeError: string };

class TraceWriteError extends Error {}

function main(job: TraceJob): TraceReply {
  let buffer = '';
  const flush = (): void => {
    try {
      writeSync(job.fd, buffer);
    } catch (e) {
      throw new TraceWriteError((e as Error).message);
    }
    buffer = '';
  };
  const trace = (r: TraceRecord): void => {
    buffer += `${JSON.stringify(r)}\n`;
    if (buffer.length > 1 << 16) flush();
  };
  try {
    const result = runTrial({ ...job.options, trace });
    flush();
    return { ok: true, doc: runJson(result, job.options.topology, job.version) };
  } catch (e) {
    if (e instanceof TraceWriteError) return { ok: false, writeError: e.message };
    throw e;
  }
}

if (parentPort) parentPort.postMessage(main(workerData as TraceJob));
