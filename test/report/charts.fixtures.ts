/** Small hand-made result documents for chart and report tests (shapes of issue 5's and run's JSON). */
import type { TrialEvent } from '../../src/model/index.js';
import { formatEvent } from '../../src/observe/format.js';
import type { AvailabilityInput, RunInput } from '../../src/report/charts/index.js';
import { eventJson } from '../../src/report/run-json.js';

export const EVIL = '<script>alert(1)</script>';

function row(topology: string, voters: number, writeAvailability: number, analytic: number | null, extra: Record<string, unknown> = {}) {
  const down = (1 - writeAvailability) * 525_600;
  return {
    topology,
    voters,
    observers: 0,
    runs: 200,
    horizonYears: 1,
    writeAvailability,
    writeAvailabilityCi95: [writeAvailability - (1 - writeAvailability) * 0.3, Math.min(1, writeAvailability + (1 - writeAvailability) * 0.3)] as [number, number],
    quorumAvailability: Math.min(1, writeAvailability + (1 - writeAvailability) * 0.2),
    quorumAvailabilityCi95: [writeAvailability, 1] as [number, number],
    analyticQuorumAvailability: analytic,
    downtimeMinutesPerYear: down,
    downtimeByCause: { quorumLost: down * 0.5, partitioned: down * 0.2, leaderIsolated: down * 0.1, electing: down * 0.15, syncing: down * 0.05 },
    electionsPerYear: 12,
    electionMsP50: 420,
    electionMsP99: 2900,
    meanYearsToQuorumLoss: 3.5,
    outageProbabilityPerYear: 0.25,
    variant: null,
    statistics: { electionUs: { layout: 'log2-sub64-v1', count: 3, sum: 0, min: 1, max: 1, buckets: [1000, 2, 1200, 1] } },
    ...extra,
  };
}

export function availabilityDoc(name3 = 'n3-1az'): AvailabilityInput & { kind: string; assumptions: string[]; notes: string[] } {
  return {
    kind: 'zksim-availability',
    seed: '42',
    experiment: 'independent',
    version: '0.1.0',
    assumptions: ['a year is 365 days'],
    notes: [],
    results: [row(name3, 3, 0.99995, 0.99996), row('n4-2az', 4, 0.9999, 0.99991), row('n5-3az', 5, 0.999999, null)],
  };
}

export function sweepDoc(): AvailabilityInput {
  const values = ['15m', '1h', '4h'];
  return {
    seed: '7',
    experiment: 'independent',
    version: '0.1.0',
    results: values.flatMap((v, i) => [
      row('n3-1az', 3, 1 - 1e-5 * (i + 1), 1 - 0.8e-5 * (i + 1), { variant: { key: 'node-mttr', value: v } }),
      row('n5-3az', 5, 1 - 1e-7 * (i + 1), null, { variant: { key: 'node-mttr', value: v } }),
    ]),
  };
}

/** `events` as a run document carries them: `eventLog` (ms) and the `timeline` the formatter renders. */
export function eventsDoc(events: readonly TrialEvent[]): Pick<RunInput, 'eventLog' | 'timeline'> {
  const timeline = [];
  for (const e of events) {
    const line = formatEvent(e);
    if (line) timeline.push({ atMs: e.atUs / 1000, ...line });
  }
  return { eventLog: events.map(eventJson), timeline };
}

const MS = 1000;

/** The events of runDoc's run (µs). */
export function runEvents(): TrialEvent[] {
  const decided = (atMs: number, server: number, leader: number, round: number, viaFinalizeWait = true): TrialEvent => ({
    type: 'roleDecided',
    atUs: atMs * MS,
    server,
    role: server === leader ? 'LEADING' : 'FOLLOWING',
    leader,
    round,
    viaFinalizeWait,
  });
  return [
    { type: 'looking', atUs: 0, server: 1 },
    { type: 'looking', atUs: 0, server: 2 },
    { type: 'looking', atUs: 0, server: 3 },
    { type: 'writesUnavailable', atUs: 0, cause: 'electing' },
    decided(200, 1, 3, 1),
    decided(200, 2, 3, 1),
    decided(200, 3, 3, 1),
    { type: 'established', atUs: 208 * MS, server: 3, epoch: 1, quorum: [1, 3] },
    { type: 'writesAvailable', atUs: 209 * MS, leader: 3, downForUs: 209 * MS },
    { type: 'processStopped', atUs: 20_000 * MS, server: 3, how: 'killed' },
    {
      type: 'faultApplied',
      atUs: 20_000 * MS,
      faultIndex: 0,
      fault: 'kill:leader@20s+10s',
      source: 'scripted',
      target: 3,
      effect: 'process killed',
      servers: [3],
      domain: null,
    },
    { type: 'writesUnavailable', atUs: 20_000 * MS, cause: 'leaderIsolated' },
    { type: 'looking', atUs: 20_000_500, server: 1 },
    { type: 'looking', atUs: 20_000_500, server: 2 },
    decided(20_200, 1, 2, 2),
    decided(20_200, 2, 2, 2),
    { type: 'established', atUs: 20_210 * MS, server: 2, epoch: 2, quorum: [1, 2] },
    { type: 'writesAvailable', atUs: 20_210 * MS, leader: 2, downForUs: 210 * MS },
    { type: 'looking', atUs: 30_000 * MS, server: 3 },
    { type: 'faultRepaired', atUs: 30_000 * MS, faultIndex: 0, fault: 'kill:leader@20s+10s', target: 3, effect: 'restarted', servers: [3], domain: null },
    decided(30_002, 3, 2, 2, false),
  ];
}

