import { independentCrashRepair } from '../../src/faults/index.js';
import type { Experiment } from '../../src/model/experiment.js';
import type { StudyConfig, StudyOptions } from '../../src/montecarlo/index.js';
import { zeroByProcess, type DowntimeProcess } from '../../src/observe/index.js';
import type { TrialSummary } from '../../src/scenario/index.js';
import { topology } from '../helpers/topologies.js';

export const DAY_US = 86_400_000_000;

/** Independent exponential crash/repair: the closed-form case. */
export function crashRepair(mttfDays: number, mttrDays: number, horizonDays: number): Experiment {
  return {
    name: 'test-independent',
    description: '',
    runs: 100,
    horizonUs: horizonDays * DAY_US,
    seed: 1,
    failures: independentCrashRepair(mttfDays * DAY_US, mttrDays * DAY_US),
    workload: null,
  };
}

export function configs(experiment: Experiment, ...names: string[]): StudyConfig[] {
  return names.map((n) => ({ topology: topology(n), experiment, variant: null }));
}

export function options(over: Partial<StudyOptions> & { horizonUs: number }): StudyOptions {
  return { seed: '1', runs: 32, precision: null, shard: null, chunkSize: 8, ...over };
}

/** A TrialSummary with zeros everywhere but what `over` sets (process splits default to all-`startup`-free zeros). */
export function trialSummary(over: Partial<TrialSummary> & { index: number }): TrialSummary {
  const zeros = (): Record<DowntimeProcess, number> => zeroByProcess();
  return {
    seed: `1|trial:${over.index}`,
    measuredUs: DAY_US,
    writeDownUs: 0,
    quorumDownUs: 0,
    downByCauseUs: { quorumLost: 0, partitioned: 0, leaderIsolated: 0, electing: 0, syncing: 0 },
    downByProcessUs: zeros(),
    quorumDownByProcessUs: zeros(),
    outageEpisodes: 0,
    outageEpisodesByProcess: zeros(),
    longestWriteOutageUs: 0,
    quorumLossEpisodes: 0,
    quorumLossEpisodesByProcess: zeros(),
    quorumLossDurationsUs: [],
    elections: 0,
    electionDurationsUs: [],
    firstQuorumLossUs: null,
    faults: 0,
    events: 0,
    ...over,
  };
}

/**
 * One 10-day trial with one quorum loss of 50 min (host failures), 3 write outages (1 h in all, 200 s
 * of it the initial election) and 2 elections (300 ms, 900 ms): the fixture of the table tests.
 */
export function oneQuorumLossTrial(): TrialSummary {
  return trialSummary({
    index: 0, measuredUs: 10 * DAY_US, writeDownUs: 3_600_000_000, quorumDownUs: 3_000_000_000,
    downByCauseUs: { quorumLost: 3_000_000_000, partitioned: 0, leaderIsolated: 400_000_000, electing: 200_000_000, syncing: 0 },
    downByProcessUs: { ...zeroByProcess(), startup: 200_000_000, hostFailures: 3_400_000_000 },
    quorumDownByProcessUs: { ...zeroByProcess(), hostFailures: 3_000_000_000 },
    outageEpisodes: 3, outageEpisodesByProcess: { ...zeroByProcess(), startup: 1, hostFailures: 2 },
    quorumLossEpisodes: 1, quorumLossEpisodesByProcess: { ...zeroByProcess(), hostFailures: 1 }, quorumLossDurationsUs: [3_000_000_000],
    longestWriteOutageUs: 3_000_000_000,
    elections: 2, electionDurationsUs: [300_000, 900_000], firstQuorumLossUs: DAY_US, faults: 4, events: 100,
  });
}
