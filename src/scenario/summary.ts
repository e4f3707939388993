import { DOWNTIME_CAUSES, DOWNTIME_PROCESSES, zeroByProcess, type DowntimeCause, type DowntimeMeter, type DowntimeProcess, type ElectionRecord } from '../observe/index.js';
import { cycleIndexAt, type CycleDowntime } from '../observe/cycles.js';
import { backupSummary, type TrialBackupSummary } from './backup.js';
import type { TrialResult } from './trial.js';

/**
 * The downtime and episode totals a trial reports, and each of its regenerative cycles
 * (CycleTotals) reports its share of: integer µs and counts.
 */
export interface EpisodeTotals {
  readonly writeDownUs: number;
  readonly quorumDownUs: number;
  /** write downtime by cause; adds up to writeDownUs */
  readonly downByCauseUs: Readonly<Record<DowntimeCause, number>>;
  /** write downtime by failure process (observe/availability.ts DowntimeMeter rule); adds up to writeDownUs */
  readonly downByProcessUs: Readonly<Record<DowntimeProcess, number>>;
  /** quorum downtime by failure process; adds up to quorumDownUs */
  readonly quorumDownByProcessUs: Readonly<Record<DowntimeProcess, number>>;
  /** write outages: maximal intervals without a write-available leader (the initial election included) */
  readonly outageEpisodes: number;
  readonly outageEpisodesByProcess: Readonly<Record<DowntimeProcess, number>>;
  /** the longest write outage (µs), 0 if none; an outage cut by the end of the trial counts as far as it went */
  readonly longestWriteOutageUs: number;
  /** quorum-loss episodes: maximal intervals without a connected quorum of voters */
  readonly quorumLossEpisodes: number;
  readonly quorumLossEpisodesByProcess: Readonly<Record<DowntimeProcess, number>>;
  /** duration of each quorum-loss episode (µs), in order; one cut by the end of the trial counts as far as it went */
  readonly quorumLossDurationsUs: readonly number[];
  /** elections after the initial one (a voter went LOOKING while writes were unavailable) */
  readonly elections: number;
  /**
   * durations (LOOKING → established) of the elections, after the initial one, that began with a
   * connected quorum and kept it until they finished: election time while a quorum is up. Time
   * without a quorum is a quorum-loss episode, measured in quorumLossDurationsUs instead.
   */
  readonly electionDurationsUs: readonly number[];
}

/**
 * What one Monte Carlo trial contributes: plain numbers (structured-clone safe, JSON safe), so
 * trials can be merged in index order whatever worker ran them. Times are integer microseconds
 * of the measured window, which is the whole trial from t = 0 (the initial election counts as
 * downtime, charged to `startup`), unless the trial excluded its cold start.
 */
export interface TrialSummary extends EpisodeTotals {
  readonly index: number;
  readonly seed: string;
  readonly measuredUs: number;
  /** first instant (from window start) with no connected quorum of voters, null if none */
  readonly firstQuorumLossUs: number | null;
  readonly faults: number;
  readonly events: number;
  /**
   * Present only when the trial was run with `cycleStartsUs` (failure biasing, issue 12): the
   * trial's totals split by regenerative cycle, one entry per cycle start, in order. Every
   * episode (write outage, quorum loss, election) and all of its downtime belong to the cycle in
   * which the episode STARTED, even where it runs past the cycle's end. Per field, the entries
   * add up exactly to the trial's totals above.
   */
  readonly cycles?: readonly CycleTotals[];
  /** present when the topology has a backup policy: its total losses and restores (scenario/backup.ts) */
  readonly backup?: TrialBackupSummary;
}

/**
 * One regenerative cycle's share of a trial (TrialSummary.cycles). Times in integer µs.
 *
 * Every field holds what the trial's field of the same name holds, restricted to the episodes
 * that STARTED in [startUs, endUs): their whole downtime and duration, also the part past endUs
 * (to the trial's end at most). Why: the cycle's likelihood-ratio weight must multiply exactly the
 * downtime its excursion caused (observe/cycles.ts). Most cycles have no episode: all zeros.
 */
export interface CycleTotals extends EpisodeTotals {
  /**
   * the cycle's window [startUs, endUs), in µs from t = 0 (not from the window start), clipped to
   * the trial's measured window: the next cycle's start, or the trial's end for the last cycle
   */
  readonly startUs: number;
  readonly endUs: number;
}

function copy<K extends string>(keys: readonly K[], from: Readonly<Record<K, number>>): Record<K, number> {
  const r = {} as Record<K, number>;
  for (const k of keys) r[k] = from[k];
  return r;
}

