import { zeroByProcess, type DowntimeCause, type DowntimeProcess } from './availability.js';

/**
 * Per-regenerative-cycle downtime for failure biasing (issue 12; faults/biasing.ts).
 *
 * A trial run under a biased fault schedule is cut into regenerative cycles [s_i, s_{i+1}) that
 * start where the schedule is all up (and at t = 0); cycle i carries the likelihood ratio W_i of
 * its own excursion only, and the estimator sums W_i · D_i over cycles. W_i must therefore
 * multiply exactly the downtime its excursion caused. The rule: every episode (write outage,
 * quorum loss, election) belongs to the cycle in which it STARTED, and all downtime accrued
 * during an episode goes to that cycle, even where the episode runs past the cycle's end (the
 * election after the repair that made the schedule all up, an outage cut by the trial's end).
 * Weighting such a spill by the next cycle's W — a ratio of a later, independent excursion —
 * would bias the estimator. Episodes are attributed when they open, so nothing is recomputed.
 */

/** One cycle's share of the meter's totals; the fields mirror DowntimeMeter's (integer µs, counts). */
export class CycleDowntime {
  readonly byCauseUs: Record<DowntimeCause, number> = { quorumLost: 0, partitioned: 0, leaderIsolated: 0, electing: 0, syncing: 0 };
  readonly byProcessUs: Record<DowntimeProcess, number> = zeroByProcess();
  readonly quorumByProcessUs: Record<DowntimeProcess, number> = zeroByProcess();
  quorumDownUs = 0;
  /** write outage episodes that started in the cycle */
  episodes = 0;
  readonly episodesByProcess: Record<DowntimeProcess, number> = zeroByProcess();
  /** quorum-loss episodes that started in the cycle */
  quorumEpisodes = 0;
  readonly quorumEpisodesByProcess: Record<DowntimeProcess, number> = zeroByProcess();
  /** duration (µs) of each quorum-loss episode that started in the cycle, in order, as far as it went */
  readonly quorumLossDurationsUs: number[] = [];
  /** the longest write outage (µs) that started in the cycle, as far as it went; 0 if none */
  longestWriteOutageUs = 0;

  /** A write outage episode starts in this cycle, charged to `process`. */
  openWriteEpisode(process: DowntimeProcess): void {
    this.episodes++;
    this.episodesByProcess[process]++;
  }

  /** A quorum-loss episode starts in this cycle, charged to `process`. */
  openQuorumEpisode(process: DowntimeProcess): void {
    this.quorumEpisodes++;
    this.quorumEpisodesByProcess[process]++;
  }

  /** `dt` µs of write downtime of an episode that started in this cycle. */
  addWriteDown(cause: DowntimeCause, process: DowntimeProcess, dt: number): void {
    this.byCauseUs[cause] += dt;
    this.byProcessUs[process] += dt;
  }

  /** `dt` µs of quorum downtime of an episode that started in this cycle. */
  addQuorumDown(process: DowntimeProcess, dt: number): void {
    this.quorumDownUs += dt;
    this.quorumByProcessUs[process] += dt;
  }

  /** write downtime (µs): the sum over causes, as DowntimeMeter.writeDownUs */
  get writeDownUs(): number {
    let total = 0;
    for (const c of Object.values(this.byCauseUs)) total += c;
    return total;
  }
}

/**
 * Checks a cycle-start list: non-empty, integers, ascending, first 0. Equal starts are allowed
 * (an empty cycle: the schedule was all up for no time); an instant belongs to the last cycle
 * starting at or before it, so an empty cycle is charged nothing.
 * @throws RangeError naming the offending entry (a caller's bug, not user input)
 */
export function checkCycleStarts(startsUs: readonly number[]): void {
  if (startsUs.length === 0 || startsUs[0] !== 0) throw new RangeError(`cycleStartsUs: the first cycle must start at 0 µs, got ${startsUs.length === 0 ? 'no cycles' : String(startsUs[0])}`);
  for (let i = 1; i < startsUs.length; i++) {
    const s = startsUs[i] as number;
    if (!Number.isSafeInteger(s) || s < (startsUs[i - 1] as number)) {
      throw new RangeError(`cycleStartsUs[${i}]: expected an integer µs at least cycleStartsUs[${i - 1}] = ${String(startsUs[i - 1])}, got ${String(s)}`);
    }
  }
}

/** The index of the cycle holding `tUs`: the last i with startsUs[i] ≤ tUs (0 before the first start). Binary search. */
export function cycleIndexAt(startsUs: readonly number[], tUs: number): number {
  let lo = 0;
  let hi = startsUs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((startsUs[mid] as number) <= tUs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The per-cycle sinks of one trial, stored sparsely (most cycles of a year see no downtime: they
 * are created on the first episode that starts in them). Episodes open in time order, so the
 * cycle of an instant is found by a pointer that only moves forward (amortised O(1)).
 */
export class CycleLedger {
  readonly startsUs: readonly number[];
  private readonly sinks = new Map<number, CycleDowntime>();
  private pointer = 0;

  /** @throws RangeError when `startsUs` is not a valid cycle-start list (checkCycleStarts) */
  constructor(startsUs: readonly number[]) {
    checkCycleStarts(startsUs);
    this.startsUs = startsUs;
  }

  /** The sink of the cycle holding `tUs`, created if need be; `tUs` must not go back in time. */
  sinkAt(tUs: number): CycleDowntime {
    const starts = this.startsUs;
    while (this.pointer + 1 < starts.length && (starts[this.pointer + 1] as number) <= tUs) this.pointer++;
    let sink = this.sinks.get(this.pointer);
    if (sink === undefined) {
      sink = new CycleDowntime();
      this.sinks.set(this.pointer, sink);
    }
    return sink;
  }

  /** Cycle i's sink, undefined when no episode started in it. */
  get(i: number): CycleDowntime | undefined {
    return this.sinks.get(i);
  }
}
