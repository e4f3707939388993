import { DOWNTIME_CAUSES, type DowntimeCause } from '../observe/index.js';
import type { TrialResult } from './trial.js';

/**
 * What one Monte Carlo trial contributes: plain numbers (structured-clone safe, JSON safe), so
 * trials can be merged in index order whatever worker ran them. Times are microseconds of the
 * measured window, which starts when the first leader is established (cold start excluded).
 */
export interface TrialSummary {
  readonly index: number;
  readonly seed: string;
  readonly measuredUs: number;
  readonly writeDownUs: number;
  readonly quorumDownUs: number;
  readonly downByCauseUs: Readonly<Record<DowntimeCause, number>>;
  /** write outages: maximal intervals without a write-available leader */
  readonly outageEpisodes: number;
  readonly elections: number;
  /** durations of elections that finished inside the window */
  readonly electionDurationsUs: readonly number[];
  /** first instant (from window start) with no connected quorum of voters, null if none */
  readonly firstQuorumLossUs: number | null;
  readonly faults: number;
  readonly events: number;
}

export function summarizeTrial(index: number, result: TrialResult): TrialSummary {
  const { meter, recorder } = result;
  const fromUs = meter.windowStartUs;
  const downByCauseUs = {} as Record<DowntimeCause, number>;
  for (const c of DOWNTIME_CAUSES) downByCauseUs[c] = meter.byCauseUs[c];
  const elections = recorder.elections.filter((e) => e.startedAtUs >= fromUs && e.startedAtUs > 0);
  const electionDurationsUs: number[] = [];
  for (const e of elections) if (e.endedAtUs !== null) electionDurationsUs.push(e.endedAtUs - e.startedAtUs);
  return {
    index,
    seed: result.seed,
    measuredUs: result.durationUs - fromUs,
    writeDownUs: meter.writeDownUs,
    quorumDownUs: meter.quorumDownUs,
    downByCauseUs,
    outageEpisodes: meter.episodes,
    elections: elections.length,
    electionDurationsUs,
    firstQuorumLossUs: meter.firstQuorumLossUs === null ? null : meter.firstQuorumLossUs - fromUs,
    faults: result.faults.length,
    events: result.events,
  };
}