export function summarizeTrial(index: number, result: TrialResult): TrialSummary {
  const { meter, recorder } = result;
  const fromUs = meter.windowStartUs;
  const endUs = result.durationUs;
  const losses = meter.quorumLossIntervals.map(([a, b]) => [a, b ?? endUs] as const);
  const quorumLostDuring = (a: number, b: number): boolean => losses.some(([s, e]) => s <= b && e > a);
  // The first election is the ensemble's cold start (it begins once processes have started,
  // not at t = 0): start-up, not an election caused by a failure.
  const elections = recorder.elections.filter((e, i) => i > 0 && e.startedAtUs >= fromUs);
  // an election's duration counts only when it kept a quorum throughout (see electionDurationsUs)
  const timed = (e: ElectionRecord): boolean => e.endedAtUs !== null && !quorumLostDuring(e.startedAtUs, e.endedAtUs);
  const electionDurationsUs: number[] = [];
  for (const e of elections) if (timed(e)) electionDurationsUs.push((e.endedAtUs as number) - e.startedAtUs);
  return {
    index,
    seed: result.seed,
    measuredUs: endUs - fromUs,
    writeDownUs: meter.writeDownUs,
    quorumDownUs: meter.quorumDownUs,
    downByCauseUs: copy(DOWNTIME_CAUSES, meter.byCauseUs),
    downByProcessUs: copy(DOWNTIME_PROCESSES, meter.byProcessUs),
    quorumDownByProcessUs: copy(DOWNTIME_PROCESSES, meter.quorumByProcessUs),
    outageEpisodes: meter.episodes,
    outageEpisodesByProcess: copy(DOWNTIME_PROCESSES, meter.episodesByProcess),
    longestWriteOutageUs: meter.longestWriteOutageUs,
    quorumLossEpisodes: meter.quorumEpisodes,
    quorumLossEpisodesByProcess: copy(DOWNTIME_PROCESSES, meter.quorumEpisodesByProcess),
    quorumLossDurationsUs: losses.map(([a, b]) => b - a),
    elections: elections.length,
    electionDurationsUs,
    firstQuorumLossUs: meter.firstQuorumLossUs === null ? null : meter.firstQuorumLossUs - fromUs,
    faults: result.faults.length,
    events: result.events,
    ...(meter.cycles !== null ? { cycles: cycleTotals(meter, elections, timed, fromUs, endUs) } : {}),
    ...(result.backup ? { backup: backupSummary(result.backup, fromUs, endUs) } : {}),
  };
}

const ZERO_CAUSES: Readonly<Record<DowntimeCause, number>> = Object.freeze({ quorumLost: 0, partitioned: 0, leaderIsolated: 0, electing: 0, syncing: 0 });
const ZERO_PROCESSES: Readonly<Record<DowntimeProcess, number>> = Object.freeze(zeroByProcess());
const NONE: readonly number[] = Object.freeze([]);

/**
 * TrialSummary.cycles: one entry per cycle start, in order. The meter already split downtime,
 * write outages and quorum losses by the cycle in which each episode started (observe/cycles.ts);
 * the elections (counted and timed as for the trial) go to the cycle in which they started, by
 * binary search. Cycles no episode started in share frozen zero records (most cycles of a year).
 */
function cycleTotals(
  meter: DowntimeMeter,
  elections: readonly ElectionRecord[],
  timed: (e: ElectionRecord) => boolean,
  fromUs: number,
  endUs: number,
): CycleTotals[] {
  const ledger = meter.cycles;
  if (ledger === null) return [];
  const starts = ledger.startsUs;
  const electionsIn = new Map<number, { count: number; durationsUs: number[] }>();
  for (const e of elections) {
    const i = cycleIndexAt(starts, e.startedAtUs);
    let slot = electionsIn.get(i);
    if (slot === undefined) electionsIn.set(i, (slot = { count: 0, durationsUs: [] }));
    slot.count++;
    if (timed(e)) slot.durationsUs.push((e.endedAtUs as number) - e.startedAtUs);
  }
  const clip = (t: number): number => Math.min(Math.max(t, fromUs), endUs);
  return starts.map((s, i) => {
    const window = { startUs: clip(s), endUs: clip(starts[i + 1] ?? endUs) };
    const el = electionsIn.get(i);
    const electionsOfCycle = { elections: el?.count ?? 0, electionDurationsUs: el?.durationsUs ?? NONE };
    const sink = ledger.get(i);
    return { ...window, ...(sink === undefined ? NO_DOWNTIME : downtimeOf(sink)), ...electionsOfCycle };
  });
}

type CycleDowntimeTotals = Omit<CycleTotals, 'startUs' | 'endUs' | 'elections' | 'electionDurationsUs'>;

const NO_DOWNTIME: CycleDowntimeTotals = {
  writeDownUs: 0,
  quorumDownUs: 0,
  downByCauseUs: ZERO_CAUSES,
  downByProcessUs: ZERO_PROCESSES,
  quorumDownByProcessUs: ZERO_PROCESSES,
  outageEpisodes: 0,
  outageEpisodesByProcess: ZERO_PROCESSES,
  longestWriteOutageUs: 0,
  quorumLossEpisodes: 0,
  quorumLossEpisodesByProcess: ZERO_PROCESSES,
  quorumLossDurationsUs: NONE,
};

function downtimeOf(sink: CycleDowntime): CycleDowntimeTotals {
  return {
    writeDownUs: sink.writeDownUs,
    quorumDownUs: sink.quorumDownUs,
    downByCauseUs: copy(DOWNTIME_CAUSES, sink.byCauseUs),
    downByProcessUs: copy(DOWNTIME_PROCESSES, sink.byProcessUs),
    quorumDownByProcessUs: copy(DOWNTIME_PROCESSES, sink.quorumByProcessUs),
    outageEpisodes: sink.episodes,
    outageEpisodesByProcess: copy(DOWNTIME_PROCESSES, sink.episodesByProcess),
    longestWriteOutageUs: sink.longestWriteOutageUs,
    quorumLossEpisodes: sink.quorumEpisodes,
    quorumLossEpisodesByProcess: copy(DOWNTIME_PROCESSES, sink.quorumEpisodesByProcess),
    quorumLossDurationsUs: [...sink.quorumLossDurationsUs],
  };
}