/** A 60 s run of 3 servers: election, leader 3 killed at 20 s for 10 s, re-election, recovery. */
export function runDoc(topology = 'n3-1az', events: readonly TrialEvent[] = runEvents()): RunInput & Record<string, unknown> {
  const doc = {
    seed: '1',
    topology,
    version: '0.1.0',
    durationMs: 60_000,
    faults: ['kill:leader@20s+10s'],
    leaders: [
      { node: 3, epoch: 1, electedAtMs: 200, establishedAtMs: 208, endedAtMs: 20_000, endReason: 'killed' },
      { node: 2, epoch: 2, electedAtMs: 20_200, establishedAtMs: 20_210, endedAtMs: null, endReason: null },
    ],
    elections: [
      { startedAtMs: 0, endedAtMs: 208, durationMs: 208, leader: 3, epoch: 1 },
      { startedAtMs: 20_000.5, endedAtMs: 20_210, durationMs: 209.5, leader: 2, epoch: 2 },
    ],
    writeUnavailableMs: 418,
    quorumUnavailableMs: 0,
    downtimeByCauseMs: { quorumLost: 0, partitioned: 0, leaderIsolated: 1, electing: 410, syncing: 7 },
    outageEpisodes: 2,
    events: 100,
    messages: 90,
    ...eventsDoc(events),
    config: {
      name: topology,
      servers: [
        { id: 1, zone: 'az1', role: 'voter' },
        { id: 2, zone: 'az1', role: 'voter' },
        { id: 3, zone: 'az1', role: 'voter' },
      ],
    },
  };
  return doc as RunInput & Record<string, unknown>;
}

/** An availability document with issue 9's fields: attribution by process, quorum-loss durations, the failure model. */
export function attributedDoc(): AvailabilityInput & Record<string, unknown> {
  const base = availabilityDoc();
  const failureModel = {
    name: 'production',
    processes: [{ process: 'hostFailures', scope: 'per host', parameters: { mttf: 'exponential, mean 30y', mttr: 'lognormal, median 8h, sigma 1.2' } }],
  };
  const topo = { name: 'n3-1az', servers: [1, 2, 3].map((id) => ({ id, role: 'participant', region: 'region1', zone: 'az1', rack: `az1-r${id}`, host: `server-${id}` })) };
  return {
    ...base,
    failureModel,
    options: { runs: 200, horizonYears: 1, precision: null },
    results: base.results.map((r) => {
      const down = r.downtimeMinutesPerYear;
      return {
        ...r,
        downtimeByProcess: { startup: down * 0.01, processRestarts: 0, hostFailures: down * 0.69, diskLoss: 0, rackOutages: 0, zoneOutages: down * 0.3, regionOutages: 0, bursts: 0, zonePartitions: 0, rollingMaintenance: 0, scripted: 0 },
        quorumLossEpisodesByProcess: { startup: 0, hostFailures: 4, zoneOutages: 7 },
        quorumLossEpisodes: 11,
        quorumLossMsP50: 600_000,
        quorumLossMsP99: 7_200_000,
        quorumLossProbabilityPerYear: 0.05,
        longOutageProbabilityPerYear: 0.08,
        sessionTimeoutMs: 30_000,
        tooFewWriteEpisodes: false,
        tooFewQuorumEpisodes: r.topology === 'n5-3az',
        analyticCovers: ['hostFailures'],
        analyticLeavesOut: ['bursts', 'zonePartitions'],
        config: { topology: { ...topo, name: r.topology }, failureModel },
        statistics: { ...(r as { statistics?: object }).statistics, quorumLossUs: { layout: 'log2-sub64-v1', count: 2, sum: 0, min: 1, max: 1, buckets: [2000, 1, 2100, 1] } },
      };
    }),
  };
}
