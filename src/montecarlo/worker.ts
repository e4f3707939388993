/**
 * Worker-thread entry: runs chunks of trials for the pool (pool.ts) and posts back each chunk's
 * exact accumulator. Stateless apart from the current study, so any worker can run any chunk.
 */
import { parentPort } from 'node:worker_threads';
import { runChunk, type RunPlan, type StudySpec } from './plan.js';

export type ToWorker =
  | { readonly type: 'study'; readonly id: number; readonly spec: StudySpec; readonly plan: RunPlan }
  | { readonly type: 'chunk'; readonly id: number; readonly chunk: number };

export type FromWorker =
  | { readonly type: 'done'; readonly id: number; readonly chunk: number; readonly acc: import('./accumulator.js').AccumulatorJSON }
  | { readonly type: 'error'; readonly message: string; readonly stack: string; readonly name?: string };

const port = parentPort;
if (port) {
  let study: { id: number; spec: StudySpec; plan: RunPlan } | null = null;
  port.on('message', (msg: ToWorker) => {
    try {
      if (msg.type === 'study') {
        study = { id: msg.id, spec: msg.spec, plan: msg.plan };
        return;
      }
      if (!study || study.id !== msg.id) throw new Error(`chunk for unknown study ${msg.id}`);
      const acc = runChunk(study.spec, study.plan, msg.chunk);
      const reply: FromWorker = { type: 'done', id: msg.id, chunk: msg.chunk, acc: acc.toJSON() };
      port.postMessage(reply);
    } catch (e) {
      const err = e as Error;
      const reply: FromWorker = { type: 'error', message: err.message, stack: err.stack ?? String(err), name: err.name };
      port.postMessage(reply);
    }
  });
}
