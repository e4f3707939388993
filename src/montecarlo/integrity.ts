import { statisticsProblem, type Accumulator } from './accumulator.js';
import type { StoppedBy } from './estimate.js';
import { chunkCount, positions, type RunPlan } from './plan.js';
import { precisionReached } from './pool.js';

/**
 * Checks on statistics read back from a file against the plan they claim to come from: what a
 * checkpoint (issue 10: edited `finished`, `nextChunk` or trial counts were taken for a complete
 * run) and `merge` (a relabelled or edited shard was counted) must refuse. Each returns the
 * first problem in words, or null.
 */

/** The plan's own numbers: whole, positive, a shard K/N with 1 ≤ K ≤ N. */
export function planProblem(plan: RunPlan, horizonUs: number): string | null {
  if (!Number.isSafeInteger(plan.runs) || plan.runs < 1) return `runs ${String(plan.runs)} is not a positive whole number`;
  if (!Number.isSafeInteger(plan.chunkSize) || plan.chunkSize < 1) return `chunkSize ${String(plan.chunkSize)} is not a positive whole number`;
  if (!Number.isSafeInteger(horizonUs) || horizonUs < 1) return `horizonUs ${String(horizonUs)} is not a positive whole number of µs`;
  if (plan.precision !== null && !(typeof plan.precision === 'number' && plan.precision > 0 && plan.precision < 1)) {
    return `precision ${String(plan.precision)} is not null or a fraction between 0 and 1`;
  }
  const s = plan.shard;
  if (s !== null && !(Number.isSafeInteger(s.count) && Number.isSafeInteger(s.index) && s.index >= 1 && s.index <= s.count)) {
    return `shard ${String(s.index)}/${String(s.count)} is not K/N with 1 ≤ K ≤ N`;
  }
  return null;
}

/**
 * `acc` as the result of `plan` over `horizonUs`, checked in this order:
 * - the trial count: with `nextChunk` (a checkpoint), exactly the trials of chunks [0, nextChunk)
 *   of this shard; otherwise all of this shard's trials (indices ≡ K−1 mod N below runs) when
 *   stopped by `runs`, or a whole number of chunks of them when interrupted or stopped by precision;
 * - `runs` only when every chunk is done (checked before the count);
 * - its own invariants (accumulator.ts statisticsProblem); measured time ≤ trials × horizon;
 * - `precision` only when the precision target is met (pool.ts precisionReached) on exactly
 *   these statistics.
 */
export function studyProblem(acc: Accumulator, plan: RunPlan, horizonUs: number, stoppedBy: StoppedBy | null, nextChunk?: number): string | null {
  const all = positions(plan);
  const chunks = chunkCount(plan);
  const which = plan.shard ? `shard ${plan.shard.index}/${plan.shard.count} of ${plan.runs} runs` : `${plan.runs} runs`;
  if (nextChunk !== undefined) {
    if (!Number.isSafeInteger(nextChunk) || nextChunk < 0 || nextChunk > chunks) return `nextChunk ${String(nextChunk)} is not between 0 and ${chunks} (the chunks of ${which})`;
    const expected = Math.min(all, nextChunk * plan.chunkSize);
    if (stoppedBy === 'runs' && nextChunk !== chunks) return `finished by runs after ${nextChunk} of ${chunks} chunks`;
    if (acc.trials !== expected) return `${acc.trials} trials, but chunks 0..${nextChunk - 1} of ${which} (chunk size ${plan.chunkSize}) hold ${expected}`;
  } else if (stoppedBy === 'runs') {
    const rule = plan.shard ? ` (indices ≡ ${plan.shard.index - 1} mod ${plan.shard.count} below ${plan.runs})` : '';
    if (acc.trials !== all) return `${acc.trials} trials, but ${which} ${all === 1 ? 'is 1 trial' : `are ${all} trials`}${rule}`;
  } else if (acc.trials > all || (acc.trials % plan.chunkSize !== 0 && acc.trials !== all)) {
    return `${acc.trials} trials is not a whole number of chunks (of ${plan.chunkSize}) of the ${all} trials of ${which}`;
  }
  const own = statisticsProblem(acc);
  if (own !== null) return own;
  if (acc.measured.sum > BigInt(acc.trials) * BigInt(horizonUs)) {
    return `measured time ${acc.measured.sum} µs exceeds ${acc.trials} trials × horizon ${horizonUs} µs`;
  }
  if (stoppedBy === 'precision' && (plan.precision === null || !precisionReached(acc, plan.precision))) {
    return plan.precision === null ? 'stopped by precision, but no precision was asked for' : `stopped by precision, but these statistics do not reach precision ${plan.precision}`;
  }
  if (stoppedBy !== null && stoppedBy !== 'runs' && stoppedBy !== 'precision' && stoppedBy !== 'interrupted') return `stoppedBy ${JSON.stringify(stoppedBy)} is not runs, precision or interrupted`;
  return null;
}
