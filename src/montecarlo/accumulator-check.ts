import { HISTOGRAM_MAX_VALUE, histogramBucketIndex } from '../stats/index.js';
import type { Accumulator } from './accumulator.js';
import { weightedStatisticsProblem } from './weighted.js';

/**
 * The first broken invariant of statistics read back from a file (a checkpoint's `acc`, a
 * document's `statistics`), in words, or null when they are consistent. fromJSON checks each
 * field's type and sign; this checks how the fields relate, as `add` builds them: any set of
 * real trials satisfies every rule below, so a violation means the numbers were edited or
 * damaged. Rules (all sums in µs):
 * - per cause and per process, write downtime adds up to the total write downtime; per process,
 *   quorum downtime adds up to the total quorum downtime; episodes per process add up to the episodes;
 * - downtime ≤ measured time (per trial x ≤ m, hence also Σx² ≤ Σx·m ≤ Σm²), and Σm·m = Σm²;
 * - Cauchy–Schwarz, (Σx)² ≤ trials·Σx², for measured time and both downtimes;
 * - trials with an outage / a long outage / a quorum loss ≤ trials (and long ≤ any);
 *   trials with a quorum loss ≤ quorum-loss episodes;
 * - one quorum-loss duration per quorum-loss episode; election durations ≤ elections;
 *   each histogram's min ≤ max and count·min ≤ sum ≤ count·max;
 * - exposure to the first quorum loss ≤ measured time; no trials ⇒ nothing counted.
 * The caller checks what needs the run's plan (trial count for runs/shard/chunks, horizon).
 */
export function statisticsProblem(a: Accumulator): string | null {
  const sum = (xs: Iterable<bigint>): bigint => {
    let t = 0n;
    for (const x of xs) t += x;
    return t;
  };
  const count = (xs: Iterable<number>): number => {
    let t = 0;
    for (const x of xs) t += x;
    return t;
  };
  const w = a.writeDown;
  const q = a.quorumDown;
  const m = a.measured;
  const n = BigInt(a.trials);
  const checks: [boolean, () => string][] = [
    [sum(Object.values(a.byCause)) === w.sum, () => `write downtime by cause adds up to ${sum(Object.values(a.byCause))} µs, the total is ${w.sum} µs`],
    [sum(Object.values(a.byProcess)) === w.sum, () => `write downtime by process adds up to ${sum(Object.values(a.byProcess))} µs, the total is ${w.sum} µs`],
    [sum(Object.values(a.quorumByProcess)) === q.sum, () => `quorum downtime by process adds up to ${sum(Object.values(a.quorumByProcess))} µs, the total is ${q.sum} µs`],
    [count(Object.values(a.outageEpisodesByProcess)) === a.outageEpisodes, () => `write outage episodes by process add up to ${count(Object.values(a.outageEpisodesByProcess))}, the total is ${a.outageEpisodes}`],
    [count(Object.values(a.quorumLossEpisodesByProcess)) === a.quorumLossEpisodes, () => `quorum-loss episodes by process add up to ${count(Object.values(a.quorumLossEpisodesByProcess))}, the total is ${a.quorumLossEpisodes}`],
    [w.sum <= m.sum, () => `write downtime ${w.sum} µs exceeds the measured time ${m.sum} µs`],
    [q.sum <= m.sum, () => `quorum downtime ${q.sum} µs exceeds the measured time ${m.sum} µs`],
    [m.sumXm === m.sumSq, () => 'measured time: sumXm differs from sumSq'],
    [w.sumSq <= w.sumXm && w.sumXm <= m.sumSq, () => 'write downtime: its second moments are impossible for downtime ≤ measured time in every trial'],
    [q.sumSq <= q.sumXm && q.sumXm <= m.sumSq, () => 'quorum downtime: its second moments are impossible for downtime ≤ measured time in every trial'],
    [m.sum * m.sum <= n * m.sumSq, () => `measured time: sum² > trials × sumSq (impossible for ${a.trials} trials)`],
    [w.sum * w.sum <= n * w.sumSq, () => `write downtime: sum² > trials × sumSq (impossible for ${a.trials} trials)`],
    [q.sum * q.sum <= n * q.sumSq, () => `quorum downtime: sum² > trials × sumSq (impossible for ${a.trials} trials)`],
    [a.trialsWithOutage <= a.trials, () => `${a.trialsWithOutage} trials with a write outage out of ${a.trials} trials`],
    [a.trialsWithLongOutage <= a.trialsWithOutage, () => `${a.trialsWithLongOutage} trials with a long write outage but ${a.trialsWithOutage} with any`],
    [a.trialsWithQuorumLoss <= a.trials, () => `${a.trialsWithQuorumLoss} trials with a quorum loss out of ${a.trials} trials`],
    [a.trialsWithQuorumLoss <= a.quorumLossEpisodes, () => `${a.trialsWithQuorumLoss} trials with a quorum loss but ${a.quorumLossEpisodes} quorum-loss episodes`],
    [a.quorumLossUs.count === a.quorumLossEpisodes, () => `${a.quorumLossUs.count} quorum-loss durations for ${a.quorumLossEpisodes} quorum-loss episodes`],
    [a.electionUs.count <= a.elections, () => `${a.electionUs.count} election durations for ${a.elections} elections`],
    [a.timeToQuorumLossUs <= m.sum, () => `time to first quorum loss ${a.timeToQuorumLossUs} µs exceeds the measured time ${m.sum} µs`],
    [a.trials > 0 || (m.sum === 0n && a.outageEpisodes === 0 && a.quorumLossEpisodes === 0 && a.elections === 0 && a.faults === 0 && a.events === 0),
      () => 'no trials, yet time, episodes, elections, faults or events are counted'],
  ];
  for (const [ok, why] of checks) if (!ok) return why();
  if (a.weighted !== null) {
    if (a.weighted.trials !== a.trials) return `${a.weighted.trials} failure-biased trials in the weighted statistics, ${a.trials} trials`;
    const why = weightedStatisticsProblem(a.weighted);
    if (why !== null) return `weighted cycles: ${why}`;
  }
  for (const [name, h] of [['quorumLossUs', a.quorumLossUs], ['electionUs', a.electionUs]] as const) {
    if (h.count === 0) {
      if (h.sum !== 0) return `${name}: empty, yet its sum is ${String(h.sum)}`;
      continue;
    }
    if (!(typeof h.min === 'number' && typeof h.max === 'number' && h.min >= 0 && h.min <= h.max && h.max < HISTOGRAM_MAX_VALUE)) {
      return `${name}: min ${String(h.min)} and max ${String(h.max)} are not 0 ≤ min ≤ max < 2^54`;
    }
    if (typeof h.sum !== 'number') return `${name}: sum ${String(h.sum)} is not a number`;
    const buckets = h.toJSON().buckets;
    if (buckets[0] !== histogramBucketIndex(h.min) || buckets[buckets.length - 2] !== histogramBucketIndex(h.max)) {
      return `${name}: min ${h.min} or max ${h.max} is not in the lowest or highest non-empty bucket`;
    }
    if (!(h.sum >= h.count * h.min && h.sum <= h.count * h.max)) return `${name}: sum ${h.sum} is outside count × [min, max] = [${h.count * h.min}, ${h.count * h.max}]`;
  }
  return null;
}

